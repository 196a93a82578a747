import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gitopsOrigin } from '../integration/gitops-fixtures.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';
import { gitIn, TestRepo } from '../harness/git-repo.js';
import { readActionYml, repoRoot, runBundle, type BundleRun } from '../harness/run-bundle.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';

const EXAMPLE = join(repoRoot, 'examples', 'verity-api');
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const DEPLOYMENT = 'verity-api--staging/monochart/templates/deployment.yaml';

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack?.close();
});

interface Deployed {
  app: TestRepo;
  staging: { dir: string; url: string };
  production: { dir: string; url: string };
}

/** examples/verity-api as an app repository, both environments pointed at local GitOps repositories (production in push mode). */
function appRepo(repositories: { staging: string; production: string }): TestRepo {
  const app = TestRepo.create();
  cpSync(EXAMPLE, app.dir, { recursive: true, filter: (src) => !src.includes(`${EXAMPLE}/.github`) });
  const config = join(app.dir, 'gitops.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace('repository: acme/va-verity-eks-stage-gitops', `repository: ${repositories.staging}`)
      .replace('repository: acme/va-verity-eks-prod-gitops, branch: main, mode: pull-request', `repository: ${repositories.production}, branch: main`),
  );
  app.commit('chore: import verity-api');
  return app;
}

/** A deploy of `environment` as the pipeline does it: render and commit, version 1.4.0 pinned at DIGEST. */
async function deploy(app: TestRepo, environment: string, extra: Record<string, string> = {}, context: Record<string, string> = {}): Promise<void> {
  const r = await runBundle('pipeline', {
    actionDir: repoRoot,
    workspace: app.dir,
    inputs: { environment, steps: 'render, commit', version: '1.4.0', 'image-digest': DIGEST, ...extra },
    context: { sha: app.head(), ref: 'refs/heads/main', repository: 'acme/verity-api', ...context },
  });
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
}

async function deployed(): Promise<Deployed> {
  const staging = gitopsOrigin({ 'README.md': '# staging\n', 'billing--staging/deployment.yaml': 'kind: Deployment\n' });
  const production = gitopsOrigin({ 'README.md': '# production\n' });
  const app = appRepo({ staging: staging.url, production: production.url });
  await deploy(app, 'staging');
  await deploy(app, 'production');
  return { app, staging, production };
}

function verify(app: TestRepo, inputs: Record<string, string> = {}, context: Record<string, string> = {}): Promise<BundleRun> {
  // The scheduled run: another commit of the app repository than the one deployed.
  return runBundle('verify', { workspace: app.dir, inputs, context: { sha: 'f'.repeat(40), eventName: 'schedule', repository: 'acme/verity-api', ...context } });
}

/** A commit straight to the GitOps repository, as somebody editing it by hand would make. */
function handEdit(bare: string, files: Record<string, string>): void {
  const work = mkdtempSync(join(tmpdir(), 'hand-edit-'));
  gitIn(work, ['clone', '--quiet', bare, '.']);
  const repo = new TestRepo(work);
  repo.commit('hotfix by hand', files);
  repo.git('push', '--quiet', 'origin', 'HEAD:main');
}

function show(bare: string, path: string): string {
  return gitIn(bare, ['show', `main:${path}`]);
}

interface DriftEntry {
  environment: string;
  status: string;
  added: string[];
  changed: string[];
  removed: string[];
  unowned: string[];
  reason: string;
  version: string;
}

/** The `drift` output, staging first. */
function drift(r: BundleRun): DriftEntry[] {
  return (JSON.parse(r.outputs.drift!) as DriftEntry[]).sort((a, b) => (a.environment === 'staging' ? -1 : b.environment === 'staging' ? 1 : 0));
}

