import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refusingEndpoint, startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { startGitHubApiServer, type GitHubApiServer } from '../harness/github-api-server.js';
import { cloneOf, gitIn } from '../harness/git-repo.js';
import { runBundle, type BundleRun } from '../harness/run-bundle.js';
import { filesAt, filesContaining, filesIn, gitopsOrigin, renderedFiles, subjects, treeListing, writeDir } from '../integration/gitops-fixtures.js';

const TOKEN = 'ghs_bundleWriteToken00000000000000000000';
const READ_ONLY = 'ghs_bundleReadOnlyToken0000000000000000';
const APP = 'verity-api--staging';
const OUTPUTS = ['attempts', 'changed', 'commit-sha', 'commit-url', 'diff', 'pull-request-number', 'pull-request-url'];
const CONTEXT = { repository: 'acme/verity-api', sha: 'e'.repeat(40), runId: '4242' };

let server: GitHttpServer;
let root: string;
let served = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-bundle-http-'));
  server = await startGitHttpServer({ root, token: TOKEN, readOnlyTokens: [READ_ONLY] });
});

afterAll(async () => {
  await server?.close();
});

function servedRepo(): { dir: string; url: string } {
  const name = `acme/gitops-${++served}.git`;
  const { dir } = gitopsOrigin(undefined, { root, name });
  return { dir, url: `${server.url}/${name}` };
}

function commit(inputs: Record<string, string>, env?: Record<string, string>): Promise<BundleRun> {
  return runBundle('commit-to-gitops', { inputs, context: CONTEXT, ...(env ? { env } : {}) });
}

