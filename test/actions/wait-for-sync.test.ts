import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startArgoCdServer, type AppDefinition, type ArgoCdServer } from '../harness/argocd-server.js';
import { gitIn } from '../harness/git-repo.js';
import { runBundle, type BundleRun } from '../harness/run-bundle.js';
import { gitopsOrigin, renderedFiles, writeDir } from '../integration/gitops-fixtures.js';

const OUTPUTS = ['duration-seconds', 'health-status', 'healthy', 'message', 'revision', 'sync-status', 'synced'];
const CONTEXT = { repository: 'acme/verity-api', sha: 'e'.repeat(40), runId: '4242' };

let argocd: ArgoCdServer;
beforeAll(async () => {
  argocd = await startArgoCdServer();
});
afterAll(async () => {
  await argocd?.close();
});

/** A GitOps repo with an Argo CD Application following `<name>` in it. */
function gitopsApp(def: Omit<AppDefinition, 'repo'>): ReturnType<typeof gitopsOrigin> {
  const origin = gitopsOrigin();
  argocd.addApplication({ ...def, repo: origin.dir });
  return origin;
}

/** The pipeline's commit step, through its committed bundle: the GitOps commit the wait is for. */
async function commitRelease(origin: { url: string }, app: string, env: string, version: string): Promise<string> {
  const source = writeDir(renderedFiles(app, version), `${app}--${env}`);
  const r = await runBundle('commit-to-gitops', { inputs: { repository: origin.url, source }, context: CONTEXT });
  expect(r.errors).toEqual([]);
  expect(r.outputs.changed).toBe('true');
  return r.outputs['commit-sha']!;
}

function wait(inputs: Record<string, string>, env?: Record<string, string>): Promise<BundleRun> {
  return runBundle('wait-for-sync', {
    inputs: { 'argocd-url': argocd.url, 'argocd-token': argocd.token, insecure: 'true', 'poll-interval': '1s', timeout: '2m', ...inputs },
    context: CONTEXT,
    ...(env ? { env } : {}),
  });
}

/** Everything the step left where people or later steps can read it, add-mask commands aside. */
function visible(r: BundleRun): string {
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, r.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');
}

function requestsSince(before: number) {
  return argocd.requests.slice(before);
}

