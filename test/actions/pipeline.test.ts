import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gitopsOrigin } from '../integration/gitops-fixtures.js';
import { createBuildahStore, type BuildahStore } from '../harness/images.js';
import { startArgoCdServer, type ArgoCdServer } from '../harness/argocd-server.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { startGitHubApiServer, type GitHubApiServer } from '../harness/github-api-server.js';
import { gitIn, TestRepo } from '../harness/git-repo.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';
import { readActionYml, repoRoot, runBundle, type BundleRun } from '../harness/run-bundle.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';

const EXAMPLE = join(repoRoot, 'examples', 'verity-api');
const OUTPUTS = ['changed', 'commit-sha', 'commit-url', 'digest', 'environment', 'failed-step', 'healthy', 'image-ref', 'pull-request-url', 'synced', 'version'];
const APPLICATION = 'applications/verity-api--staging.yaml';

let registry: TestRegistry;
let store: BuildahStore;
let slack: SlackServer;
let argocd: ArgoCdServer;

beforeAll(async () => {
  store = createBuildahStore();
  [registry, slack, argocd] = await Promise.all([startRegistry(), startSlackServer(), startArgoCdServer()]);
});

afterAll(async () => {
  await Promise.all([registry?.stop(), slack?.close(), argocd?.close()]);
  await store?.cleanup();
});

interface Setup {
  app: TestRepo;
  staging: { dir: string; url: string };
  image: string;
}

/**
 * examples/verity-api as a team's app repository: its gitops.yaml pointed at a
 * local registry and a file:// GitOps repository, and a conventional-commit
 * history since v1.3.0 (a feature and a fix: 1.4.0 next).
 */
function setup(edit: (gitopsYaml: string) => string = (y) => y, imagePath = 'acme/verity-api'): Setup {
  const staging = gitopsOrigin({ 'README.md': '# staging desired state\n', 'billing--staging/deployment.yaml': 'kind: Deployment\n' });
  const app = TestRepo.create();
  cpSync(EXAMPLE, app.dir, { recursive: true, filter: (src) => !src.includes(`${EXAMPLE}/.github`) });
  const image = `${registry.host}/${imagePath}`;
  const config = join(app.dir, 'gitops.yaml');
  writeFileSync(
    config,
    edit(
      readFileSync(config, 'utf8')
        .replace('image: ghcr.io/acme/verity-api', `image: ${image}`)
        .replace('repository: acme/va-verity-eks-stage-gitops', `repository: ${staging.url}`),
    ),
  );
  app.commit('chore: import verity-api');
  app.tag('v1.3.0', { annotated: true });
  app.commit('feat(api): serve /index.json', { 'public/index.json': '{"service": "verity-api", "v": 2}\n' });
  app.commit('fix: answer /healthz with a newline', { 'public/healthz': 'ok\n\n' });
  return { app, staging: { dir: staging.dir, url: staging.url }, image };
}