describe('commit-to-gitops bundle', () => {
  test('no inputs: our own input errors, every output set', async () => {
    const r = await runBundle('commit-to-gitops');
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual(["2 inputs are wrong:\n- input 'repository' is required\n- input 'source' is required"]);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
  });

  test('lands the directory, reports it, and a re-run is a no-op', async () => {
    const origin = gitopsOrigin();
    const source = writeDir(renderedFiles('verity-api', '1.4.0'));
    const r = await commit({ repository: origin.url, source });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    expect(r.outputs).toEqual({
      changed: 'true',
      'commit-sha': head,
      'commit-url': '',
      'pull-request-number': '',
      'pull-request-url': '',
      attempts: '1',
      diff: JSON.stringify({
        added: [`${APP}/monochart/templates/deployment.yaml`, `${APP}/monochart/templates/service.yaml`],
        changed: [],
        removed: [],
      }),
    });
    expect(gitIn(origin.dir, ['log', '-1', '--format=%B', 'main'])).toBe(
      'deploy(verity-api): staging 1.4.0\n\n' +
        'Source-Repository: https://github.com/acme/verity-api\n' +
        `Source-Commit: ${'e'.repeat(40)}\n` +
        'Version: 1.4.0\n' +
        'Environment: staging\n' +
        'Workflow-Run: https://github.com/acme/verity-api/actions/runs/4242',
    );
    expect(r.summary).toContain('### commit-to-gitops: `verity-api--staging`');
    expect(r.summary).toContain(`| result | committed ${head.slice(0, 12)} |`);
    expect(r.summary).toContain('| version | **1.4.0** |');
    expect(r.summary).toContain(`+++ b/${APP}/monochart/templates/deployment.yaml`);
    expect(r.stdout).toContain('::group::Diff of the desired state');
    expect(readdirSync(r.env.RUNNER_TEMP!).filter((f) => f.startsWith('gitops-actions-'))).toEqual([]);

    const again = await commit({ repository: origin.url, source });
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ changed: 'false', 'commit-sha': head, attempts: '0', diff: '{"added":[],"changed":[],"removed":[]}' });
    expect(again.summary).toContain(`no change: already in place at ${head.slice(0, 12)}`);
  });

  test('dry run: the diff in outputs, log and summary; the repository untouched', async () => {
    const origin = gitopsOrigin();
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const r = await commit({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), 'dry-run': 'true' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ changed: 'true', 'commit-sha': head, attempts: '0' });
    expect(JSON.parse(r.outputs.diff!).added).toHaveLength(2);
    expect(r.summary).toContain('dry run: would commit the changes below');
    expect(r.stdout).toContain('+    gitops-actions.io/version: 1.4.0');
    expect(gitIn(origin.dir, ['rev-parse', 'main'])).toBe(head);
  });

  describe('bad input: a clear message, nothing written', () => {
    const cases: Array<[string, () => Promise<{ inputs: Record<string, string>; dir?: string }>, string | RegExp]> = [
      [
        'source missing',
        async () => ({ inputs: { repository: gitopsOrigin().url, source: 'rendered/verity-api--staging' } }),
        "input 'source': rendered/verity-api--staging does not exist (give the rendered directory, e.g. the render step's 'path' output)",
      ],
      [
        'source empty',
        async () => {
          const empty = join(mkdtempSync(join(tmpdir(), 'gitops-empty-src-')), APP);
          mkdirSync(join(empty, 'monochart/templates'), { recursive: true });
          return { inputs: { repository: gitopsOrigin().url, source: empty } };
        },
        /has no files; refusing to commit an empty desired state, which would delete the app from the cluster/,
      ],
      [
        'path with ..',
        async () => ({ inputs: { repository: gitopsOrigin().url, source: writeDir(renderedFiles('x', '1.0.0')), path: '../other-repo' } }),
        "input 'path' must stay inside the GitOps repository: it contains '..' (got '../other-repo')",
      ],
      [
        'absolute path',
        async () => ({ inputs: { repository: gitopsOrigin().url, source: writeDir(renderedFiles('x', '1.0.0')), path: '/etc/argocd' } }),
        "input 'path' must be relative to the GitOps repository root (got the absolute path '/etc/argocd')",
      ],
      [
        'path through a symbolic link in the repository',
        async () => {
          const origin = gitopsOrigin();
          const work = cloneOf(origin.url);
          symlinkSync('/etc', join(work.dir, 'escape'));
          work.commit('chore: a link', {});
          work.git('push', '--quiet', 'origin', 'HEAD:main');
          return { inputs: { repository: origin.url, source: writeDir(renderedFiles('x', '1.0.0')), path: 'escape/argocd' }, dir: origin.dir };
        },
        "input 'path': escape/argocd leads through a symbolic link in main; refusing to write through it (it could point anywhere)",
      ],
      [
        'branch that does not exist',
        async () => {
          const origin = gitopsOrigin();
          return { inputs: { repository: origin.url, source: writeDir(renderedFiles('x', '1.0.0')), branch: 'production' }, dir: origin.dir };
        },
        /^branch 'production' does not exist in file:\/\/\S+; check input 'branch', or set 'create-branch: true' to create it$/,
      ],
      [
        'unreachable repository',
        async () => {
          const dead = await refusingEndpoint();
          return { inputs: { repository: `${dead.url}/acme/gitops.git`, source: writeDir(renderedFiles('x', '1.0.0')), token: TOKEN } };
        },
        /^cannot reach http:\/\/127\.0\.0\.1:\d+\/acme\/gitops\.git: check the host name and the network; could not fetch main\n/,
      ],
      [
        'token without push rights',
        async () => {
          const repo = servedRepo();
          return { inputs: { repository: repo.url, source: writeDir(renderedFiles('x', '1.0.0')), token: READ_ONLY }, dir: repo.dir };
        },
        /^the credentials may not push to main of http:\/\/\S+: the token needs write access to the repository's contents \('contents: write' for a GitHub App or fine-grained token, 'repo' for a classic token; a deploy key needs write access\)\nremote: Permission to acme\/gitops-\d+\.git denied to x-access-token\./,
      ],
      [
        'wrong token',
        async () => {
          const repo = servedRepo();
          return { inputs: { repository: repo.url, source: writeDir(renderedFiles('x', '1.0.0')), token: 'ghs_wrongwrongwrongwrongwrongwrong0000' }, dir: repo.dir };
        },
        /^http:\/\/\S+ refused the token \(authentication failed\): is it valid, unexpired, and for this server\? Could not fetch main\n/,
      ],
      [
        'credentials in the URL',
        async () => ({ inputs: { repository: 'https://x-access-token:ghs_inurl@github.com/acme/gitops.git', source: writeDir(renderedFiles('x', '1.0.0')) } }),
        "input 'repository' must not carry credentials in the URL (they would be written to .git/config and logs); give the token in input 'token'",
      ],
    ];

    test.each(cases)('%s', async (_name, setup, message) => {
      const { inputs, dir } = await setup();
      const before = dir ? treeListing(dir) : [];
      const r = await commit(inputs);
      expect(r.exitCode).toBe(1);
      expect(r.errors).toHaveLength(1);
      if (typeof message === 'string') expect(r.errors[0]).toBe(message);
      else expect(r.errors[0]).toMatch(message);
      if (dir) expect(treeListing(dir)).toEqual(before);
      expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
      expect(r.errors[0]).not.toMatch(/ghs_(inurl|wrongwrong)/);
    });
  });

  test('over smart HTTP with a token: no file in the workspace, the runner temp or $HOME keeps it; logs mask it', async () => {
    const repo = servedRepo();
    const r = await commit({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(filesAt(repo.dir, APP)).toEqual(renderedFiles('verity-api', '1.4.0'));
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    for (const dir of [r.workspace, r.env.RUNNER_TEMP!, r.env.HOME!]) expect(filesContaining(dir, [TOKEN, basic]), dir).toEqual([]);
    const lines = r.stdout.split('\n').filter((l) => l.includes(TOKEN) || l.includes(basic));
    expect(lines).toEqual([`::add-mask::${TOKEN}`, `::add-mask::${basic}`]);
  });
});

