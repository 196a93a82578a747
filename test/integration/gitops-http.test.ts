import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commitToGitops, type CommitToGitopsDeps } from '#core/gitops/commit-to-gitops.js';
import type { PullRequestApi, PullRequestRequest } from '#core/gitops/pull-request.js';
import { refusingEndpoint, startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { gitIn } from '../harness/git-repo.js';
import { filesAt, filesContaining, gitopsOrigin, manifest, renderedFiles, stepOptions, subjects, writeDir } from './gitops-fixtures.js';

const TOKEN = 'ghs_gitopsWriteToken0000000000000000000';
const READ_ONLY = 'ghs_gitopsReadOnlyToken000000000000000';
const APP = 'verity-api--staging';
let server: GitHttpServer;
let root: string;
let repoCount = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-http-root-'));
  server = await startGitHttpServer({ root, token: TOKEN, readOnlyTokens: [READ_ONLY] });
});

afterAll(async () => {
  await server?.close();
});

/** A fresh bare repository served at `${server.url}/acme/<name>.git`. */
function servedRepo(): { dir: string; url: string; name: string } {
  const name = `gitops-${++repoCount}`;
  const { dir } = gitopsOrigin(undefined, { root, name: `acme/${name}.git` });
  return { dir, url: `${server.url}/acme/${name}.git`, name };
}