describe('wait-for-sync bundle: progressions driven by real GitOps commits', () => {
  test('OutOfSync → syncing → Synced/Progressing → Healthy at the commit the pipeline made', async () => {
    const origin = gitopsApp({ name: 'verity-api--staging' });
    const sha = await commitRelease(origin, 'verity-api', 'staging', '1.4.0');
    const before = argocd.requests.length;
    const r = await wait({ app: 'verity-api', environment: 'staging', revision: sha });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      synced: 'true',
      healthy: 'true',
      'sync-status': 'Synced',
      'health-status': 'Healthy',
      revision: sha,
      message: `verity-api--staging is synced and healthy at ${sha.slice(0, 12)}`,
    });
    expect(Number(r.outputs['duration-seconds'])).toBeGreaterThanOrEqual(0);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);

    const seen = requestsSince(before);
    // The refresh makes Argo CD compare with Git now; once it is at the commit there is nothing to refresh.
    expect(seen[0]!.refresh).toBe('normal');
    expect(seen.slice(1).every((q) => q.refresh === null)).toBe(true);
    expect(seen.every((q) => q.status === 200 && q.authorization === `Bearer ${argocd.token}` && !q.url.includes(argocd.token))).toBe(true);
    expect(seen.length).toBe(4);

    for (const state of ['OutOfSync/Healthy', 'operation Running', 'Synced/Progressing', 'Synced/Healthy']) expect(r.stdout).toContain(state);
    expect(r.stdout).toContain(`::add-mask::${argocd.token}`);
    expect(visible(r)).not.toContain(argocd.token);
    expect(r.summary).toContain('✅ Argo CD: `verity-api--staging` synced and healthy');
  });

  test('require-healthy false: synced at the commit is enough', async () => {
    const origin = gitopsApp({ name: 'verity-api--qa' });
    const sha = await commitRelease(origin, 'verity-api', 'qa', '1.4.0');
    const r = await wait({ application: 'verity-api--qa', revision: sha.slice(0, 10), 'require-healthy': 'false' });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'false', 'sync-status': 'Synced', 'health-status': 'Progressing' });
  });

  test('Degraded at the commit fails with the health message', async () => {
    const origin = gitopsApp({ name: 'verity-api--dev', scenario: 'degraded' });
    const sha = await commitRelease(origin, 'verity-api', 'dev', '1.5.0');
    const r = await wait({ application: 'verity-api--dev', revision: sha });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      `Argo CD: verity-api--dev: ${sha.slice(0, 12)} is synced but the application is Degraded: Deployment "verity-api--dev" exceeded its progress deadline`,
    ]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'false', 'sync-status': 'Synced', 'health-status': 'Degraded', revision: sha });
    expect(r.summary).toContain('❌');
  });

  test('a failed sync operation fails with its message, neutralised', async () => {
    const hostile = 'one or more objects failed to apply, reason: admission webhook denied\n::warning::injected\n##[error]also injected';
    const origin = gitopsApp({ name: 'verity-api--uat', scenario: 'sync-fails', failureMessage: hostile });
    const sha = await commitRelease(origin, 'verity-api', 'uat', '1.5.0');
    const r = await wait({ application: 'verity-api--uat', revision: sha });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`the sync operation for ${sha.slice(0, 12)} ended in phase Failed: one or more objects failed to apply, reason: admission webhook denied`);
    expect(r.outputs).toMatchObject({ synced: 'false', healthy: 'false', 'sync-status': 'OutOfSync' });
    expect(r.outputs.message).toContain('admission webhook denied');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^\s*(::warning|##\[)/.test(l) && l.includes('injected'))).toEqual([]);
    expect(r.stdout).toContain('injected');
    expect(lines.filter((l) => l.startsWith('::error::'))).toHaveLength(1);
    expect(r.stdout).not.toContain('##[error]');
    expect(r.summary).not.toContain('\n::warning::');
  });

  test('an app without auto-sync never syncs: timeout with the last state seen', async () => {
    const origin = gitopsApp({ name: 'verity-api--manual', autoSync: false });
    const sha = await commitRelease(origin, 'verity-api', 'manual', '1.4.0');
    const r = await wait({ application: 'verity-api--manual', revision: sha, timeout: '3s' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      `Argo CD: verity-api--manual was not synced and healthy at ${sha.slice(0, 12)} within 3s; last seen: OutOfSync/Healthy at ${sha.slice(0, 12)} (sync status is OutOfSync at ${sha.slice(0, 12)})`,
    ]);
    expect(r.outputs).toMatchObject({ synced: 'false', 'sync-status': 'OutOfSync', 'health-status': 'Healthy', revision: sha });
    expect(r.summary).toContain('⏱️');
  });

  test('a revision that never reaches the GitOps repo: timeout, Argo CD still at the old head', async () => {
    const origin = gitopsApp({ name: 'billing--staging' });
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const r = await wait({ application: 'billing--staging', revision: 'deadbeef'.repeat(5), timeout: '2s' });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toBe(
      `Argo CD: billing--staging was not synced and healthy at deadbeefdead within 2s; last seen: Synced/Healthy at ${head.slice(0, 12)} (Argo CD is at ${head.slice(0, 12)}, not yet at deadbeefdead)`,
    );
    expect(r.outputs).toMatchObject({ synced: 'false', healthy: 'false', 'sync-status': 'Synced', revision: head });
  });

  test('without refresh, the controller finds the commit at its own poll', async () => {
    const origin = gitopsApp({ name: 'web--staging', gitPollEvery: 2 });
    // Plain git this time: the desired state as anyone could push it.
    const clone = origin.seed;
    clone.commit('deploy web 2.1.0', Object.fromEntries(Object.entries(renderedFiles('web', '2.1.0')).map(([p, c]) => [`web--staging/${p}`, c])));
    gitIn(clone.dir, ['push', '--quiet', origin.dir, 'HEAD:main']);
    const sha = gitIn(origin.dir, ['rev-parse', 'main']);
    const before = argocd.requests.length;
    const r = await wait({ application: 'web--staging', revision: sha, refresh: 'false' });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'true', revision: sha });
    expect(requestsSince(before).every((q) => q.refresh === null)).toBe(true);
  });

  test('503s and dropped connections are waited out', async () => {
    const origin = gitopsApp({ name: 'verity-api--flaky' });
    const sha = await commitRelease(origin, 'verity-api', 'flaky', '1.4.0');
    argocd.fault('verity-api--flaky', { status: 503 }, { drop: true });
    const r = await wait({ application: 'verity-api--flaky', revision: sha });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'true' });
    expect(r.stdout).toContain('Argo CD answered HTTP 503');
    expect(r.stdout).toMatch(/could not reach Argo CD at 127\.0\.0\.1:\d+: socket hang up; trying again/);
  });
});