describe('concurrent pipelines', () => {
  test('20 runs for different apps on one repository: all land, history linear, each directory exactly its source', async () => {
    const origin = gitopsOrigin();
    const untouched = treeListing(origin.dir);
    const apps = Array.from({ length: 20 }, (_, i) => `app-${String(i).padStart(2, '0')}--staging`);
    const sources = apps.map((app) => writeDir(renderedFiles(app.split('--')[0]!, `1.${apps.indexOf(app)}.0`), app));
    const runs = await Promise.all(sources.map((source) => commit({ repository: origin.url, source })));
    for (const [i, r] of runs.entries()) {
      expect(r.errors, apps[i]).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(r.outputs.changed).toBe('true');
    }
    expect(gitIn(origin.dir, ['rev-list', '--count', 'main'])).toBe('21');
    expect(gitIn(origin.dir, ['rev-list', '--merges', 'main'])).toBe('');
    for (const [i, app] of apps.entries()) {
      expect(filesAt(origin.dir, app), app).toEqual(filesIn(sources[i]!));
      expect(gitIn(origin.dir, ['log', '--format=%H', 'main', '--', app])).toBe(runs[i]!.outputs['commit-sha']);
    }
    expect(treeListing(origin.dir).filter((l) => !/\tapp-\d\d--staging\//.test(l))).toEqual(untouched);
    const attempts = runs.map((r) => Number(r.outputs.attempts));
    expect(attempts.every((a) => a >= 1 && a <= 10)).toBe(true);
    expect(Math.max(...attempts)).toBeGreaterThan(1); // they did race
  }, 600_000);

  test('two runs for the same app and environment: the higher version ends in place', async () => {
    const origin = gitopsOrigin();
    const [lower, higher] = await Promise.all([
      commit({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }),
      commit({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.5.0')) }),
    ]);
    expect(higher!.exitCode).toBe(0);
    expect(filesAt(origin.dir, APP)).toEqual(renderedFiles('verity-api', '1.5.0'));
    if (lower!.exitCode !== 0) {
      expect(lower!.errors[0]).toMatch(/^refusing to replace version 1\.5\.0 in main:verity-api--staging with the lower 1\.4\.0/);
    } else {
      expect(subjects(origin.dir).slice(0, 2)).toEqual(['deploy(verity-api): staging 1.5.0', 'deploy(verity-api): staging 1.4.0']);
    }
    // And a later run of the lower version is refused outright.
    const late = await commit({ repository: origin.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) });
    expect(late.exitCode).toBe(1);
    expect(late.errors[0]).toBe(
      "refusing to replace version 1.5.0 in main:verity-api--staging with the lower 1.4.0: a newer deployment is already in place. For an intended rollback, set 'allow-downgrade: true'.",
    );
  }, 300_000);

  describe('through a proxy that rejects pushes and drops connections', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: server.url });
    });
    afterAll(async () => {
      await proxy?.close();
    });

    test('nothing lost, nothing duplicated', async () => {
      const repo = servedRepo();
      const url = repo.url.replace(server.url, proxy.url);
      const push = /\/git-receive-pack$/;
      proxy.inject({ method: 'POST', path: push, kind: 'status', status: 500, body: 'internal error', times: 2 });
      proxy.inject({ method: 'POST', path: push, kind: 'reset', times: 2 });
      proxy.inject({ method: 'POST', path: push, kind: 'truncate', afterBytes: 4, times: 2 });
      proxy.inject({ method: 'POST', path: push, kind: 'status', status: 503, times: 1 });
      proxy.inject({ method: 'POST', path: /\/git-upload-pack$/, kind: 'close', times: 1 });
      const apps = Array.from({ length: 8 }, (_, i) => `svc-${i}--production`);
      const runs = await Promise.all(
        apps.map((app) => commit({ repository: url, source: writeDir(renderedFiles(app.split('--')[0]!, '2.0.0'), app), token: TOKEN })),
      );
      for (const [i, r] of runs.entries()) {
        expect(r.errors, apps[i]).toEqual([]);
        expect(r.outputs.changed).toBe('true');
        expect(gitIn(repo.dir, ['log', '--format=%H', 'main', '--', apps[i]!])).toBe(r.outputs['commit-sha']);
        expect(filesAt(repo.dir, apps[i]!)).toEqual(renderedFiles(apps[i]!.split('--')[0]!, '2.0.0'));
      }
      expect(subjects(repo.dir)).toHaveLength(apps.length + 1);
      expect(gitIn(repo.dir, ['rev-list', '--merges', 'main'])).toBe('');
      expect(proxy.requests.filter((q) => q.fault).length).toBe(8);
    }, 600_000);
  });
});