function pipeline(s: Setup, inputs: Record<string, string>): Promise<BundleRun> {
  return runBundle('pipeline', {
    actionDir: repoRoot,
    workspace: s.app.dir,
    inputs: { 'registry-insecure': 'true', ...inputs },
    context: { sha: s.app.head(), ref: 'refs/heads/main', repository: 'acme/verity-api', payload: { head_commit: { message: 'fix: answer /healthz with a newline' } } },
    // No docker daemon, even where one answers: the builds here are buildah's.
    env: { ...store.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
}

function slackBot(): Record<string, string> {
  return { 'slack-bot-token': slack.botToken, 'slack-api-url': slack.apiUrl, 'slack-channel': slack.channel.id };
}

function head(bare: string): string {
  return gitIn(bare, ['rev-parse', 'main']);
}

function filesChanged(bare: string, ref = 'main'): string[] {
  return gitIn(bare, ['show', '--format=', '--name-only', ref]).split('\n').filter(Boolean);
}

async function manifestDigest(ref: string, path = 'acme/verity-api'): Promise<string | null> {
  const response = await fetch(`${registry.url}/v2/${path}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  return response.status === 200 ? response.headers.get('docker-content-digest') : null;
}

/** `gitops-actions <args>` from the CLI bundle, in the app repository, as someone would type it there. */
async function cli(s: Setup, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('GITOPS_ACTIONS_')));
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'index.js'), ...args], { cwd: s.app.dir, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  return { code, stdout, stderr };
}

/** Every text of a Slack message, for assertions about what it says. */
function messageText(payload: unknown): string {
  return JSON.stringify(payload);
}

describe('the root action (dist/pipeline)', () => {
  test('action.yml at the root is actions/pipeline/action.yml, run from the root', () => {
    const root = readActionYml('pipeline', repoRoot);
    const folder = readActionYml('pipeline');
    expect(root.runs).toEqual({ using: 'node24', main: 'dist/pipeline/index.js' });
    expect(folder.runs).toEqual({ using: 'node24', main: '../../dist/pipeline/index.js' });
    expect({ ...root, runs: undefined }).toEqual({ ...folder, runs: undefined });
  });

  test('an unknown step is an error naming the valid ones, before anything runs', async () => {
    const s = setup();
    const before = head(s.staging.dir);
    const requests = slack.requests.length;
    const r = await pipeline(s, { steps: 'version, biuld\nrender, deploy', ...slackBot() });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      "input 'steps': unknown steps 'biuld' (did you mean 'build'?), 'deploy'; the steps are version, build, render, commit, wait, notify",
    ]);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
    expect(head(s.staging.dir)).toBe(before);
    expect(slack.requests.length).toBe(requests);
  });

  test.each([
    ['an unknown environment', (y: string) => y, { environment: 'stagng' }, "gitops.yaml has no environment 'stagng', did you mean 'staging'? (environments: production, staging)"],
    [
      'a values file the repository lacks',
      (y: string) => y.replace('values: [deploy/staging.yaml]', 'values: [deploy/stagin.yaml]'),
      { environment: 'staging' },
      /^gitops\.yaml:15:14: environments\.staging\.values\[0\]: deploy\/stagin\.yaml does not exist/,
    ],
    [
      'an environment without a GitOps repository',
      (y: string) => y.replace(/^ {4}gitops: .*\n/m, ''), // the first is staging's
      { environment: 'staging' },
      /^gitops\.yaml:14:3: environments\.staging: environment 'staging' has no GitOps repository to commit to: set environments\.staging\.gitops\.repository/,
    ],
  ])('gitops.yaml with %s: a clear error before anything is built, pushed, committed or sent', async (_name, edit, inputs, message) => {
    const s = setup(edit);
    const before = head(s.staging.dir);
    const requests = slack.requests.length;
    const r = await pipeline(s, { ...inputs, ...slackBot() });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    if (typeof message === 'string') expect(r.errors[0]).toBe(message);
    else expect(r.errors[0]).toMatch(message);
    expect(r.stdout).not.toMatch(/── (version|build|render|commit|notify)/);
    expect(await manifestDigest('1.4.0')).toBeNull();
    expect(head(s.staging.dir)).toBe(before);
    expect(slack.requests.length).toBe(requests);
  });

  test('commit without render, and a render with no image to pin, are refused before anything runs', async () => {
    const s = setup();
    const noRender = await pipeline(s, { steps: 'version, commit' });
    expect(noRender.errors).toEqual([
      "input 'steps': the commit step commits what the render step writes, so it needs render too (to commit a directory rendered elsewhere, use the commit-to-gitops action with its 'source' input)",
    ]);
    const noImage = await pipeline(s, { steps: 'render' });
    expect(noImage.errors[0]).toMatch(/^the render step has no image of 127\.0\.0\.1:\d+\/acme\/verity-api to deploy: add the build step, give input 'image-digest'/);
    expect(noImage.stdout).not.toContain('── render');
  });

  test('the whole pipeline: version, buildah build pushed to the registry, render, one GitOps commit with the Argo CD Application, one Slack message posted then updated', async () => {
    const s = setup();
    const posts = slack.requests.length;
    const r = await pipeline(s, { environment: 'staging', ...slackBot() });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);

    // The image the registry serves is the one the manifests pin.
    const digest = await manifestDigest('1.4.0');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await manifestDigest(`sha-${s.app.head().slice(0, 7)}`)).toBe(digest);
    const commit = head(s.staging.dir);
    expect(r.outputs).toEqual({
      version: '1.4.0',
      digest,
      'image-ref': `${s.image}@${digest}`,
      'commit-sha': commit,
      'commit-url': '',
      changed: 'true',
      'pull-request-url': '',
      synced: '',
      healthy: '',
      environment: 'staging',
      'failed-step': '',
    });

    // One commit: the app's directory and its Argo CD Application, nothing else touched.
    const changed = filesChanged(s.staging.dir);
    expect(changed).toContain(APPLICATION);
    expect(changed).toContain('verity-api--staging/monochart/templates/deployment.yaml');
    expect(changed.every((f) => f === APPLICATION || f.startsWith('verity-api--staging/'))).toBe(true);
    expect(gitIn(s.staging.dir, ['rev-list', '--count', 'main'])).toBe('2');
    const deployment = gitIn(s.staging.dir, ['show', 'main:verity-api--staging/monochart/templates/deployment.yaml']);
    expect(deployment).toContain(`image: ${s.image}@${digest}`);
    expect(deployment).toContain('gitops-actions.io/version: 1.4.0');
    expect(gitIn(s.staging.dir, ['show', `main:${APPLICATION}`])).toBe(
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata:',
        '  name: verity-api--staging',
        'spec:',
        '  destination:',
        '    namespace: verity',
        '    server: https://kubernetes.default.svc',
        '  project: default',
        '  source:',
        '    path: verity-api--staging',
        `    repoURL: ${s.staging.url}`,
        '    targetRevision: main',
        '  syncPolicy:',
        '    automated:',
        '      prune: true',
        '      selfHeal: true',
        '    syncOptions:',
        '      - CreateNamespace=true',
      ].join('\n'),
    );
    expect(gitIn(s.staging.dir, ['log', '-1', '--format=%s', 'main'])).toBe('deploy(verity-api): staging 1.4.0');

    // Slack: posted when the deploy started, updated with the result; nothing else.
    const sent = slack.requests.slice(posts);
    expect(sent.map((q) => q.endpoint)).toEqual(['chat.postMessage', 'chat.update']);
    const ts = (sent[1]!.body as { ts: string }).ts;
    const message = slack.messages.get(ts)!;
    expect(message.updates).toBe(1);
    expect(messageText(sent[0]!.body)).toContain('Deploying verity-api 1.4.0 to staging');
    expect(messageText(message.payload)).toContain('verity-api 1.4.0 deployed to staging');
    expect(messageText(message.payload)).toContain(digest);

    // The summary: the outcome and a row per step first, then each step's own.
    expect(r.summary).toMatch(/^## gitops-actions pipeline: verity-api 1\.4\.0 → staging\n\n\*\*✅ done\*\*/);
    expect(r.summary).toContain('| version | ✅ 1.4.0 (minor bump from 1.3.0) |');
    expect(r.summary).toContain(`| build | ✅ pushed ${s.image}@${digest} |`);
    expect(r.summary).toContain(`| commit | ✅ committed ${commit.slice(0, 12)} |`);
    expect(r.summary).toContain('| notify | ✅ Slack message updated with the result |');
    expect(r.summary).toContain(`Argo CD Application \`${APPLICATION}\`: created with this first deploy.`);
    expect(r.summary).toContain('### commit-to-gitops: `verity-api--staging`');
    // Secrets never reach the log or the summary.
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(slack.botToken);
    expect(r.summary).not.toContain(slack.botToken);
  });

  test('the Argo CD Application is written with the first deploy only, and never replaced', async () => {
    const s = setup();
    const first = await pipeline(s, { environment: 'staging', steps: 'version, render, commit', version: '1.4.0' });
    expect(first.errors).toEqual([]);
    expect(filesChanged(s.staging.dir)).toContain(APPLICATION);

    // Someone tunes the Application in the GitOps repository; the next deploy leaves it alone.
    const tuned = TestRepo.create();
    gitIn(tuned.dir, ['pull', '--quiet', s.staging.url, 'main']);
    const edited = `${gitIn(tuned.dir, ['show', `HEAD:${APPLICATION}`])}\n  # tuned by the platform team\n`;
    tuned.commit('chore: tune the Application', { [APPLICATION]: edited });
    gitIn(tuned.dir, ['push', '--quiet', s.staging.url, 'HEAD:main']);

    s.app.commit('feat: a second feature');
    const second = await pipeline(s, { environment: 'staging', steps: 'version, render, commit', version: '1.5.0' });
    expect(second.errors).toEqual([]);
    expect(second.outputs.changed).toBe('true');
    expect(filesChanged(s.staging.dir).every((f) => f.startsWith('verity-api--staging/'))).toBe(true);
    expect(gitIn(s.staging.dir, ['show', `main:${APPLICATION}`])).toBe(edited.trimEnd());
    expect(second.stdout).toContain(`${APPLICATION}: already in the GitOps repository, left as it is`);
    expect(second.summary).toContain(`Argo CD Application \`${APPLICATION}\`: already in the GitOps repository, left as it is.`);

    // The same desired state again: no commit at all.
    const third = await pipeline(s, { environment: 'staging', steps: 'version, render, commit', version: '1.5.0' });
    expect(third.errors).toEqual([]);
    expect(third.outputs.changed).toBe('false');
  });

  test('without the build step: the digest given as image-digest, or the version tag', async () => {
    const s = setup((y) => y.replace(/\nargocd: .*\n/, '\n'));
    const digest = `sha256:${'ab'.repeat(32)}`;
    const pinned = await pipeline(s, { environment: 'staging', steps: 'version, render, commit', 'image-digest': digest });
    expect(pinned.errors).toEqual([]);
    expect(pinned.outputs).toMatchObject({ version: '1.4.0', digest, 'image-ref': `${s.image}@${digest}`, changed: 'true' });
    expect(pinned.stdout).toContain(`image: ${s.image}@${digest} (input 'image-digest')`);
    expect(filesChanged(s.staging.dir).every((f) => f.startsWith('verity-api--staging/'))).toBe(true);

    const byTag = await pipeline(s, { environment: 'staging', steps: 'render\ncommit', version: '1.4.1' });
    expect(byTag.errors).toEqual([]);
    expect(byTag.outputs).toMatchObject({ version: '1.4.1', digest: '', 'image-ref': `${s.image}:1.4.1` });
    expect(gitIn(s.staging.dir, ['show', 'main:verity-api--staging/monochart/templates/deployment.yaml'])).toContain(`image: ${s.image}:1.4.1`);
    expect(byTag.summary).toContain('| build | ➖ not in steps |');
  });

  test('a failing commit (no such GitOps repository) fails the step, and the summary and Slack name it', async () => {
    const s = setup((y) => y.replace(/repository: file:\/\/\S+ /, 'repository: file:///nonexistent/gitops.git, '));
    const posts = slack.requests.length;
    const r = await pipeline(s, { environment: 'staging', steps: 'version, render, commit, notify', ...slackBot() });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^the commit step failed: repository file:\/\/\/nonexistent\/gitops\.git not found/);
    expect(r.outputs).toMatchObject({ 'failed-step': 'commit', version: '1.4.0', 'commit-sha': '', changed: '' });
    expect(r.summary).toContain('**❌ failed at commit**');
    expect(r.summary).toMatch(/\| commit \| ❌ repository file:\/\/\/nonexistent\/gitops\.git not found/);
    expect(r.summary).toContain('**The commit step failed:**');

    const sent = slack.requests.slice(posts);
    expect(sent.map((q) => q.endpoint)).toEqual(['chat.postMessage', 'chat.update']);
    const final = messageText(sent[1]!.body);
    expect(final).toContain('Deploy of verity-api 1.4.0 to staging failed');
    expect(final).toContain('*Failed step*\\ncommit');
    expect(final).toContain('nonexistent/gitops.git not found');
  });

  test('a webhook gets one message, at the end; the environment comes from deploy-on when not given', async () => {
    const s = setup();
    const hook = slack.webhook();
    const before = slack.webhookPosts.length;
    const r = await pipeline(s, { steps: 'render, commit, notify', version: '1.4.0', 'image-digest': `sha256:${'cd'.repeat(32)}`, 'slack-webhook-url': hook });
    expect(r.errors).toEqual([]);
    expect(r.outputs.environment).toBe('staging');
    expect(r.stdout).toContain('environment staging: its deploy-on in gitops.yaml matches branch main');
    expect(slack.webhookPosts.length).toBe(before + 1);
    expect(messageText(slack.webhookPosts.at(-1))).toContain('verity-api 1.4.0 deployed to staging');
    expect(r.summary).toContain('| notify | ✅ Slack message posted through the webhook |');
  });

  test('gitops-actions pipeline: the same from a terminal, its flags the inputs, secrets from the environment only', async () => {
    const s = setup();
    const hook = slack.webhook();
    const onArgv = await cli(s, ['pipeline', '--slack-webhook-url', hook]);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain('--slack-webhook-url is a secret and is not taken from the command line');
    expect(onArgv.stderr).not.toContain(hook);

    const before = slack.webhookPosts.length;
    const digest = `sha256:${'ef'.repeat(32)}`;
    const r = await cli(s, ['pipeline', '--environment', 'staging', '--steps', 'render,commit,notify', '--version', '1.4.0', '--image-digest', digest], {
      GITOPS_ACTIONS_SLACK_WEBHOOK_URL: hook,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(
      expect.arrayContaining(['version=1.4.0', `digest=${digest}`, `image-ref=${s.image}@${digest}`, `commit-sha=${head(s.staging.dir)}`, 'changed=true', 'environment=staging', 'failed-step=']),
    );
    expect(r.stderr).toContain('── commit (2/3) ──');
    expect(r.stderr).not.toContain(hook);
    expect(slack.webhookPosts.length).toBe(before + 1);
  });

  test('production in pull-request mode (gitops.yaml as the example has it): the proposal carries the Argo CD Application too', async () => {
    const TOKEN = 'ghs_pipelineGitopsToken000000000000000000';
    const root = mkdtempSync(join(tmpdir(), 'pipeline-github-'));
    const production = gitopsOrigin({ 'README.md': '# production desired state\n' }, { root, name: 'acme/va-verity-eks-prod-gitops.git' });
    let git: GitHttpServer | undefined;
    let github: GitHubApiServer | undefined;
    try {
      git = await startGitHttpServer({ root, token: TOKEN });
      github = await startGitHubApiServer({
        tokens: { [TOKEN]: { permission: 'write' } },
        repos: { 'acme/va-verity-eks-prod-gitops': { gitDir: production.dir } },
      });
      const s = setup();
      const mainBefore = head(production.dir);
      const digest = `sha256:${'12'.repeat(32)}`;
      const r = await runBundle('pipeline', {
        actionDir: repoRoot,
        workspace: s.app.dir,
        inputs: {
          environment: 'production',
          steps: 'render, commit, wait',
          version: '1.4.0',
          'image-digest': digest,
          'gitops-token': TOKEN,
          'argocd-url': argocd.url,
          'argocd-token': argocd.token,
        },
        context: { sha: s.app.head(), ref: 'refs/heads/main', repository: 'acme/verity-api', serverUrl: git.url, apiUrl: github.url },
      });
      expect(r.errors).toEqual([]);
      expect(r.outputs).toMatchObject({ changed: 'true', 'pull-request-url': 'https://github.com/acme/va-verity-eks-prod-gitops/pull/1' });
      expect(head(production.dir)).toBe(mainBefore);
      const [pr] = github.pullRequests('acme/va-verity-eks-prod-gitops');
      expect(pr).toMatchObject({ head: 'gitops/verity-api--production', base: 'main', state: 'open', title: 'deploy(verity-api): production 1.4.0' });
      const proposed = filesChanged(production.dir, 'gitops/verity-api--production');
      expect(proposed).toContain('applications/verity-api--production.yaml');
      expect(proposed).toContain('verity-api--production/monochart/templates/deployment.yaml');
      const application = gitIn(production.dir, ['show', 'gitops/verity-api--production:applications/verity-api--production.yaml']);
      expect(application).toContain(`repoURL: ${git.url}/acme/va-verity-eks-prod-gitops.git`);
      expect(application).toContain('targetRevision: main');
      expect(application).toContain('path: verity-api--production');
      expect(r.summary).toContain('| commit | ✅ proposed in https://github.com/acme/va-verity-eks-prod-gitops/pull/1 |');
      // Argo CD follows main: there is nothing to wait for until the pull request is merged.
      expect(r.summary).toContain(
        '| wait | ⏭️ skipped: the change waits in https://github.com/acme/va-verity-eks-prod-gitops/pull/1; Argo CD syncs it once it is merged |',
      );
      expect(r.outputs).toMatchObject({ synced: '', healthy: '' });
      expect(r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(TOKEN);
    } finally {
      await Promise.all([git?.close(), github?.close()]);
    }
  });

  test('dry run: everything computed and shown, nothing pushed, committed, tagged or sent', async () => {
    const s = setup((y) => y.replace('build: { context: ., file: Dockerfile }', 'build: { context: ., file: Dockerfile }\nversion: { create-tag: true }'), 'acme/dry-run');
    const before = gitIn(s.staging.dir, ['for-each-ref']);
    const posts = slack.requests.length;
    const argocdRequests = argocd.requests.length;
    const r = await pipeline(s, {
      environment: 'staging',
      'dry-run': 'true',
      steps: 'version, build, render, commit, wait, notify',
      'argocd-url': argocd.url,
      'argocd-token': argocd.token,
      ...slackBot(),
    });
    expect(r.errors).toEqual([]);
    expect(r.summary).toContain('| wait | ⏭️ skipped: a dry run commits nothing for Argo CD to sync |');
    expect(argocd.requests.length).toBe(argocdRequests);
    expect(r.exitCode).toBe(0);
    expect(gitIn(s.staging.dir, ['for-each-ref'])).toBe(before);
    expect(s.app.git('tag', '--list')).toBe('v1.3.0');
    expect(await manifestDigest('1.4.0', 'acme/dry-run')).toBeNull();
    expect(slack.requests.length).toBe(posts);
    expect(r.outputs).toMatchObject({ version: '1.4.0', digest: '', 'image-ref': `${s.image}:1.4.0`, changed: 'true', 'failed-step': '' });
    expect(r.summary).toContain('**🧪 dry run: nothing committed, pushed or sent**');
    expect(r.summary).toContain(`Argo CD Application \`${APPLICATION}\`: would be created with this first deploy.`);
    expect(r.stdout).toContain(`+++ b/${APPLICATION}`);
    expect(r.stdout).toContain('Slack payload (dry run, not sent)');
  });
});

describe('the wait step: from "committed" to "live and healthy"', () => {
  /** gitops.yaml with the stand-in as staging's Argo CD (self-signed, so insecure) and the Application known to it. */
  function withArgoCd(scenario: 'healthy' | 'degraded' = 'healthy'): Setup {
    const s = setup((y) => y.replace('url: https://argocd.acme.example', `url: '${argocd.url}', insecure: true, poll-interval: 1s, timeout: 2m`));
    argocd.addApplication({ name: 'verity-api--staging', repo: s.staging.dir, scenario });
    return s;
  }
  const STEPS = 'version, build, render, commit, wait, notify';

  test('the deploy message says "committed, waiting for Argo CD", then "live and healthy"', async () => {
    const s = withArgoCd();
    const posts = slack.requests.length;
    const r = await pipeline(s, { environment: 'staging', steps: STEPS, 'argocd-token': argocd.token, ...slackBot() });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const commit = head(s.staging.dir);
    expect(r.outputs).toMatchObject({ 'commit-sha': commit, synced: 'true', healthy: 'true', 'failed-step': '' });

    // Argo CD was asked about the Application, with the token, for the commit the pipeline made.
    const asked = argocd.requests.filter((q) => q.url.startsWith('/api/v1/applications/verity-api--staging'));
    expect(asked.length).toBeGreaterThanOrEqual(3);
    expect(asked.every((q) => q.authorization === `Bearer ${argocd.token}` && q.status === 200)).toBe(true);
    expect(argocd.application('verity-api--staging')).toMatchObject({ status: { sync: { status: 'Synced', revision: commit }, health: { status: 'Healthy' } } });

    // Posted when the deploy started, updated once committed, updated with the end state.
    const sent = slack.requests.slice(posts);
    expect(sent.map((q) => q.endpoint)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
    expect(messageText(sent[0]!.body)).toContain('Deploying verity-api 1.4.0 to staging');
    expect(messageText(sent[1]!.body)).toContain('verity-api 1.4.0 committed to staging, waiting for Argo CD');
    const final = messageText(sent[2]!.body);
    expect(final).toContain('verity-api 1.4.0 is live and healthy in staging');
    expect(final).toContain('Synced · Healthy');

    expect(r.summary).toContain(`| wait | ✅ verity-api--staging is synced and healthy at ${commit.slice(0, 12)} (`);
    expect(r.summary).toContain('| notify | ✅ Slack message updated with the result |');
    const visible = [r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), r.summary, JSON.stringify(r.outputs)].join('\n');
    expect(visible).not.toContain(argocd.token);

    // Run again: nothing to commit, and Argo CD is asked about the unchanged head.
    const againFrom = slack.requests.length;
    const again = await pipeline(s, { environment: 'staging', steps: STEPS, version: '1.4.0', 'argocd-token': argocd.token, ...slackBot() });
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ changed: 'false', 'commit-sha': commit, synced: 'true', healthy: 'true' });
    const resent = slack.requests.slice(againFrom);
    expect(messageText(resent[1]!.body)).toContain("verity-api 1.4.0 is already staging's desired state, waiting for Argo CD");
    expect(messageText(resent.at(-1)!.body)).toContain('verity-api 1.4.0 is live and healthy in staging');
  });

  test('Degraded: the wait step fails, and Slack says it did not become healthy, and why', async () => {
    const s = withArgoCd('degraded');
    const posts = slack.requests.length;
    const r = await pipeline(s, { environment: 'staging', steps: STEPS, 'argocd-token': argocd.token, ...slackBot() });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^the wait step failed: Argo CD: verity-api--staging: [0-9a-f]{12} is synced but the application is Degraded: Deployment "verity-api--staging" exceeded its progress deadline/);
    expect(r.outputs).toMatchObject({ changed: 'true', synced: 'true', healthy: 'false', 'failed-step': 'wait' });
    const final = messageText(slack.requests.slice(posts).at(-1)!.body);
    expect(final).toContain('verity-api 1.4.0 did not become healthy in staging (Degraded)');
    expect(final).toContain('Synced · Degraded');
    expect(final).toContain('exceeded its progress deadline');
    expect(r.summary).toContain('**❌ failed at wait**');
  });

  test.each([
    ['without the commit step', { steps: 'version, build, render, wait' }, "input 'steps': the wait step waits for Argo CD to sync the GitOps commit the commit step makes, so it needs commit too"],
    ['without a server', { steps: STEPS, 'argocd-token': 'x' }, 'the wait step needs the Argo CD server: set argocd.url in gitops.yaml'],
    ['without a token', { steps: STEPS, 'argocd-url': 'https://argocd.example.com' }, "the wait step needs input 'argocd-token'"],
    ['over plain http', { steps: STEPS, 'argocd-url': 'http://argocd.example.com', 'argocd-token': 'x' }, "input 'argocd-url' is plain http (argocd.example.com): the token would cross the network unencrypted"],
  ])('%s: a clear error before anything runs', async (_name, inputs, message) => {
    const s = setup((y) => y.replace(', url: https://argocd.acme.example', ''));
    const before = head(s.staging.dir);
    const r = await pipeline(s, { environment: 'staging', ...inputs });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(message);
    expect(r.stdout).not.toMatch(/── (version|build|render|commit|wait|notify)/);
    expect(head(s.staging.dir)).toBe(before);
  });

  test('gitops.yaml: an Argo CD URL that is not https is refused where it is written', async () => {
    const s = setup((y) => y.replace('url: https://argocd.acme.example', 'url: http://argocd.example.com'));
    const r = await pipeline(s, { environment: 'staging', steps: STEPS, 'argocd-token': 'x' });
    expect(r.errors[0]).toMatch(/^gitops\.yaml:\d+:\d+: argocd\.url: is plain http \(argocd\.example\.com\): the token would cross the network unencrypted/);
  });
});