describe('wait-for-sync bundle: a GitOps branch shared with other apps', () => {
  test("another app's commit lands after ours: Argo CD syncs that commit, whose manifests for our app are ours, and the wait succeeds", async () => {
    const origin = gitopsApp({ name: 'verity-api--shared' });
    const ours = await commitRelease(origin, 'verity-api', 'shared', '1.4.0');
    const theirs = await commitRelease(origin, 'billing', 'shared', '2.1.0');
    expect(theirs).not.toBe(ours);
    // The first manifests request fails: not an answer, asked again on the next poll.
    argocd.faultManifests('verity-api--shared', { status: 503 });
    const before = argocd.requests.length;
    const r = await wait({ application: 'verity-api--shared', revision: ours, timeout: '30s' });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      synced: 'true',
      healthy: 'true',
      'sync-status': 'Synced',
      'health-status': 'Healthy',
      revision: theirs,
      message: `verity-api--shared is synced and healthy at ${theirs.slice(0, 12)}, a commit with the same manifests for it as ${ours.slice(0, 12)}`,
    });
    expect(r.stdout).toContain(
      `Argo CD is at ${theirs.slice(0, 12)}, another commit of the branch with the same manifests for verity-api--shared as ${ours.slice(0, 12)}`,
    );
    expect(r.stdout).toContain(`could not compare Argo CD's manifests at ${theirs.slice(0, 12)} with ${ours.slice(0, 12)} yet (the manifests at ${ours.slice(0, 12)}: Argo CD answered HTTP 503`);
    const manifestRequests = requestsSince(before)
      .filter((q) => q.url.includes('/manifests?'))
      .map((q) => [new URL(q.url, argocd.url).searchParams.get('revision'), q.status]);
    expect(manifestRequests).toEqual([
      [ours, 503],
      [ours, 200],
      [theirs, 200],
    ]);
    expect(r.summary).toContain(`(Argo CD is at \`${theirs.slice(0, 12)}\`, a commit with the same manifests for the application)`);
    expect(visible(r)).not.toContain(argocd.token);
  });

  test('a later commit that changes our app replaces ours: timeout naming the manifests that differ', async () => {
    const origin = gitopsApp({ name: 'verity-api--superseded' });
    const ours = await commitRelease(origin, 'verity-api', 'superseded', '1.4.0');
    const newer = await commitRelease(origin, 'verity-api', 'superseded', '1.5.0');
    const r = await wait({ application: 'verity-api--superseded', revision: ours, timeout: '3s' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(new RegExp(`^Argo CD: verity-api--superseded was not synced and healthy at ${ours.slice(0, 12)} within 3s; last seen: \\S+ at ${newer.slice(0, 12)}`));
    expect(r.errors[0]).toContain(
      `(Argo CD is at ${newer.slice(0, 12)}, whose manifests for this application differ from ${ours.slice(0, 12)} in ` +
        'Deployment verity-api (changed), Service verity-api (changed): an older commit, or a newer one that replaces ours)',
    );
    expect(r.outputs).toMatchObject({ synced: 'false', healthy: 'false', revision: newer });
    expect(r.stdout).not.toContain('with the same manifests');
  });
});