describe('pull-request mode: the branch over smart HTTP, the pull request through the GitHub REST API (stand-in)', () => {
  const REPO = 'acme/gitops-prod';
  const BRANCH = 'gitops/verity-api--production';
  let api: GitHubApiServer;
  let prod: string;

  beforeAll(async () => {
    prod = gitopsOrigin(undefined, { root, name: `${REPO}.git` }).dir;
    api = await startGitHubApiServer({
      tokens: { [TOKEN]: { permission: 'write' }, [READ_ONLY]: { permission: 'read' } },
      repos: { [REPO]: { gitDir: prod, allowAutoMerge: true } },
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  function propose(version: string, inputs: Record<string, string> = {}): Promise<BundleRun> {
    return runBundle('commit-to-gitops', {
      inputs: {
        repository: REPO,
        token: TOKEN,
        mode: 'pull-request',
        version,
        source: writeDir(renderedFiles('verity-api', version), 'verity-api--production'),
        'pr-labels': 'deploy\nproduction',
        'auto-merge': 'true',
        ...inputs,
      },
      context: { ...CONTEXT, serverUrl: server.url, apiUrl: api.url },
    });
  }

  test('opens one pull request from gitops/<path>, then updates it; main is never written', async () => {
    const main = gitIn(prod, ['rev-parse', 'main']);
    const untouched = treeListing(prod);

    const first = await propose('1.4.0');
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': gitIn(prod, ['rev-parse', BRANCH]),
      'pull-request-number': '1',
      'pull-request-url': `https://github.com/${REPO}/pull/1`,
      attempts: '1',
    });
    expect(filesAt(prod, 'verity-api--production', BRANCH)).toEqual(renderedFiles('verity-api', '1.4.0'));
    expect(gitIn(prod, ['rev-parse', `${BRANCH}^`])).toBe(main);
    expect(api.pullRequests(REPO)).toEqual([
      expect.objectContaining({ number: 1, state: 'open', head: BRANCH, base: 'main', labels: ['deploy', 'production'], autoMerge: { mergeMethod: 'squash' } }),
    ]);
    expect(api.pullRequests(REPO)[0]!.body).toContain('1.4.0');
    expect(first.summary).toContain(`[#1](https://github.com/${REPO}/pull/1)`);

    // The next version: the same branch moves, the same pull request is updated, no second one.
    const second = await propose('1.4.1');
    expect(second.errors).toEqual([]);
    expect(second.outputs).toMatchObject({ changed: 'true', 'commit-sha': gitIn(prod, ['rev-parse', BRANCH]), 'pull-request-number': '1' });
    expect(filesAt(prod, 'verity-api--production', BRANCH)).toEqual(renderedFiles('verity-api', '1.4.1'));
    expect(api.pullRequests(REPO)).toHaveLength(1);
    expect(api.pullRequests(REPO)[0]!.body).toContain('1.4.1');

    // The same again: nothing to push, the open pull request still reported.
    const again = await propose('1.4.1');
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ changed: 'false', 'pull-request-number': '1' });
    expect(api.pullRequests(REPO)).toHaveLength(1);

    expect(gitIn(prod, ['rev-parse', 'main'])).toBe(main);
    expect(treeListing(prod)).toEqual(untouched);
    for (const run of [first, second, again]) {
      // The only line with the token is the runner's mask command for it.
      expect(run.stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
      for (const text of [run.stderr, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain(TOKEN);
    }
    // Every API call carried the token as GitHub expects it, never in a URL.
    expect(api.requests.every((r) => r.headers.authorization === `token ${TOKEN}` || r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(api.requests.some((r) => r.path.includes(TOKEN))).toBe(false);
  });

  test('a token that may read but not write: a clear error, no branch, no pull request', async () => {
    const before = api.pullRequests(REPO).length;
    const branches = gitIn(prod, ['branch', '--list']);
    const r = await propose('2.0.0', { token: READ_ONLY, path: 'other--production' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^the credentials may not push to gitops\/other--production of http:\/\/127\.0\.0\.1:\d+\/acme\/gitops-prod\.git: the token needs write access to the repository's contents/,
    );
    expect(r.errors[0]).not.toContain(READ_ONLY);
    expect(gitIn(prod, ['branch', '--list'])).toBe(branches);
    expect(api.pullRequests(REPO)).toHaveLength(before);
  });
});

describe('commit-to-gitops bundle with config (gitops.yaml)', () => {
  /** An app repository whose gitops.yaml sends staging and production to their own GitOps repositories. */
  function appWorkspace(staging: string, production: string): string {
    const ws = mkdtempSync(join(tmpdir(), 'gitops-config-app-'));
    writeFileSync(
      join(ws, 'gitops.yaml'),
      `app: verity-api
gitops: { create-branch: true }
environments:
  staging:
    gitops: { repository: '${staging}', branch: deploy }
  production:
    gitops: { repository: '${production}', mode: pull-request }
  preview: {}
`,
    );
    return ws;
  }

  function committed(workspace: string, inputs: Record<string, string>): Promise<BundleRun> {
    return runBundle('commit-to-gitops', { workspace, inputs: { config: 'gitops.yaml', ...inputs }, context: CONTEXT });
  }

  test("only config, environment and source: the environment's repository, branch and mode", async () => {
    const [staging, production] = [gitopsOrigin(), gitopsOrigin()];
    const untouched = treeListing(production.dir);
    const r = await committed(appWorkspace(staging.url, production.url), { environment: 'staging', source: writeDir(renderedFiles('verity-api', '1.4.0')) });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('gitops.yaml for staging: repository, branch, create-branch');
    expect(r.outputs).toMatchObject({ changed: 'true', 'commit-sha': gitIn(staging.dir, ['rev-parse', 'deploy']) });
    expect(filesAt(staging.dir, APP, 'deploy')).toEqual(renderedFiles('verity-api', '1.4.0'));
    expect(treeListing(production.dir)).toEqual(untouched);
  });

  test('production: pull-request mode from the file; an explicit mode beats it', async () => {
    const [staging, production] = [gitopsOrigin(), gitopsOrigin()];
    const ws = appWorkspace(staging.url, production.url);
    const source = writeDir(renderedFiles('verity-api', '1.4.0'), 'verity-api--production');
    const before = treeListing(production.dir);
    const proposed = await committed(ws, { environment: 'production', source });
    expect(proposed.exitCode).toBe(1);
    expect(proposed.errors).toEqual([`pull-request mode needs a repository on https://github.com (owner/name); ${production.url} is not one`]);
    expect(treeListing(production.dir)).toEqual(before);

    const pushed = await committed(ws, { environment: 'production', source, mode: 'push' });
    expect(pushed.errors).toEqual([]);
    expect(filesAt(production.dir, 'verity-api--production')).toEqual(renderedFiles('verity-api', '1.4.0'));
    expect(pushed.stdout).toContain('(given as inputs, so not from the file: mode)');
  });

  test('an environment without a repository: the file and line; an explicit repository stands in', async () => {
    const origin = gitopsOrigin();
    const ws = appWorkspace(origin.url, origin.url.replace(/$/, '-prod'));
    const source = writeDir(renderedFiles('verity-api', '1.4.0'), 'verity-api--preview');
    const missing = await committed(ws, { environment: 'preview', source });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors[0]).toMatch(/^gitops\.yaml:8:3: environments\.preview: environment 'preview' has no GitOps repository to commit to: set environments\.preview\.gitops\.repository/);
    const given = await committed(ws, { environment: 'preview', source, repository: origin.url });
    expect(given.errors).toEqual([]);
    expect(filesAt(origin.dir, 'verity-api--preview')).toEqual(renderedFiles('verity-api', '1.4.0'));
  });

  test.each([
    ['an unknown environment', { environment: 'qa' }, "gitops.yaml has no environment 'qa' (environments: preview, production, staging)"],
    ['no environment', {}, "input 'environment' is required with 'config': which environment of gitops.yaml (preview, production, staging)?"],
  ])('%s: a clear error, nothing written', async (_name, inputs, message) => {
    const origin = gitopsOrigin();
    const before = treeListing(origin.dir);
    const r = await committed(appWorkspace(origin.url, origin.url), { source: writeDir(renderedFiles('verity-api', '1.4.0')), ...inputs });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([message]);
    expect(treeListing(origin.dir)).toEqual(before);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
  });
});
