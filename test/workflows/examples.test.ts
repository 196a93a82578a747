import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startArgoCdServer, type ArgoCdServer } from '../harness/argocd-server.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { startGitHubApiServer, type GitHubApiServer } from '../harness/github-api-server.js';
import { cloneOf, gitIn, TestRepo } from '../harness/git-repo.js';
import { createBuildahStore, type BuildahStore } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';
import { repoRoot } from '../harness/run-bundle.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';
import { WorkflowSyntaxError } from './parse-workflow.js';
import { standIns } from './stand-ins.js';
import { formatRun, runWorkflow, WorkflowRunnerError, type RunWorkflowOptions, type StandIn, type WorkflowRun } from './workflow-runner.js';

/**
 * The example app's workflows (examples/verity-api/.github/workflows) and the reusable
 * workflows they call (.github/workflows/deploy.yml, promote.yml), run end to end by the
 * local workflow runner against real parts: a git app repository made of the example app's
 * files (gitops.yaml, Dockerfile, deploy/) with a conventional-commit history and an origin,
 * the real registry (htpasswd) with real buildah builds, GitOps repositories behind smart
 * HTTP that checks the token, the GitHub API stand-in for pull requests, and the Slack
 * stand-in. Nothing reaches the internet: the GitOps repositories are `acme/…` on a GitHub
 * server that is the loopback git server, the image goes where `vars.IMAGE` says (a loopback
 * registry, with `vars.REGISTRY_INSECURE`), Slack is a loopback webhook.
 *
 * Not executed for real here: actions/checkout and actions/setup-java (stand-ins: the app
 * repository is the workspace, moved to the `ref` asked for; gitops-actions/gitops-actions is
 * this working tree, as for its `uses:`), and Maven: the app's `./mvnw` is a stand-in script
 * that prints what Maven would and fails when the app carries a FAIL_TESTS file.
 */

const EXAMPLE = join(repoRoot, 'examples', 'verity-api');
const WORKFLOWS = join(EXAMPLE, '.github', 'workflows');

const REGISTRY_PASSWORD = 'registry-pw-6c1d9e2b';
const GITOPS_TOKEN = 'ghs_gitopsExampleToken000000000000000000';
const ACTOR = 'octocat';
const STAGE_REPO = 'acme/va-verity-eks-stage-gitops';
const PROD_REPO = 'acme/va-verity-eks-prod-gitops';
/** Whole workflow runs: several jobs, each step a process, real builds and pushes. */
const RUN_TIMEOUT = 240_000;

let registry: TestRegistry;
let store: BuildahStore;
let slack: SlackServer;
let argocd: ArgoCdServer;
let sites = 0;