/** What the step printed, without the runner's masking commands (which name each secret by design). */
function printed(r: BundleRun): string {
  return (r.stdout + r.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + r.summary;
}

describe('verify (dist/verify)', () => {
  test('action.yml declares the outputs the action sets', () => {
    expect(Object.keys(readActionYml('verify').outputs ?? {}).sort()).toEqual(['checked', 'drift', 'drifted']);
  });

  test('an unchanged source gives zero drift: every environment rendered again as deployed, byte for byte', async () => {
    const s = await deployed();
    // The app repository moves on with commits that do not touch what is rendered.
    s.app.commit('docs: a readme line', { 'README.md': 'more\n' });
    const r = await verify(s.app);
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.drifted).toBe('false');
    expect(r.outputs.checked).toBe('2');
    expect(drift(r).map((d) => [d.environment, d.status, d.version])).toEqual([
      ['staging', 'in-sync', '1.4.0'],
      ['production', 'in-sync', '1.4.0'],
    ]);
    expect(r.summary).toMatch(/^## gitops-actions verify: no drift in 2 environments/);
    expect(r.stdout).toContain(`image ghcr.io/acme/verity-api@${DIGEST}`);
  });

  test('a hand edit in the GitOps repository: the file, its diff, an error annotation, exit 1; a warning and exit 0 with fail-on-drift false', async () => {
    const s = await deployed();
    const edited = show(s.staging.dir, DEPLOYMENT).replace('replicas: 1', 'replicas: 7');
    expect(edited).toContain('replicas: 7');
    handEdit(s.staging.dir, { [DEPLOYMENT]: `${edited}\n`, 'verity-api--staging/monochart/templates/extra.yaml': 'kind: ConfigMap\n' });

    const r = await verify(s.app);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.drifted).toBe('true');
    const [staging, production] = drift(r);
    expect(staging).toMatchObject({ status: 'drifted', changed: [DEPLOYMENT], added: ['verity-api--staging/monochart/templates/extra.yaml'], removed: [], unowned: [] });
    expect(production!.status).toBe('in-sync');
    expect(r.summary).toContain('## gitops-actions verify: drift in 1 of 2 environments');
    expect(r.summary).toMatch(/^-\s+replicas: 1$/m);
    expect(r.summary).toMatch(/^\+\s+replicas: 7$/m);
    expect(r.errors).toContain(`${DEPLOYMENT}: differs from the render of verity-api staging 1.4.0 (${s.staging.url} main)`);
    expect(r.errors.at(-1)).toMatch(/^drift in verity-api staging \(1 changed, 1 added, 1 commit by hand\): the GitOps repository no longer holds what the source renders/);

    const lenient = await verify(s.app, { 'fail-on-drift': 'false' });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.errors).toEqual([]);
    expect(lenient.outputs.drifted).toBe('true');
    expect(lenient.stdout).toContain(`::warning::${DEPLOYMENT}: differs from the render`);
  });

  test('a hand edit the render cannot see (the digest pinned by hand): found in the history, with who and the diff; undone, or deployed over, it is gone', async () => {
    const s = await deployed();
    const other = `sha256:${'cd'.repeat(32)}`;
    const before = show(s.staging.dir, DEPLOYMENT);
    expect(before).toContain(DIGEST);
    handEdit(s.staging.dir, { [DEPLOYMENT]: `${before.replaceAll(DIGEST, other)}\n` });

    const r = await verify(s.app);
    expect(r.exitCode).toBe(1);
    const [staging, production] = drift(r) as Array<DriftEntry & { 'hand-edits': Array<{ commit: string; author: string; subject: string }> }>;
    // The render takes the digest from the manifests, so the files alone show nothing.
    expect(staging).toMatchObject({ status: 'drifted', changed: [], added: [], removed: [] });
    const handCommit = gitIn(s.staging.dir, ['rev-parse', 'main']);
    expect(staging!['hand-edits']).toEqual([{ commit: handCommit, author: 'Fixture Author', subject: 'hotfix by hand' }]);
    expect(production!['hand-edits']).toEqual([]);
    expect(r.summary).toContain('Changed by hand since the deploy of 1.4.0');
    expect(r.summary).toContain(`- \`${handCommit.slice(0, 12)}\` Fixture Author: hotfix by hand`);
    expect(r.summary).toMatch(new RegExp(`^-.*verity-api@${DIGEST}$`, 'm'));
    expect(r.summary).toMatch(new RegExp(`^\\+.*verity-api@${other}$`, 'm'));
    expect(r.errors[0]).toBe(
      `verity-api--staging: changed by hand in ${handCommit.slice(0, 12)} by Fixture Author (hotfix by hand), after the deploy of 1.4.0 (${s.staging.url} main)`,
    );

    // Undone by hand: the directory is what the deploy left, so nothing to report.
    handEdit(s.staging.dir, { [DEPLOYMENT]: `${before}\n` });
    const undone = await verify(s.app);
    expect(undone.exitCode).toBe(0);
    expect(drift(undone)[0]!.status).toBe('in-sync');

    // Edited again, then deployed over: the last change is a deploy.
    handEdit(s.staging.dir, { [DEPLOYMENT]: `${before.replaceAll(DIGEST, other)}\n` });
    await deploy(s.app, 'staging');
    const redeployed = await verify(s.app);
    expect(drift(redeployed)[0]!.status).toBe('in-sync');
  });

  test('a changed values file in the app repository is drift until it is deployed', async () => {
    const s = await deployed();
    s.app.commit('feat: two replicas in staging', { 'deploy/staging.yaml': 'replicas: 2\n' });
    const r = await verify(s.app, { environments: 'staging' });
    expect(r.exitCode).toBe(1);
    expect(drift(r)).toHaveLength(1);
    expect(drift(r)[0]).toMatchObject({ environment: 'staging', status: 'drifted', changed: [DEPLOYMENT] });
    expect(r.summary).toMatch(/^-\s+replicas: 2$/m);

    await deploy(s.app, 'staging');
    const after = await verify(s.app, { environments: 'staging' });
    expect(after.exitCode).toBe(0);
    expect(after.outputs.drifted).toBe('false');
  });

  test("a directory of the app for an environment gitops.yaml no longer has is unowned; other apps' directories are not ours", async () => {
    const s = await deployed();
    handEdit(s.staging.dir, { 'verity-api--qa/monochart/templates/deployment.yaml': 'kind: Deployment\n' });
    const r = await verify(s.app, { 'fail-on-drift': 'false' });
    expect(r.exitCode).toBe(0);
    const [staging, production] = drift(r);
    expect(staging).toMatchObject({ status: 'drifted', changed: [], added: [], unowned: ['verity-api--qa'] });
    expect(production).toMatchObject({ status: 'in-sync', unowned: [] });
    expect(r.summary).toContain('- `main:verity-api--qa`');
    expect(r.summary).not.toContain('billing--staging`');
  });

  test('a Slack alert names the drifted environments', async () => {
    const s = await deployed();
    handEdit(s.production.dir, { 'verity-api--production/monochart/templates/service.yaml': 'kind: Service\n' });
    const hook = slack.webhook();
    const before = slack.webhookPosts.length;
    const r = await verify(s.app, { 'slack-webhook-url': hook });
    expect(r.exitCode).toBe(1);
    expect(slack.webhookPosts.length).toBe(before + 1);
    const text = JSON.stringify(slack.webhookPosts.at(-1));
    expect(text).toContain('GitOps drift: verity-api production');
    expect(text).toContain('1 changed');
    expect(printed(r)).not.toContain(hook);
  });

  test('an environment never deployed is reported, not drift', async () => {
    const staging = gitopsOrigin({ 'README.md': '# staging\n' });
    const production = gitopsOrigin({ 'README.md': '# production\n' });
    const app = appRepo({ staging: staging.url, production: production.url });
    await deploy(app, 'staging');
    const r = await verify(app);
    expect(r.exitCode).toBe(0);
    expect(drift(r).map((d) => [d.environment, d.status])).toEqual([
      ['staging', 'in-sync'],
      ['production', 'not-deployed'],
    ]);
    expect(r.outputs.checked).toBe('1');
  });

  test('a GitOps repository that cannot be read is a clear error, and the other environments are still checked', async () => {
    const staging = gitopsOrigin({ 'README.md': '# staging\n' });
    const app = appRepo({ staging: staging.url, production: 'file:///nonexistent/gitops.git' });
    await deploy(app, 'staging');
    const r = await verify(app);
    expect(r.exitCode).toBe(1);
    expect(drift(r).map((d) => [d.environment, d.status])).toEqual([
      ['staging', 'in-sync'],
      ['production', 'error'],
    ]);
    expect(r.errors.at(-1)).toMatch(
      /^an environment could not be checked:\n- verity-api production: cannot read the GitOps repository file:\/\/\/nonexistent\/gitops\.git \(branch main\): no such repository/,
    );
  });

  describe('over smart HTTP with a token', () => {
    const TOKEN = 'ghs_verifyGitopsToken0000000000000000000';
    let git: GitHttpServer;
    let root: string;
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'verify-http-'));
      git = await startGitHttpServer({ root, token: TOKEN });
    });
    afterAll(async () => {
      await git?.close();
    });

    test('the right token: zero drift; a wrong one: the token is named, never printed', async () => {
      gitopsOrigin({ 'README.md': '# staging\n' }, { root, name: 'acme/stage.git' });
      const app = appRepo({ staging: `${git.url}/acme/stage.git`, production: 'file:///nonexistent/prod.git' });
      await deploy(app, 'staging', { 'gitops-token': TOKEN });

      const ok = await verify(app, { environments: 'staging', 'gitops-token': TOKEN });
      expect(ok.errors).toEqual([]);
      expect(ok.outputs.drifted).toBe('false');

      const wrong = 'ghs_wrongToken000000000000000000000000000';
      const r = await verify(app, { environments: 'staging', 'gitops-token': wrong });
      expect(r.exitCode).toBe(1);
      expect(r.errors.at(-1)).toMatch(/cannot read the GitOps repository http:\/\/127\.0\.0\.1:\d+\/acme\/stage\.git \(branch main\): it refused the token in input 'gitops-token'/);
      expect(printed(r)).not.toContain(wrong);
    });
  });

  test('bad input: an environment gitops.yaml does not have', async () => {
    const app = appRepo({ staging: 'file:///nonexistent/a.git', production: 'file:///nonexistent/b.git' });
    const r = await verify(app, { environments: 'stagng' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual(["input 'environments': 'stagng' is not an environment of gitops.yaml (environments: production, staging)"]);
  });
});