describe('wait-for-sync bundle: refusals are not retried', () => {
  test('a rejected token: 401, one request', async () => {
    gitopsApp({ name: 'verity-api--auth' });
    const before = argocd.requests.length;
    const r = await wait({ application: 'verity-api--auth', revision: 'a'.repeat(40), 'argocd-token': 'not-a-token-argocd-knows' });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toMatch(/^Argo CD at 127\.0\.0\.1:\d+ rejected the token \(HTTP 401 \(invalid session: token signature is invalid\)\)/);
    expect(requestsSince(before).map((q) => q.status)).toEqual([401]);
    expect(visible(r)).not.toContain('not-a-token-argocd-knows');
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
    expect(r.outputs.synced).toBe('false');
  });

  test("an unknown application: Argo CD's 403 'permission denied', or 404 when the project is named", async () => {
    const r = await wait({ application: 'nothing--staging', revision: 'a'.repeat(40) });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toContain("answered 'permission denied' for application 'nothing--staging' (HTTP 403 (permission denied))");
    expect(r.errors[0]).toContain("set 'project'");

    const withProject = await wait({ application: 'nothing--staging', project: 'default', revision: 'a'.repeat(40) });
    expect(withProject.exitCode).toBe(1);
    expect(withProject.errors[0]).toContain("has no application 'nothing--staging' in project 'default' (HTTP 404");
  });

  test("a token whose account may not read the app's project: 403", async () => {
    gitopsApp({ name: 'payments--production', project: 'payments' });
    const token = argocd.addToken({ projects: ['default'] });
    const before = argocd.requests.length;
    const r = await wait({ application: 'payments--production', revision: 'a'.repeat(40), 'argocd-token': token });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toContain("'permission denied'");
    expect(requestsSince(before).map((q) => q.status)).toEqual([403]);
  });
});

describe('wait-for-sync bundle: TLS', () => {
  test('a certificate trusted through NODE_EXTRA_CA_CERTS works without insecure', async () => {
    const origin = gitopsApp({ name: 'verity-api--tls', path: 'billing--staging' });
    const head = gitIn(origin.dir, ['rev-parse', 'main']);
    const r = await wait({ application: 'verity-api--tls', revision: head, insecure: 'false' }, { NODE_EXTRA_CA_CERTS: argocd.caPath });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'true' });
    expect(r.stdout).not.toContain('::warning::');
  });

  test('an untrusted certificate fails at once with what to do', async () => {
    const before = argocd.requests.length;
    const r = await wait({ application: 'verity-api--tls', revision: 'a'.repeat(40), insecure: 'false' });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toContain('could not reach Argo CD at 127.0.0.1');
    expect(r.errors[0]).toContain("install its CA (NODE_EXTRA_CA_CERTS), or set 'insecure: true'");
    expect(requestsSince(before)).toEqual([]);
  });

  test('insecure warns that the certificate is not verified', async () => {
    const origin = gitopsApp({ name: 'verity-api--warn', path: 'billing--staging' });
    const r = await wait({ application: 'verity-api--warn', revision: gitIn(origin.dir, ['rev-parse', 'main']) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('::warning::insecure is true: the TLS certificate of 127.0.0.1');
  });

  test('plain http only with insecure', async () => {
    const plain = await startArgoCdServer({ tls: false });
    try {
      const origin = gitopsOrigin();
      plain.addApplication({ name: 'verity-api--kind', repo: origin.dir, path: 'web--staging' });
      const head = gitIn(origin.dir, ['rev-parse', 'main']);
      const refused = await wait({ 'argocd-url': plain.url, 'argocd-token': plain.token, application: 'verity-api--kind', revision: head, insecure: 'false' });
      expect(refused.exitCode).toBe(1);
      expect(refused.errors[0]).toContain("input 'argocd-url' is plain http (127.0.0.1:");
      expect(plain.requests).toEqual([]);
      const allowed = await wait({ 'argocd-url': plain.url, 'argocd-token': plain.token, application: 'verity-api--kind', revision: head });
      expect(allowed.errors).toEqual([]);
      expect(allowed.outputs.synced).toBe('true');
    } finally {
      await plain.close();
    }
  });
});