function deps(extra: Partial<CommitToGitopsDeps> = {}): CommitToGitopsDeps & { lines: string[]; waits: number[]; secrets: string[] } {
  const lines: string[] = [];
  const waits: number[] = [];
  const secrets: string[] = [];
  return {
    lines,
    waits,
    secrets,
    log: (l) => lines.push(l),
    warning: (l) => lines.push(`warning: ${l}`),
    onSecret: (s) => secrets.push(s),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
}

function requestsFor(name: string): GitHttpServer['requests'] {
  return server.requests.filter((r) => r.path.startsWith(`/acme/${name}.git/`));
}

describe('commit-to-gitops over smart HTTP with a token', () => {
  test('Basic auth: lands; the token reaches git only through the environment, and no file keeps it', async () => {
    const repo = servedRepo();
    const options = stepOptions({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN });
    const cloneDir = join(mkdtempSync(join(options.tempDir, 'kept-')), 'clone');
    const d = deps();
    const r = await commitToGitops({ ...options, cloneDir }, d);
    expect(r).toMatchObject({ changed: true, attempts: 1 });
    expect(filesAt(repo.dir, APP)).toEqual(renderedFiles('verity-api', '1.4.0'));
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const authorised = requestsFor(repo.name).filter((q) => q.status !== 401);
    expect(authorised.length).toBeGreaterThan(2);
    for (const q of authorised) expect(q.authorization).toBe(`basic ${basic}`);
    expect(d.secrets).toEqual([TOKEN, basic]);
    for (const dir of [cloneDir, options.tempDir, options.homeDir]) expect(filesContaining(dir, [TOKEN, basic])).toEqual([]);
    expect(gitIn(cloneDir, ['config', '--list', '--show-origin'])).not.toContain(TOKEN);
  });

  test('Bearer auth lands too', async () => {
    const repo = servedRepo();
    const r = await commitToGitops(
      stepOptions({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN, tokenScheme: 'bearer' }),
      deps(),
    );
    expect(r.changed).toBe(true);
    const authorised = requestsFor(repo.name).filter((q) => q.status !== 401);
    for (const q of authorised) expect(q.authorization).toBe(`bearer ${TOKEN}`);
  });

  test('a wrong token: a clear error after exactly one request, the token nowhere in it', async () => {
    const repo = servedRepo();
    const wrong = 'ghs_wrongTokenWrongTokenWrongToken0000';
    const d = deps();
    const error = await commitToGitops(stepOptions({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: wrong }), d).catch(
      (e: unknown) => e as Error,
    ) as Error;
    expect(error.message).toMatch(
      new RegExp(`^${repo.url.replace(/[.?]/g, '\\$&')} refused the token \\(authentication failed\\): is it valid, unexpired, and for this server\\? Could not fetch main\\n`),
    );
    expect(error.message).not.toContain(wrong);
    expect(requestsFor(repo.name).map((q) => q.status)).toEqual([401]);
    expect(d.waits).toEqual([]);
  });

  test('no token for a repository that needs one', async () => {
    const repo = servedRepo();
    await expect(commitToGitops(stepOptions({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')) }), deps())).rejects.toThrow(
      `${repo.url} needs credentials to fetch main: give input 'token' (https) or 'ssh-key' (ssh)`,
    );
  });

  test('a token that may read but not push: one push, no retry, says which permission is missing', async () => {
    const repo = servedRepo();
    const d = deps();
    const error = await commitToGitops(stepOptions({ repository: repo.url, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: READ_ONLY }), d).catch(
      (e: unknown) => e as Error,
    ) as Error;
    expect(error.message).toMatch(
      new RegExp(
        `^the credentials may not push to main of ${repo.url.replace(/[.?]/g, '\\$&')}: the token needs write access to the repository's contents .*\\n` +
          `remote: Permission to acme/${repo.name}.git denied to x-access-token.`,
      ),
    );
    expect(requestsFor(repo.name).filter((q) => q.status === 403).map((q) => `${q.method} ${q.path}`)).toEqual([`POST /acme/${repo.name}.git/git-receive-pack`]);
    expect(d.waits).toEqual([]);
    expect(subjects(repo.dir)).toEqual(['chore: initial desired state']);
  });

  test('an unreachable server: a clear error at once', async () => {
    const dead = await refusingEndpoint();
    const d = deps();
    await expect(
      commitToGitops(stepOptions({ repository: `${dead.url}/acme/gitops.git`, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN }), d),
    ).rejects.toThrow(new RegExp(`^cannot reach ${dead.url}/acme/gitops\\.git: check the host name and the network; could not fetch main\\n.*Failed to connect`, 's'));
    expect(d.waits).toEqual([]);
  });
});

describe('through a proxy that rejects pushes and drops connections', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: server.url });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  test('a server error on the very first request: the clone is tried again', async () => {
    const repo = servedRepo();
    proxy.inject({ method: 'GET', path: new RegExp(`/acme/${repo.name}\\.git/info/refs\\?service=git-upload-pack$`), kind: 'status', status: 502, body: 'bad gateway' });
    const d = deps();
    const r = await commitToGitops(
      stepOptions({ repository: `${proxy.url}/acme/${repo.name}.git`, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN }),
      d,
    );
    expect(r).toMatchObject({ changed: true, attempts: 1 });
    expect(d.waits).toHaveLength(1);
    expect(d.lines.some((l) => /^fetch main: .*502.*: will try again$/.test(l))).toBe(true);
  });

  test.each([
    ['a redirect', 307],
    ['a server that wants the exchange git makes', 415],
  ])('our push not taken at all (%s): git pushes the same commit, once', async (_, status) => {
    const repo = servedRepo();
    const since = proxy.requests.length;
    proxy.inject({ method: 'POST', path: new RegExp(`/acme/${repo.name}\\.git/git-receive-pack$`), kind: 'status', status, times: 1 });
    const r = await commitToGitops(
      stepOptions({ repository: `${proxy.url}/acme/${repo.name}.git`, source: writeDir(renderedFiles('verity-api', '1.4.0')), token: TOKEN }),
      deps(),
    );
    expect(r).toMatchObject({ changed: true, attempts: 1 });
    expect(gitIn(repo.dir, ['rev-parse', 'main'])).toBe(r.commitSha);
    expect(subjects(repo.dir)).toEqual(['deploy(verity-api): staging 1.4.0', 'chore: initial desired state']);
    const pushes = proxy.requests.slice(since).filter((q) => q.path.includes('receive-pack'));
    expect(pushes.map((q) => `${q.method} ${q.path.replace(/^.*\.git/, '')} ${q.status}`)).toEqual([
      `POST /git-receive-pack ${status}`,
      'GET /info/refs?service=git-receive-pack 200',
      'POST /git-receive-pack 200',
    ]);
  });

  test('concurrent writers: every app lands exactly once, nothing lost, nothing duplicated', async () => {
    const repo = servedRepo();
    const url = `${proxy.url}/acme/${repo.name}.git`;
    const since = proxy.requests.length;
    const push = /\/git-receive-pack$/;
    proxy.inject({ method: 'POST', path: push, kind: 'status', status: 502, body: 'bad gateway', times: 2 });
    proxy.inject({ method: 'POST', path: push, kind: 'close', times: 2 });
    // Forwarded, so the push lands, but the answer is cut: the writer must find out it landed.
    proxy.inject({ method: 'POST', path: push, kind: 'truncate', afterBytes: 4, times: 2 });
    proxy.inject({ method: 'POST', path: /\/git-upload-pack$/, kind: 'reset', times: 2 });
    const apps = Array.from({ length: 8 }, (_, i) => `app-${i}--staging`);
    const results = await Promise.all(
      apps.map((app) =>
        commitToGitops(
          stepOptions({ repository: url, source: writeDir(renderedFiles(app.split('--')[0]!, '1.0.0'), app), token: TOKEN }),
          deps({ sleep: undefined }),
        ),
      ),
    );
    for (const [i, app] of apps.entries()) {
      expect(filesAt(repo.dir, app), app).toEqual(renderedFiles(app.split('--')[0]!, '1.0.0'));
      const touching = gitIn(repo.dir, ['log', '--format=%H', 'main', '--', app]).split('\n');
      expect(touching, app).toEqual([results[i]!.commitSha]);
      expect(results[i]!.changed).toBe(true);
    }
    expect(subjects(repo.dir)).toHaveLength(apps.length + 1);
    expect(gitIn(repo.dir, ['rev-list', '--merges', 'main'])).toBe('');
    const faulted = proxy.requests.slice(since).filter((q) => q.fault).map((q) => q.fault);
    expect(faulted.sort()).toEqual(['close', 'close', 'reset', 'reset', 'status', 'status', 'truncate', 'truncate']);
  }, 240_000);
});

describe('pull-request mode', () => {
  function recordingApi(): PullRequestApi & { calls: PullRequestRequest[] } {
    const calls: PullRequestRequest[] = [];
    return {
      calls,
      openOrUpdate: async (request) => {
        calls.push(request);
        return { number: 7, url: `https://github.example/acme/gitops/pull/7`, created: calls.length === 1, autoMerge: 'enabled' };
      },
    };
  }

  test('gitops/<path> proposes base + our directory; updates stack without force, merging a moved base', async () => {
    const repo = servedRepo();
    const base = { repository: `acme/${repo.name}`, serverUrl: server.url, token: TOKEN, mode: 'pull-request' as const };
    const api = recordingApi();
    const mainBefore = gitIn(repo.dir, ['rev-parse', 'main']);

    const first = await commitToGitops(
      stepOptions({ ...base, source: writeDir(renderedFiles('verity-api', '1.4.0')), prLabels: ['gitops', 'staging'], autoMerge: true }),
      deps({ pullRequestApi: api }),
    );
    expect(first).toMatchObject({ changed: true, branch: `gitops/${APP}`, baseBranch: 'main', pullRequestNumber: 7, attempts: 1 });
    expect(first.commitUrl).toBe(`${server.url}/acme/${repo.name}/commit/${first.commitSha}`);
    expect(gitIn(repo.dir, ['rev-parse', 'main'])).toBe(mainBefore);
    expect(gitIn(repo.dir, ['rev-parse', `gitops/${APP}^@`])).toBe(mainBefore);
    expect(api.calls[0]).toMatchObject({
      owner: 'acme',
      repo: repo.name,
      head: `gitops/${APP}`,
      base: 'main',
      title: 'deploy(verity-api): staging 1.4.0',
      labels: ['gitops', 'staging'],
      autoMerge: true,
    });
    expect(api.calls[0]!.body).toContain(`+++ b/${APP}/monochart/templates/deployment.yaml`);

    // Another app lands on main; the next version is proposed on top of the open proposal, with main as second parent.
    const other = writeDir({ 'cm.yaml': manifest('ConfigMap', 'web', '3.0.0') }, 'web--staging');
    await commitToGitops(stepOptions({ repository: `acme/${repo.name}`, serverUrl: server.url, token: TOKEN, source: other }), deps());
    const mainNow = gitIn(repo.dir, ['rev-parse', 'main']);
    const second = await commitToGitops(stepOptions({ ...base, source: writeDir(renderedFiles('verity-api', '1.5.0')) }), deps({ pullRequestApi: api }));
    expect(second).toMatchObject({ changed: true, previousVersion: '' });
    expect(gitIn(repo.dir, ['rev-parse', `gitops/${APP}^1`, `gitops/${APP}^2`]).split('\n')).toEqual([first.commitSha, mainNow]);
    expect(gitIn(repo.dir, ['diff', '--name-only', 'main', `gitops/${APP}`]).split('\n')).toEqual([
      `${APP}/monochart/templates/deployment.yaml`,
      `${APP}/monochart/templates/service.yaml`,
    ]);
    expect(filesAt(repo.dir, 'web--staging', `gitops/${APP}`)).toEqual({ 'cm.yaml': manifest('ConfigMap', 'web', '3.0.0') });

    // The same again: nothing to push, the pull request is still made sure of.
    const third = await commitToGitops(stepOptions({ ...base, source: writeDir(renderedFiles('verity-api', '1.5.0')) }), deps({ pullRequestApi: api }));
    expect(third).toMatchObject({ changed: false, commitSha: second.commitSha, attempts: 0, pullRequestNumber: 7 });
    expect(api.calls).toHaveLength(3);

    // A lower version than the open proposal is refused.
    await expect(
      commitToGitops(stepOptions({ ...base, source: writeDir(renderedFiles('verity-api', '1.3.0')) }), deps({ pullRequestApi: api })),
    ).rejects.toThrow(`refusing to replace version 1.5.0 in gitops/${APP} (the open proposal):${APP} with the lower 1.3.0`);
  });

  test('dry run proposes nothing', async () => {
    const repo = servedRepo();
    const api = recordingApi();
    const r = await commitToGitops(
      stepOptions({
        repository: `acme/${repo.name}`,
        serverUrl: server.url,
        token: TOKEN,
        mode: 'pull-request',
        dryRun: true,
        source: writeDir(renderedFiles('verity-api', '1.4.0')),
      }),
      deps({ pullRequestApi: api }),
    );
    expect(r).toMatchObject({ changed: true, dryRun: true, pullRequestNumber: undefined });
    expect(api.calls).toEqual([]);
    expect(gitIn(repo.dir, ['branch', '--list', 'gitops/*'])).toBe('');
  });

  test('a repository outside the GitHub server cannot take a pull request', async () => {
    const origin = gitopsOrigin();
    await expect(
      commitToGitops(stepOptions({ repository: origin.url, mode: 'pull-request', source: writeDir(renderedFiles('verity-api', '1.4.0')) }), deps({ pullRequestApi: recordingApi() })),
    ).rejects.toThrow(`pull-request mode needs a repository on https://github.com (owner/name); ${origin.url} is not one`);
  });
});