beforeAll(async () => {
  store = createBuildahStore();
  [registry, slack, argocd] = await Promise.all([
    startRegistry({ auth: 'htpasswd', users: { [ACTOR]: REGISTRY_PASSWORD } }),
    startSlackServer(),
    startArgoCdServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([registry?.stop(), slack?.close(), argocd?.close()]);
  await store?.cleanup();
});

/** Stands in for the Maven wrapper (no Maven download here): prints what Maven would, fails on request. */
const MVNW = `#!/bin/sh
echo "mvnw stand-in: mvn $* in $(basename "$PWD")"
if [ -f FAIL_TESTS ]; then
  echo "[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0"
  echo "[INFO] BUILD FAILURE"
  exit 1
fi
echo "[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0"
echo "[INFO] BUILD SUCCESS"
`;

/**
 * The app repository as a team has it: the example's files, released as v1.3.2, then a
 * feature and a fix (so the next version is 1.4.0), with a bare `origin` the version tag
 * is pushed to.
 */
function appRepo(options: { failingTests?: boolean } = {}): { repo: TestRepo; origin: string } {
  const repo = TestRepo.create();
  cpSync(EXAMPLE, repo.dir, { recursive: true });
  writeFileSync(join(repo.dir, 'mvnw'), MVNW);
  chmodSync(join(repo.dir, 'mvnw'), 0o755);
  repo.commit('chore: scaffold verity-api', {});
  repo.tag('v1.3.2', { annotated: true });
  repo.commit('feat(api): verify documents in batches', { 'src/batch.txt': 'batches\n' });
  repo.commit('fix: keep the request id in error responses', { 'src/errors.txt': 'request id\n', ...(options.failingTests ? { FAIL_TESTS: '1\n' } : {}) });
  const origin = repo.bareOrigin();
  repo.git('remote', 'add', 'origin', origin.url);
  repo.git('fetch', '--quiet', 'origin');
  return { repo, origin: origin.dir };
}

/** A bare GitOps repository at `<root>/<name>.git` with a README on main, served by `git http-backend`. */
function gitopsRepo(root: string, name: string): string {
  const seed = TestRepo.create();
  seed.commit('chore: initial desired state', { 'README.md': '# desired state\n', 'other-app--staging/monochart/templates/deployment.yaml': 'kind: Deployment\n' });
  const dir = join(root, `${name}.git`);
  mkdirSync(dir, { recursive: true });
  gitIn(dir, ['clone', '--quiet', '--bare', '--no-local', seed.dir, '.']);
  gitIn(dir, ['config', 'http.receivepack', 'true']);
  return dir;
}

/**
 * One team's world, fresh per test: the staging and production GitOps repositories on a
 * "GitHub" whose git server checks the token and whose API takes pull requests, a Slack
 * webhook, and an image name of its own in the shared registry.
 */
interface Site {
  stage: string;
  prod: string;
  git: GitHttpServer;
  api: GitHubApiServer;
  webhook: string;
  image: string;
  repository: string;
  close(): Promise<void>;
}

async function site(): Promise<Site> {
  const root = mkdtempSync(join(tmpdir(), 'gha-gitops-site-'));
  const stage = gitopsRepo(root, STAGE_REPO);
  const prod = gitopsRepo(root, PROD_REPO);
  const git = await startGitHttpServer({ root, token: GITOPS_TOKEN });
  const api = await startGitHubApiServer({
    tokens: { [GITOPS_TOKEN]: { permission: 'write', githubActions: false } },
    repos: { [STAGE_REPO]: { gitDir: stage }, [PROD_REPO]: { gitDir: prod } },
  });
  const n = ++sites;
  return {
    stage,
    prod,
    git,
    api,
    webhook: slack.webhook(),
    image: `${registry.host}/acme/site-${n}/verity-api`,
    repository: `acme/site-${n}/verity-api`,
    close: async () => {
      await Promise.all([git.close(), api.close()]);
    },
  };
}

/**
 * actions/checkout, as far as these workflows use it: the workspace is the app's checkout
 * (moved to `ref` when one is asked for, as the real action would), and
 * gitops-actions/gitops-actions at any ref is this working tree, as for its `uses:`.
 */
const checkout: StandIn = (step) => {
  const repository = (step.with.repository || step.repository).toLowerCase();
  const target = resolve(step.workspace, step.with.path ?? '');
  if (repository === 'gitops-actions/gitops-actions') {
    // The workflows only run the `gitops-actions` command from it.
    cpSync(join(repoRoot, 'dist', 'cli'), join(target, 'dist', 'cli'), { recursive: true });
    step.log(`checkout stand-in: this working tree's dist/cli as gitops-actions/gitops-actions@${step.with.ref || 'HEAD'} in ${target}`);
    return;
  }
  if (repository === step.repository.toLowerCase() && target === resolve(step.workspace) && step.with.ref) {
    gitIn(step.workspace, ['checkout', '--quiet', step.with.ref]);
    step.log(`checkout stand-in: the workspace is now at ${step.with.ref} (${gitIn(step.workspace, ['rev-parse', 'HEAD'])})`);
    return;
  }
  return standIns['actions/checkout']!(step);
};

/** What every run here shares: the site's GitHub, registry and Slack, buildah without a docker daemon. */
function runOptions(world: Site, workspace: string): Omit<RunWorkflowOptions, 'workflow' | 'event'> {
  return {
    workspace,
    secrets: { REGISTRY_PASSWORD, GITOPS_TOKEN, PROD_GITOPS_TOKEN: GITOPS_TOKEN, GITOPS_READ_TOKEN: GITOPS_TOKEN, SLACK_WEBHOOK_URL: world.webhook },
    vars: { IMAGE: world.image, REGISTRY_INSECURE: 'true' },
    github: { actor: ACTOR, serverUrl: world.git.url, apiUrl: world.api.url, graphqlUrl: `${world.api.url}/graphql` },
    env: { ...store.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    standIns: { 'actions/checkout': checkout },
  };
}

const basicAuth = `Basic ${Buffer.from(`${ACTOR}:${REGISTRY_PASSWORD}`).toString('base64')}`;

/** The digest the registry serves for a tag, or undefined when it has no such tag. */
async function servedDigest(repository: string, tag: string): Promise<string | undefined> {
  const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      Authorization: basicAuth,
      Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return response.status === 200 ? (response.headers.get('docker-content-digest') ?? undefined) : undefined;
}

async function tagsOf(repository: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${repository}/tags/list`, { headers: { Authorization: basicAuth } });
  if (response.status === 404) return [];
  return (((await response.json()) as { tags: string[] | null }).tags ?? []).sort();
}

const show = (bare: string, ref: string, path: string) => gitIn(bare, ['show', `${ref}:${path}`]);
const deploymentOf = (bare: string, env: string, ref = 'main') => show(bare, ref, `verity-api--${env}/monochart/templates/deployment.yaml`);

/** The Slack messages the site's webhook accepted, as Slack received them. */
function slackPosts(world: Site): Record<string, unknown>[] {
  const path = new URL(world.webhook).pathname;
  return slack.requests.filter((r) => r.path === path && r.status === 200).map((r) => r.body as Record<string, unknown>);
}

/** Every secret of these runs, for the check that none reaches a log, a summary or an output. */
function expectNoSecretIn(run: WorkflowRun, world: Site): void {
  const outputs = (r: WorkflowRun): unknown[] => Object.values(r.jobs).flatMap((j) => [j.outputs, ...j.runs.map((leg) => (leg.workflow ? outputs(leg.workflow) : leg.steps.map((s) => s.outputs)))]);
  const everything = `${run.log}\n${run.summary}\n${JSON.stringify(outputs(run))}`;
  for (const secret of [REGISTRY_PASSWORD, GITOPS_TOKEN, world.webhook, argocd.token]) expect(everything).not.toContain(secret);
}

/** A job's keys as written, for what the runner records but does not model (`concurrency.queue`). */
function rawJob(file: string, job: string): Record<string, unknown> {
  const parsed = load(readFileSync(file, 'utf8')) as { jobs: Record<string, Record<string, unknown>> };
  return parsed.jobs[job]!;
}

describe('examples/verity-api: push to main deploys staging', () => {
  test('deploy-staging.yml (the actions one by one): tests, image pushed, staging pinned to its digest in the GitOps repo, tag pushed, Slack told', async () => {
    const world = await site();
    try {
      const { repo, origin } = appRepo();
      // Staging's Argo CD follows the GitOps repo; the workflow waits for it when ARGOCD_URL is set.
      argocd.addApplication({ name: 'verity-api--staging', repo: world.stage });
      const options = runOptions(world, repo.dir);
      const run = await runWorkflow({
        workflow: join(WORKFLOWS, 'deploy-staging.yml'),
        event: { name: 'push' },
        ...options,
        secrets: { ...options.secrets, ARGOCD_TOKEN: argocd.token },
        vars: { ...options.vars, ARGOCD_URL: argocd.url, ARGOCD_INSECURE: 'true' },
      });
      expect(run.conclusion, formatRun(run)).toBe('success');
      expect(Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))).toEqual({ test: 'success', deploy: 'success' });

      // The app's own build and tests ran first, with the JDK the workflow asks for.
      const test = run.jobs.test!.runs[0]!;
      expect(test.steps[1]!.log).toContain('the workflow asks for 21');
      expect(test.steps[2]!.log).toContain('mvnw stand-in: mvn -B verify');
      expect(test.steps[2]!.log).toContain('BUILD SUCCESS');

      // 1.4.0 from the feat commit since v1.3.2; the image and its tags in the registry.
      const version = run.step('deploy', 'version');
      expect(version.outputs).toMatchObject({ version: '1.4.0', tag: 'v1.4.0', 'previous-version': '1.3.2' });
      const build = run.step('deploy', 'build');
      const digest = build.outputs.digest!;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(build.outputs['image-ref']).toBe(`${world.image}@${digest}`);
      const short = repo.head().slice(0, 7);
      expect(await tagsOf(world.repository)).toEqual(['1.4.0', `sha-${short}`, 'staging'].sort());
      expect(await servedDigest(world.repository, '1.4.0')).toBe(digest);
      expect(await servedDigest(world.repository, 'staging')).toBe(digest);

      // The version tag reached origin, so the next push bumps from 1.4.0.
      expect(gitIn(origin, ['rev-parse', 'v1.4.0^{commit}'])).toBe(repo.head());

      // Staging's desired state: pinned to the pushed digest, with provenance, nothing else touched.
      const deployment = deploymentOf(world.stage, 'staging');
      expect(deployment).toContain(`image: ${world.image}@${digest}`);
      expect(deployment).toContain('gitops-actions.io/version: 1.4.0');
      expect(deployment).toContain('namespace: verity');
      expect(show(world.stage, 'main', 'verity-api--staging/monochart/templates/service.yaml')).toContain('kind: Service');
      expect(show(world.stage, 'main', 'other-app--staging/monochart/templates/deployment.yaml')).toBe('kind: Deployment');
      const message = gitIn(world.stage, ['log', '-1', '--format=%B', 'main']);
      expect(message).toMatch(/^deploy\(verity-api\): staging 1\.4\.0\n/);
      expect(message).toContain(`Source-Commit: ${repo.head()}`);
      expect(message).toContain('Version: 1.4.0');
      expect(run.step('deploy', 'commit').outputs).toMatchObject({ changed: 'true', 'commit-sha': gitIn(world.stage, ['rev-parse', 'main']) });
      // The push went over smart HTTP with the token; the server refused nothing.
      const pushes = world.git.requests.filter((r) => r.path.endsWith('/git-receive-pack'));
      expect(pushes.length).toBeGreaterThan(0);
      expect(pushes.every((r) => r.authorization !== undefined && r.status === 200)).toBe(true);

      // Argo CD synced that commit and the app became healthy; Slack heard it is live.
      const commitSha = gitIn(world.stage, ['rev-parse', 'main']);
      expect(run.step('deploy', 'wait').outputs).toMatchObject({ synced: 'true', healthy: 'true', revision: commitSha, 'sync-status': 'Synced', 'health-status': 'Healthy' });
      expect(argocd.requests.some((q) => q.url.startsWith('/api/v1/applications/verity-api--staging') && q.authorization === `Bearer ${argocd.token}`)).toBe(true);
      const posts = slackPosts(world);
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0])).toContain('verity-api 1.4.0 is live and healthy in staging');
      expect(JSON.stringify(posts[0])).toContain('Synced · Healthy');

      // What GitHub would enforce: read-only tests, write only where the version tag and image
      // are pushed, the staging environment, one deploy at a time that nobody cancels.
      expect(run.permissions).toEqual({ contents: 'read' });
      expect(test.permissions).toEqual({ contents: 'read' });
      const deploy = run.jobs.deploy!.runs[0]!;
      expect(deploy.permissions).toEqual({ contents: 'write', packages: 'write' });
      expect(deploy.environment).toEqual({ name: 'staging', url: '' });
      expect(deploy.concurrency).toEqual({ group: 'deploy-verity-api-staging', cancelInProgress: false });
      expect(rawJob(join(WORKFLOWS, 'deploy-staging.yml'), 'deploy').concurrency).toMatchObject({ queue: 'max' });
      expectNoSecretIn(run, world);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  test('deploy-reusable.yml (the reusable workflow, secrets passed one by one): the same result, each job narrowed to what it needs', async () => {
    const world = await site();
    try {
      const { repo } = appRepo();
      const file = join(WORKFLOWS, 'deploy-reusable.yml');
      argocd.addApplication({ name: 'verity-api--staging', repo: world.stage });
      const options = runOptions(world, repo.dir);
      const run = await runWorkflow({
        workflow: file,
        event: { name: 'push' },
        ...options,
        secrets: { ...options.secrets, ARGOCD_TOKEN: argocd.token },
        vars: { ...options.vars, ARGOCD_URL: argocd.url, ARGOCD_INSECURE: 'true' },
      });
      expect(run.conclusion, formatRun(run)).toBe('success');
      expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*secrets:\s*inherit/m);

      const call = run.jobs.deploy!.runs[0]!;
      expect(call.permissions).toEqual({ contents: 'write', packages: 'write' });
      const called = call.workflow!;
      expect(called.file).toBe('.github/workflows/deploy.yml');
      expect(called.inputs).toMatchObject({ config: 'gitops.yaml', environment: 'staging', image: world.image, 'registry-insecure': true, 'test-command': './mvnw -B verify' });
      expect(Object.fromEntries(Object.entries(called.jobs).map(([id, j]) => [id, j.result]))).toEqual({ test: 'success', build: 'success', deploy: 'success', notify: 'success' });

      const digest = run.jobs.deploy!.outputs.digest!;
      expect(run.jobs.deploy!.outputs).toMatchObject({
        version: '1.4.0',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        'image-ref': `${world.image}@${digest}`,
        changed: 'true',
        'commit-sha': gitIn(world.stage, ['rev-parse', 'main']),
        'pull-request-url': '',
        healthy: 'true',
      });
      expect(await servedDigest(world.repository, '1.4.0')).toBe(digest);
      expect(await servedDigest(world.repository, 'staging')).toBe(digest);
      expect(deploymentOf(world.stage, 'staging')).toContain(`image: ${world.image}@${digest}`);

      const testJob = called.jobs.test!.runs[0]!;
      expect(testJob.steps.find((s) => s.name === 'Test')!.log).toContain('mvnw stand-in: mvn -B verify');
      expect(testJob.steps.find((s) => s.uses?.startsWith('actions/setup-java@'))!.log).toContain('the workflow asks for 21');
      expect(testJob.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.outcome).toBe('skipped');

      const permissions = Object.fromEntries(Object.entries(called.jobs).map(([id, j]) => [id, j.runs[0]!.permissions]));
      expect(permissions).toEqual({ test: { contents: 'read' }, build: { contents: 'write', packages: 'write' }, deploy: { contents: 'read' }, notify: {} });
      const deploy = called.jobs.deploy!.runs[0]!;
      expect(deploy.environment).toEqual({ name: 'staging', url: '' });
      expect(deploy.concurrency).toEqual({ group: 'gitops-deploy-verity-api-staging', cancelInProgress: false });
      expect(rawJob(join(repoRoot, '.github', 'workflows', 'deploy.yml'), 'deploy').concurrency).toMatchObject({ queue: 'max', 'cancel-in-progress': false });

      const posts = slackPosts(world);
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0])).toContain('verity-api 1.4.0 is live and healthy in staging');
      expectNoSecretIn(run, world);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  test('deploy-reusable.yml with failing tests: nothing is built or pushed, and Slack hears which job failed', async () => {
    const world = await site();
    try {
      const { repo, origin } = appRepo({ failingTests: true });
      const stageHead = gitIn(world.stage, ['rev-parse', 'main']);
      const run = await runWorkflow({ workflow: join(WORKFLOWS, 'deploy-reusable.yml'), event: { name: 'push' }, ...runOptions(world, repo.dir) });
      expect(run.conclusion).toBe('failure');
      const called = run.jobs.deploy!.runs[0]!.workflow!;
      expect(Object.fromEntries(Object.entries(called.jobs).map(([id, j]) => [id, j.result]))).toEqual({ test: 'failure', build: 'skipped', deploy: 'skipped', notify: 'success' });
      expect(called.jobs.test!.runs[0]!.log).toContain('BUILD FAILURE');

      expect(await tagsOf(world.repository)).toEqual([]);
      expect(gitIn(world.stage, ['rev-parse', 'main'])).toBe(stageHead);
      expect(gitIn(origin, ['tag', '--list'])).toBe('v1.3.2');

      const posts = slackPosts(world);
      expect(posts).toHaveLength(1);
      const text = JSON.stringify(posts[0]);
      // The jobs that did not succeed are listed, so the one that failed stands out.
      expect(text).toContain('*Tests*\\nfailure');
      expect(text).toContain('*Build*\\nskipped');
      expect(text).toContain('*Deploy*\\nskipped');
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});

describe('a reusable-workflow call missing a required secret fails before anything is pushed', () => {
  test('a call that does not pass gitops-token is refused by GitHub’s parser, with the line of the call', async () => {
    const error = await runWorkflow({ workflow: join(repoRoot, 'test', 'fixtures', 'examples', 'call-without-gitops-token.yml'), event: { name: 'push' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowSyntaxError);
    expect((error as Error).message).toContain('test/fixtures/examples/call-without-gitops-token.yml:9:11: Secret gitops-token is required, but not provided while calling.');
  });

  test('deploy.yml run without gitops-token is refused before any job starts', async () => {
    const error = await runWorkflow({
      workflow: join(repoRoot, '.github', 'workflows', 'deploy.yml'),
      event: { name: 'workflow_call', inputs: { image: 'ghcr.io/acme/verity-api', 'gitops-repository': STAGE_REPO } },
      secrets: { 'registry-password': 'x' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowRunnerError);
    expect((error as Error).message).toContain("secret 'gitops-token' is required, but not provided while calling");
  });

  test('passed from a repository secret that is not set (an empty value): the first step says so, nothing is built, tagged or committed', async () => {
    const world = await site();
    try {
      const { repo, origin } = appRepo();
      const stageHead = gitIn(world.stage, ['rev-parse', 'main']);
      const options = runOptions(world, repo.dir);
      const { GITOPS_TOKEN: _unset, ...secrets } = options.secrets!;
      const run = await runWorkflow({ workflow: join(WORKFLOWS, 'deploy-reusable.yml'), event: { name: 'push' }, ...options, secrets });
      expect(run.conclusion).toBe('failure');
      const called = run.jobs.deploy!.runs[0]!.workflow!;
      const check = called.jobs.test!.runs[0]!.steps.find((s) => s.name === 'Check the call')!;
      expect(check.outcome).toBe('failure');
      expect(check.annotations[0]!.message).toMatch(/^secret 'gitops-token' is empty: the caller passes it from a secret that is not set/);
      expect(called.jobs.build!.result).toBe('skipped');
      expect(await tagsOf(world.repository)).toEqual([]);
      expect(gitIn(world.stage, ['rev-parse', 'main'])).toBe(stageHead);
      expect(gitIn(origin, ['tag', '--list'])).toBe('v1.3.2');
      expect(slackPosts(world)).toHaveLength(1);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});

describe('a gitops.yaml that does not fit fails before anything is pushed', () => {
  test('an environment gitops.yaml does not have: the build job stops at its render check, before the version tag and the image', async () => {
    const world = await site();
    try {
      const { repo, origin } = appRepo();
      const run = await runWorkflow({
        workflow: join(repoRoot, '.github', 'workflows', 'deploy.yml'),
        event: { name: 'workflow_call', inputs: { config: 'gitops.yaml', environment: 'qa', image: world.image, 'registry-insecure': true } },
        ...runOptions(world, repo.dir),
        secrets: { 'gitops-token': GITOPS_TOKEN, 'registry-password': REGISTRY_PASSWORD, 'slack-webhook-url': world.webhook },
      });
      expect(run.conclusion).toBe('failure');
      expect(Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))).toEqual({ test: 'success', build: 'failure', deploy: 'skipped', notify: 'success' });
      const [, check, version, build] = run.jobs.build!.runs[0]!.steps;
      expect(check!.name).toBe('Check that qa renders');
      expect(check!.outcome).toBe('failure');
      expect(check!.annotations[0]!.message).toMatch(/^gitops\.yaml has no environment 'qa' .*staging/);
      expect([version!.outcome, build!.outcome]).toEqual(['skipped', 'skipped']);
      expect(await tagsOf(world.repository)).toEqual([]);
      expect(gitIn(origin, ['tag', '--list'])).toBe('v1.3.2');
      expect(JSON.stringify(slackPosts(world)[0])).toContain('*Build*\\nfailure');
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});

/**
 * An app repository where 1.4.0 runs on staging (deployed by deploy-reusable.yml), and main
 * has moved on since with a change to production's values that 1.4.0 must not pick up.
 */
async function stagedApp(world: Site, options: { productionInPushMode?: boolean } = {}): Promise<{ repo: TestRepo; digest: string }> {
  const { repo } = appRepo();
  if (options.productionInPushMode) {
    const config = join(repo.dir, 'gitops.yaml');
    repo.commit('chore: production in push mode', { 'gitops.yaml': readFileSync(config, 'utf8').replace(', mode: pull-request }', ' }') });
  }
  const staged = await runWorkflow({ workflow: join(WORKFLOWS, 'deploy-reusable.yml'), event: { name: 'push' }, ...runOptions(world, repo.dir) });
  expect(staged.conclusion, formatRun(staged)).toBe('success');
  const digest = staged.jobs.deploy!.outputs.digest!;
  expect(deploymentOf(world.stage, 'staging')).toContain(`@${digest}`);
  repo.commit('feat: more replicas in production', { 'deploy/production.yaml': 'replicas: 9\n' });
  return { repo, digest };
}

describe('promotion to production', () => {
  test('promote.yml: two versions run on staging; the second promoted to production by digest, production rolled back to the first; history and tags checked after each; bad requests stop first', async () => {
    const world = await site();
    try {
      const { repo, digest: first } = await stagedApp(world, { productionInPushMode: true });
      const again = await runWorkflow({ workflow: join(WORKFLOWS, 'deploy-reusable.yml'), event: { name: 'push' }, ...runOptions(world, repo.dir) });
      expect(again.conclusion, formatRun(again)).toBe('success');
      const second = again.jobs.deploy!.outputs.digest!;
      expect(second).not.toBe(first);
      expect(deploymentOf(world.stage, 'staging')).toContain('gitops-actions.io/version: 1.5.0');

      const call = (version: string, extra: Record<string, string | boolean> = {}) =>
        runWorkflow({
          workflow: join(repoRoot, '.github', 'workflows', 'promote.yml'),
          event: { name: 'workflow_call', callerEvent: 'workflow_dispatch', inputs: { version, image: world.image, 'registry-insecure': true, ...extra } },
          ...runOptions(world, repo.dir),
          secrets: { 'gitops-token': GITOPS_TOKEN, 'registry-password': REGISTRY_PASSWORD, 'slack-webhook-url': world.webhook },
        });
      const subjects = () => gitIn(world.prod, ['log', '--format=%s', 'main']).split('\n');

      // 1.5.0, what staging runs: the same digest, production's values of 1.5.0, committed, then tagged.
      const up = await call('1.5.0');
      expect(up.conclusion, formatRun(up)).toBe('success');
      const job = up.jobs.promote!.runs[0]!;
      expect(job.name).toBe('promote 1.5.0 to production');
      expect(up.outputs).toEqual({ version: '1.5.0', digest: second, 'commit-sha': gitIn(world.prod, ['rev-parse', 'main']), 'pull-request-url': '', changed: 'true' });
      let deployment = deploymentOf(world.prod, 'production');
      expect(deployment).toContain(`image: ${world.image}@${second}`);
      expect(deployment).toContain('gitops-actions.io/version: 1.5.0');
      expect(deployment).toContain('replicas: 9');
      expect(subjects()[0]).toBe('promote(verity-api): production 1.5.0 from staging');
      const message = gitIn(world.prod, ['log', '-1', '--format=%B', 'main']);
      expect(message).toContain('Version: 1.5.0');
      expect(message).toContain('Environment: production');
      expect(await servedDigest(world.repository, 'production')).toBe(second);
      expect(await servedDigest(world.repository, '1.5.0')).toBe(second);
      expect(job.steps.some((s) => s.uses?.includes('build-and-push'))).toBe(false);
      expect(up.summary).toContain('### promote `verity-api`: 1.5.0 from staging to production');
      expect(up.summary).toMatch(/\| staging ran 1\.5\.0 \| since \d{4}-\d\d-\d\d/);

      expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
      expect(job.environment).toEqual({ name: 'production', url: '' });
      expect(job.concurrency).toEqual({ group: 'gitops-deploy-verity-api-production', cancelInProgress: false });
      expect(rawJob(join(repoRoot, '.github', 'workflows', 'promote.yml'), 'promote').concurrency).toMatchObject({ queue: 'max', 'cancel-in-progress': false });

      // 1.4.0 without allow-downgrade: production's never-go-backwards check refuses; nothing moves.
      const prodHead = gitIn(world.prod, ['rev-parse', 'main']);
      const refused = await call('1.4.0');
      expect(refused.conclusion).toBe('failure');
      expect(refused.jobs.promote!.runs[0]!.steps.find((s) => s.id === 'promote')!.log).toContain('refusing to replace version 1.5.0');
      expect(gitIn(world.prod, ['rev-parse', 'main'])).toBe(prodHead);
      expect(await servedDigest(world.repository, 'production')).toBe(second);

      // The rollback: 1.4.0 at the digest staging ran it at, with 1.4.0's production values.
      const back = await call('1.4.0', { 'allow-downgrade': true });
      expect(back.conclusion, formatRun(back)).toBe('success');
      expect(back.outputs).toMatchObject({ version: '1.4.0', digest: first, changed: 'true' });
      deployment = deploymentOf(world.prod, 'production');
      expect(deployment).toContain(`image: ${world.image}@${first}`);
      expect(deployment).toContain('gitops-actions.io/version: 1.4.0');
      expect(deployment).toContain('replicas: 3');
      expect(subjects().slice(0, 2)).toEqual(['promote(verity-api): production 1.4.0 from staging', 'promote(verity-api): production 1.5.0 from staging']);
      expect(await servedDigest(world.repository, 'production')).toBe(first);

      const posts = slackPosts(world);
      expect(posts).toHaveLength(5); // two staging deploys, three promotions (one refused)
      expect(JSON.stringify(posts[4])).toMatch(/verity-api 1\.4\.0/);
      expect(JSON.stringify(posts[4])).toContain('Promoted from');
      for (const run of [up, refused, back]) expectNoSecretIn(run, world);

      // Not a version: refused by the first step, before any checkout, retag or commit.
      const tagsBefore = await tagsOf(world.repository);
      const headBefore = gitIn(world.prod, ['rev-parse', 'main']);
      const bad = await call('1.4.0::set-output x');
      expect(bad.conclusion).toBe('failure');
      const check = bad.jobs.promote!.runs[0]!.steps[0]!;
      expect(check.name).toBe('Check the request');
      expect(check.annotations[0]!.message).toBe("input 'version' must be a version like 1.4.0 (got '1.4.0??set-output?x')");
      expect(bad.jobs.promote!.runs[0]!.steps.slice(1).every((s) => s.outcome === 'skipped')).toBe(true);
      expect(await tagsOf(world.repository)).toEqual(tagsBefore);
      expect(gitIn(world.prod, ['rev-parse', 'main'])).toBe(headBefore);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  test('examples promote.yml (workflow_dispatch): inputs to the reusable workflow, retag and render of the release; production gets a pull request, as gitops.yaml says', async () => {
    const world = await site();
    try {
      const { repo, digest } = await stagedApp(world);
      const prodHead = gitIn(world.prod, ['rev-parse', 'main']);
      const run = await runWorkflow({ workflow: join(WORKFLOWS, 'promote.yml'), event: { name: 'workflow_dispatch', inputs: { version: '1.4.0' } }, ...runOptions(world, repo.dir) });
      expect(run.inputs).toEqual({ version: '1.4.0', from: 'staging', to: 'production', 'allow-downgrade': false });
      const call = run.jobs.promote!.runs[0]!;
      expect(call.permissions).toEqual({ contents: 'read', packages: 'write' });
      const called = call.workflow!;
      expect(called.file).toBe('.github/workflows/promote.yml');
      expect(called.inputs).toMatchObject({ version: '1.4.0', from: 'staging', to: 'production', config: 'gitops.yaml', image: world.image, 'allow-downgrade': false });

      // gitops.yaml puts production in pull-request mode: main is untouched, a pull request proposes the release.
      const commit = called.step('promote', 'promote');
      expect(commit.outcome, formatRun(run)).toBe('success');
      expect(commit.outputs.digest).toBe(digest);
      expect(await servedDigest(world.repository, 'production')).toBe(digest);
      expect(commit.log).toContain('gitops.yaml for production: repository, branch, mode');
      expect(run.conclusion, formatRun(run)).toBe('success');
      expect(gitIn(world.prod, ['rev-parse', 'main'])).toBe(prodHead);
      expect(gitIn(world.prod, ['ls-tree', '--name-only', 'gitops/verity-api--production'])).toContain('verity-api--production');
      const pulls = world.api.pullRequests(PROD_REPO);
      expect(pulls).toHaveLength(1);
      expect(commit.outputs['pull-request-url']).toMatch(new RegExp(`/pull/${pulls[0]!.number}$`));
      const posts = slackPosts(world);
      expect(posts).toHaveLength(2);
      expect(JSON.stringify(posts[1])).toContain('production');
      expectNoSecretIn(run, world);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});

describe('drift detection', () => {
  test('examples verify.yml: no drift after a deploy; a hand edit in the GitOps repository is reported with its diff and on Slack, and fails the run', async () => {
    const world = await site();
    try {
      const { repo } = await stagedApp(world);
      const verify = () => runWorkflow({ workflow: join(WORKFLOWS, 'verify.yml'), event: { name: 'workflow_dispatch', inputs: {} }, ...runOptions(world, repo.dir) });

      const clean = await verify();
      expect(clean.conclusion, formatRun(clean)).toBe('success');
      expect(clean.step('verify', 'verify').outputs).toMatchObject({ drifted: 'false', checked: '1' }); // production was never deployed
      expect(clean.jobs.verify!.runs[0]!.permissions).toEqual({ contents: 'read' });
      const postsBefore = slackPosts(world).length;

      // Somebody edits staging's desired state by hand.
      const path = 'verity-api--staging/monochart/templates/deployment.yaml';
      const edit = cloneOf(world.stage);
      edit.commit('hotfix: pull always', { [path]: show(world.stage, 'main', path).replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: Always') });
      edit.git('push', '--quiet', 'origin', 'HEAD:main');

      const drifted = await verify();
      expect(drifted.conclusion).toBe('failure');
      const step = drifted.step('verify', 'verify');
      expect(step.outputs.drifted).toBe('true');
      const staging = (JSON.parse(step.outputs.drift!) as Array<{ environment: string; status: string; changed: string[] }>).find((d) => d.environment === 'staging')!;
      expect(staging).toMatchObject({ status: 'drifted', changed: [path] });
      expect(drifted.summary).toContain('+          imagePullPolicy: Always');
      expect(slackPosts(world).length).toBe(postsBefore + 1);
      expectNoSecretIn(drifted, world);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});