describe('wait-for-sync bundle: bad inputs', () => {
  test('nothing given: the required inputs, every output set', async () => {
    const r = await runBundle('wait-for-sync', { context: CONTEXT });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      "3 inputs are wrong:\n- input 'argocd-url' is required\n- input 'argocd-token' is required\n- input 'revision' is required",
    ]);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
  });

  test('an application name that is not a DNS label, a revision that is not a SHA, a bad timeout', async () => {
    const before = argocd.requests.length;
    const name = await wait({ application: 'Verity_API/../x', revision: 'a'.repeat(40) });
    expect(name.errors[0]).toContain("input 'application' must be an Argo CD Application name that is a DNS label");
    const revision = await wait({ application: 'verity-api--staging', revision: 'main' });
    expect(revision.errors[0]).toBe(
      "input 'revision' must be the GitOps commit SHA to wait for (7 to 64 hex digits), e.g. ${{ steps.commit.outputs.commit-sha }} (got 'main')",
    );
    const timeout = await wait({ application: 'verity-api--staging', revision: 'a'.repeat(40), timeout: 'soon', 'poll-interval': '0s' });
    expect(timeout.errors[0]).toBe(
      "2 inputs are wrong:\n- input 'timeout' must be a duration such as 90s, 10m, 1h or a number of seconds (got 'soon')\n- input 'poll-interval' must be from 1s to 5m (got '0s')",
    );
    const noEnv = await wait({ revision: 'a'.repeat(40) });
    expect(noEnv.errors[0]).toContain("input 'application' is required unless 'environment' is given");
    for (const r of [name, revision, timeout, noEnv]) expect(r.exitCode).toBe(1);
    expect(requestsSince(before)).toEqual([]);
  });
});

describe('wait-for-sync bundle with config (gitops.yaml)', () => {
  /** A workspace whose gitops.yaml points staging at the stand-in; the Application is made by something else. */
  function workspace(argocdLine: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'wait-config-'));
    writeFileSync(join(dir, 'gitops.yaml'), `app: verity-api\n${argocdLine}\nenvironments:\n  staging: {}\n  production: {}\n`);
    return dir;
  }

  test("only config, environment, token and revision: gitops.yaml's argocd settings fill the rest", async () => {
    const origin = gitopsApp({ name: 'verity-api-stage', path: 'verity-api--staging' });
    const sha = await commitRelease(origin, 'verity-api', 'staging', '1.4.0');
    const dir = workspace(`argocd: { create-application: false, url: '${argocd.url}', insecure: true, poll-interval: 1s, timeout: 1m }`);
    // Staging's Application has a name of its own (an ApplicationSet's, say).
    const file = join(dir, 'gitops.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  staging: {}', '  staging: { argocd: { application: verity-api-stage } }'));
    const r = await runBundle('wait-for-sync', {
      workspace: dir,
      inputs: { config: 'gitops.yaml', environment: 'staging', 'argocd-token': argocd.token, revision: sha },
      context: CONTEXT,
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ synced: 'true', healthy: 'true', message: `verity-api-stage is synced and healthy at ${sha.slice(0, 12)}` });
    expect(r.stdout).toMatch(/gitops\.yaml for staging: .*argocd-url.*poll-interval.*insecure/);
  });

  test('config without an environment, or without argocd.url and no argocd-url: what to give', async () => {
    const dir = workspace('argocd: { create-application: false }');
    const noEnvironment = await runBundle('wait-for-sync', {
      workspace: dir,
      inputs: { config: 'gitops.yaml', 'argocd-token': argocd.token, revision: 'a'.repeat(40) },
      context: CONTEXT,
    });
    expect(noEnvironment.errors).toEqual(["input 'environment' is required with 'config': which environment of gitops.yaml (production, staging)?"]);
    const noUrl = await runBundle('wait-for-sync', {
      workspace: dir,
      inputs: { config: 'gitops.yaml', environment: 'staging', 'argocd-token': argocd.token, revision: 'a'.repeat(40) },
      context: CONTEXT,
    });
    expect(noUrl.errors).toEqual(["input 'argocd-url' is required (or set it in gitops.yaml)"]);
  });
});
