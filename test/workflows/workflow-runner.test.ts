import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TestRepo } from '../harness/git-repo.js';
import { repoRoot } from '../harness/run-bundle.js';
import { expandMatrix } from './matrix.js';
import { WorkflowSyntaxError } from './parse-workflow.js';
import { matchesFilters, pushTriggers } from './triggers.js';
import { formatRun, runWorkflow, WorkflowRunnerError } from './workflow-runner.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'workflows');
const fixture = (name: string) => join(fixtures, name);

/** An app repository whose next version is 1.4.0 (base tag v1.3.2, then a feature). */
function appRepo(): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: init', { 'sub/README.md': 'a sub directory\n' });
  repo.tag('v1.3.2', { annotated: true });
  repo.commit('feat(api): add login');
  return repo;
}

describe('workflow runner', () => {
  test('push: our node action against a git repo; outputs, $GITHUB_ENV, $GITHUB_PATH, summary and needs between steps and jobs', async () => {
    const app = appRepo();
    const run = await runWorkflow({ workflow: fixture('push-version.yml'), event: { name: 'push' }, workspace: app.dir });
    expect(run.conclusion, formatRun(run)).toBe('success');
    expect(run.name).toBe('push version');
    expect(run.permissions).toEqual({ contents: 'read' });
    expect(run.jobs.version!.runs[0]!.runsOn).toBe('ubuntu-latest');

    const version = run.step('version', 'version');
    expect(version.outputs).toMatchObject({ version: '1.4.0', tag: 'v1.4.0', sha: app.head(), 'is-release': 'true' });
    expect(version.with).toEqual({ image: 'ghcr.io/acme/verity-api' });
    expect(version.log).toMatch(/1\.4\.0: minor bump from feat commit [0-9a-f]+/);
    expect(run.jobs.version!.outputs).toEqual({ version: '1.4.0', tag: 'v1.4.0' });

    const [checkout, setupNode, , report, envAndPath] = run.jobs.version!.runs[0]!.steps;
    expect(checkout!.log).toBe(`checkout stand-in: the workspace is the checkout of acme/verity-api at ${app.head()}`);
    expect(setupNode!.log).toContain('node stand-in: using the node on this machine');
    expect(setupNode!.outputs['node-version']).toBe(process.version);
    expect(report!.name).toBe('Report 1.4.0');
    expect(envAndPath!.log).toBe('shimmed from GITHUB_PATH\nin sub');

    expect(run.jobs.report!.runs[0]!.log).toContain('needs says 1.4.0 (success)');
    expect(run.summary).toContain('## Version v1.4.0');
    expect(run.summary).toContain('### released 1.4.0');
  });

  test('push filters: a branch the workflow does not listen on starts nothing', async () => {
    const app = appRepo();
    const run = await runWorkflow({ workflow: fixture('push-version.yml'), event: { name: 'push', ref: 'refs/heads/topic' }, workspace: app.dir });
    expect(run.triggered).toBe(false);
    expect(run.notTriggeredReason).toBe('branches filter [main] does not match topic');
    expect(run.jobs).toEqual({});
  });

  test('job: runs one job after the jobs it needs', async () => {
    const app = appRepo();
    const run = await runWorkflow({ workflow: fixture('push-version.yml'), event: { name: 'push' }, workspace: app.dir, job: 'version' });
    expect(Object.keys(run.jobs)).toEqual(['version']);
    await expect(runWorkflow({ workflow: fixture('push-version.yml'), event: { name: 'push' }, job: 'nope' })).rejects.toThrow("no job 'nope' (jobs: version, report)");
  });

  test('status functions, continue-on-error, skipped dependents, and secrets masked in the log and kept out of outputs', async () => {
    const token = 'tok-3f9c2a71e5';
    const run = await runWorkflow({ workflow: fixture('status-functions.yml'), event: { name: 'push' }, secrets: { DEPLOY_TOKEN: token } });
    expect(run.conclusion).toBe('failure');
    const steps = run.jobs.steps!.runs[0]!.steps;
    const outcome = Object.fromEntries(steps.map((s) => [s.id, `${s.outcome}/${s.conclusion}`]));
    expect(outcome).toEqual({
      flaky: 'failure/success',
      'after-flaky': 'success/success',
      secret: 'success/success',
      broken: 'failure/failure',
      skipped: 'skipped/skipped',
      'on-failure': 'success/success',
      always: 'success/success',
      'success-only': 'skipped/skipped',
    });
    expect(run.step('steps', 'flaky').exitCode).toBe(3);
    expect(run.step('steps', 'after-flaky').log).toBe('flaky outcome=failure conclusion=success job=success');
    expect(run.step('steps', 'broken').log).toBe('about to fail\n##[error]Process completed with exit code 1.');
    expect(run.step('steps', 'broken').annotations).toEqual([{ level: 'error', message: 'Process completed with exit code 1.', properties: {} }]);
    expect(run.step('steps', 'on-failure').log).toBe('job is failure, broken was failure');

    const secretLog = run.step('steps', 'secret').log;
    expect(secretLog).toBe('token is ***\nderived is ***');
    expect(run.log).not.toContain(token);
    expect(run.log).not.toContain([...token].reverse().join(''));
    // The runner refuses to hand a secret to other jobs through outputs.
    expect(run.jobs.steps!.outputs).toEqual({ fine: 'nothing secret' });
    expect(run.jobs.steps!.runs[0]!.log).toContain("Skip output 'leaked' since it may contain secret.");

    expect(run.jobs.dependent!.result).toBe('skipped');
    expect(run.jobs.cleanup!.runs[0]!.log).toContain("cleanup sees failure, leaked='', fine='nothing secret'");
    expect(run.jobs['report-failure']!.result).toBe('success');
    expect(run.jobs.tolerated!.result).toBe('failure');
  });

  test('workflow_call: a reusable workflow in the same repository, inputs typed and defaulted, secrets mapped, outputs back through needs', async () => {
    const app = appRepo();
    const password = 'hunter2-registry';
    const run = await runWorkflow({
      workflow: fixture('.github/workflows/call-reusable.yml'),
      event: { name: 'push' },
      workspace: app.dir,
      secrets: { REGISTRY_PASSWORD: password },
    });
    expect(run.conclusion, formatRun(run)).toBe('success');
    const called = run.jobs.build!.runs[0]!;
    expect(called.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(called.workflow!.inputs).toEqual({ app: 'verity-api', replicas: 3, 'dry-run': true, registry: 'ghcr.io/acme' });
    expect(called.workflow!.step('build', 'image').log).toBe('app=verity-api replicas=3 dry-run=true event=push\nlogging in with ***');
    // ./actions/greet in the called workflow resolves against the workspace root (the fixture repository here).
    expect(called.workflow!.step('build', 'greet').steps.map((s) => s.log)).toEqual(['', 'greet runs from greet']);
    expect(run.jobs.build!.outputs).toEqual({ image: 'ghcr.io/acme/verity-api:1.4.0', greeting: 'hello verity-api!' });
    expect(run.jobs.deploy!.runs[0]!.log).toContain("deploying ghcr.io/acme/verity-api:1.4.0 (success), greeting 'hello verity-api!'");
    expect(run.log).not.toContain(password);
  });

  test('workflow_call run directly: the workflow_call inputs and secrets are checked like a caller’s', async () => {
    const app = appRepo();
    const run = await runWorkflow({
      workflow: fixture('.github/workflows/reusable-build.yml'),
      event: { name: 'workflow_call', inputs: { app: 'api' } },
      workspace: app.dir,
      secrets: { 'registry-password': 'pw' },
    });
    expect(run.conclusion, formatRun(run)).toBe('success');
    expect(run.outputs.image).toBe('ghcr.io/acme/api:1.4.0');
    await expect(
      runWorkflow({ workflow: fixture('.github/workflows/reusable-build.yml'), event: { name: 'workflow_call', inputs: { app: 'api' } }, secrets: {} }),
    ).rejects.toThrow("secret 'registry-password' is required, but not provided while calling");
  });

  test('a call missing a required secret is refused by GitHub’s parser, with the line of the call', async () => {
    const error = await runWorkflow({ workflow: fixture('.github/workflows/call-missing-secret.yml'), event: { name: 'push' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowSyntaxError);
    expect((error as Error).message).toContain(
      'test/fixtures/workflows/.github/workflows/call-missing-secret.yml:4:11: Secret registry-password is required, but not provided while calling.',
    );
  });

  test('workflow_dispatch: typed inputs, environment secrets, and environment, concurrency and permissions recorded', async () => {
    const run = await runWorkflow({
      workflow: fixture('dispatch-inputs.yml'),
      event: { name: 'workflow_dispatch', inputs: { environment: 'production', version: '1.4.0', 'dry-run': true } },
      environments: { production: { secrets: { GITOPS_TOKEN: 'prod-only-token' } } },
    });
    expect(run.conclusion, formatRun(run)).toBe('success');
    expect(run.inputs).toEqual({ environment: 'production', version: '1.4.0', 'dry-run': true });
    expect(run.concurrency).toEqual({ group: 'promote-production', cancelInProgress: false });
    const promote = run.jobs.promote!.runs[0]!;
    expect(promote.environment).toEqual({ name: 'production', url: 'https://production.example.test' });
    expect(promote.concurrency).toEqual({ group: 'promote-production-job', cancelInProgress: false });
    expect(promote.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(run.step('promote', 'promote').log).toBe(
      [
        'promoting 1.4.0 to production (dry run)',
        "event input dry-run is 'true', event workflow_dispatch by octocat",
        'environment secret is ***',
      ].join('\n'),
    );

    const defaults = await runWorkflow({ workflow: fixture('dispatch-inputs.yml'), event: { name: 'workflow_dispatch', inputs: { environment: 'staging', version: '2' } } });
    expect(defaults.step('promote', 'promote').log).toContain('promoting 2 to staging (for real)');
  });

  test('workflow_dispatch: inputs GitHub would refuse are refused', async () => {
    const dispatch = (inputs: Record<string, string | boolean>) => runWorkflow({ workflow: fixture('dispatch-inputs.yml'), event: { name: 'workflow_dispatch', inputs } });
    await expect(dispatch({ environment: 'prod', version: '1' })).rejects.toThrow("input 'environment' must be one of staging, production (got 'prod')");
    await expect(dispatch({ environment: 'staging' })).rejects.toThrow("input 'version' is required");
    await expect(dispatch({ environment: 'staging', version: '1', force: true })).rejects.toThrow("unexpected input 'force'");
    await expect(dispatch({ environment: 'staging', version: '1', 'dry-run': 'yes' })).rejects.toThrow("input 'dry-run' is a boolean");
    await expect(runWorkflow({ workflow: fixture('dispatch-inputs.yml'), event: { name: 'push' } })).rejects.toThrow('does not run on push (on: workflow_dispatch)');
  });

  test('matrix: axes, exclude and include expanded; each leg its own job run; fail-fast off', async () => {
    const run = await runWorkflow({ workflow: fixture('matrix.yml'), event: { name: 'push' } });
    const legs = run.jobs.build!.runs;
    expect(legs.map((l) => [l.name, l.result])).toEqual([
      ['build 18 plain', 'failure'],
      ['build 20 plain', 'success'],
      ['build 20 alpine', 'success'],
      ['build 22 plain', 'success'],
    ]);
    expect(legs[2]!.matrix).toEqual({ node: 20, flavour: 'alpine', extra: 'tiny' });
    expect(legs[2]!.steps[0]!.log).toBe("leg 2/4: node=20 flavour=alpine extra='tiny'");
    expect(run.jobs.build!.result).toBe('failure');
    expect(run.jobs.build!.outputs).toEqual({ last: '22-plain' });
  });

  test('an action with no stand-in is refused before any step runs, naming the file and line', async () => {
    const error = await runWorkflow({ workflow: fixture('unknown-action.yml'), event: { name: 'push' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowRunnerError);
    expect((error as Error).message).toMatch(
      /^test\/fixtures\/workflows\/unknown-action\.yml:7:15: uses: acme\/mystery-action@0123456789abcdef0123456789abcdef01234567: the local workflow runner has no stand-in for acme\/mystery-action \(it knows actions\/checkout, .*\); add one to the run's standIns$/,
    );
    const run = await runWorkflow({
      workflow: fixture('unknown-action.yml'),
      event: { name: 'push' },
      standIns: { 'acme/mystery-action': (step) => step.log(`mystery stand-in got flavour=${step.with.flavour}`) },
    });
    expect(run.jobs.deploy!.runs[0]!.steps[1]!.log).toBe('mystery stand-in got flavour=strange');
  });

  test("a step's ./ path resolves against the workspace root, as on GitHub, and says so when the action is not there", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'gha-app-'));
    await expect(runWorkflow({ workflow: fixture('push-version.yml'), event: { name: 'push' }, root: elsewhere })).rejects.toThrow(
      /^test\/fixtures\/workflows\/push-version\.yml:26:15: uses: \.\/actions\/version: no action\.yml in .*\/actions\/version\. A step's \.\/ path resolves against the checked-out workspace/,
    );
  });

  test('an invalid workflow is refused with the parser’s message and its line', async () => {
    const error = await runWorkflow({ workflow: fixture('parse-error.yml'), event: { name: 'push' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowSyntaxError);
    expect((error as WorkflowSyntaxError).problems).toEqual([
      { file: 'test/fixtures/workflows/parse-error.yml', line: 8, column: 9, message: "Unexpected value 'runs'" },
      expect.objectContaining({ file: 'test/fixtures/workflows/parse-error.yml', line: 7 }),
    ]);
    expect((error as Error).message).toContain("test/fixtures/workflows/parse-error.yml:8:9: Unexpected value 'runs'");
  });

  test('shells: defaults at workflow and job level, bash with pipefail, the unnamed default without, sh, custom templates, timeouts, failed expressions', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gha-shells-'));
    mkdirSync(join(workspace, 'nested'));
    const run = await runWorkflow({ workflow: fixture('shells.yml'), event: { name: 'push' }, workspace });
    const steps = Object.fromEntries(run.jobs.shells!.runs[0]!.steps.map((s) => [s.id, s]));
    expect(steps.unnamed!.log).toBe('the unnamed default shell has no pipefail, in nested');
    expect(steps.bash!.outcome).toBe('failure');
    expect(steps.bash!.log).toBe('##[error]Process completed with exit code 1.');
    expect(steps.custom!.log).toBe('custom template gave first-arg');
    expect(steps.python!.log).toBe('python 42');
    expect(steps.slow!.outcome).toBe('failure');
    expect(steps.slow!.log).toBe('##[error]The step has timed out after 0.005 minutes.');
    expect(steps['bad-expression']!.outcome).toBe('failure');
    expect(steps['bad-expression']!.log).toMatch(/^##\[error\]\$\{\{ format\('echo \{0\}', fromJSON\('\{not json'\)\) \}\}: /);
    expect(run.step('job-defaults', 'sh').log).toMatch(new RegExp(`^sh runs step-\\d+\\.sh in ${basename(workspace)}$`));
    expect(run.conclusion, formatRun(run)).toBe('success');
  });
});

describe('runner building blocks', () => {
  test('matrix expansion follows GitHub’s include rules', () => {
    expect(expandMatrix({ os: ['a', 'b'], include: [{ os: 'a', x: 1 }, { os: 'c' }, { y: 2 }] })).toEqual([
      { os: 'a', x: 1, y: 2 },
      { os: 'b', y: 2 },
      { os: 'c' },
    ]);
    expect(expandMatrix({ include: [{ a: 1 }, { a: 2 }] })).toEqual([{ a: 1 }, { a: 2 }]);
    expect(() => expandMatrix({ os: [] })).toThrow('strategy.matrix.os must be a non-empty sequence');
  });

  test('branch filters: *, **, ? and +, and ! taking back', () => {
    expect(matchesFilters('release/1.2', ['release/*'])).toBe(true);
    expect(matchesFilters('release/1/2', ['release/*'])).toBe(false);
    expect(matchesFilters('release/1/2', ['release/**'])).toBe(true);
    expect(matchesFilters('release/beta', ['release/**', '!release/beta'])).toBe(false);
    expect(matchesFilters('v0', ['v1+0'])).toBe(false);
    expect(matchesFilters('v10', ['v1+0'])).toBe(true);
    expect(matchesFilters('v10', ['v1?0'])).toBe(true);
    expect(matchesFilters('v0', ['v1?0'])).toBe(true);
    expect(matchesFilters('v110', ['v1+0'])).toBe(true);
    expect(matchesFilters('main.x', ['main'])).toBe(false);
  });

  test('push filters: tags only, branches-ignore, paths and paths-ignore against the changed files', () => {
    const changed = (files: string[]) => () => files;
    expect(pushTriggers({ tags: ['v*'] }, 'refs/heads/main', changed([]))).toEqual({ triggered: false, reason: 'only tags filters are set, and refs/heads/main is not one of the tags' });
    expect(pushTriggers({ tags: ['v*'] }, 'refs/tags/v1.2.0', changed([]))).toEqual({ triggered: true });
    expect(pushTriggers({ 'branches-ignore': ['dependabot/**'] }, 'refs/heads/dependabot/npm/x', changed([]))).toMatchObject({ triggered: false });
    expect(pushTriggers({ paths: ['deploy/**', '!deploy/README.md'] }, 'refs/heads/main', changed(['deploy/README.md']))).toMatchObject({ triggered: false });
    expect(pushTriggers({ paths: ['deploy/**'] }, 'refs/heads/main', changed(['src/a.ts', 'deploy/staging.yaml']))).toEqual({ triggered: true });
    expect(pushTriggers({ 'paths-ignore': ['**.md'] }, 'refs/heads/main', changed(['README.md', 'docs/x.md']))).toMatchObject({ triggered: false });
  });
});
