import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../harness/run-bundle.js';
import { isString } from './actions-parser.js';
import { changedFiles, defaultIdentity, eventFacts, type InputValue, type RunIdentity, type TriggerEvent } from './event-context.js';
import { ExpressionFailure, ExpressionScope } from './expressions.js';
import { concurrencyOf, runDefaultsOf, runStepsJob, type RunDefaults } from './job-runner.js';
import { expandMatrix, legName, MatrixError, type MatrixLeg } from './matrix.js';
import { formatRun, stepOf, type JobOutcome, type JobResult, type JobRun, type WorkflowRun } from './run-result.js';
import { githubContext, type EnvironmentSettings, type Session } from './run-session.js';
import { WorkflowRunnerError } from './runner-error.js';
import { SecretMasker } from './secret-masker.js';
import { standIns, type StandIn } from './stand-ins.js';
import { field, mappingField, stringField } from './template-tokens.js';
import { listensTo, pushTriggers } from './triggers.js';
import { defaultRepositories, repositoryOf } from './uses-reference.js';
import { checkCallSecrets, InputError, inputDefinitions, resolveInputs, secretDefinitions } from './workflow-inputs.js';
import { planWorkflow, type JobPlan, type WorkflowPlan } from './workflow-plan.js';

export { formatRun, WorkflowRunnerError };
export type { JobResult, JobRun, StepResult, WorkflowRun } from './run-result.js';
export type { TriggerEvent } from './event-context.js';
export type { StandIn, StandInStep } from './stand-ins.js';

export interface RunWorkflowOptions {
  /** The workflow file: absolute, or relative to this repository. */
  workflow: string;
  /** What starts the run: `{ name: 'push' }`, `{ name: 'workflow_dispatch', inputs }`, `{ name: 'workflow_call', inputs }` … */
  event: TriggerEvent;
  /** GITHUB_WORKSPACE, shared by all jobs: usually the app's git repository. A fresh empty directory by default. */
  workspace?: string;
  /**
   * Where a step's `uses: ./…` resolves (on GitHub: the checked-out workspace). By default the
   * repository the workflow file belongs to (the directory holding its `.github/workflows`),
   * or this repository for a workflow kept elsewhere.
   */
  root?: string;
  /** owner/repo → local directory standing in for every ref of it; this repository is `gitops-actions/gitops-actions`. */
  repositories?: Record<string, string>;
  /** Repository secrets (GITHUB_TOKEN is `github.token` unless given). */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Secrets and variables of GitHub environments, for jobs with `environment:`. */
  environments?: Record<string, EnvironmentSettings>;
  /** Repository, actor, token, server and API URLs, run id and number of the run. */
  github?: Partial<RunIdentity>;
  /** Added to every step's environment as the machine's own (PATH shims, tool locations). */
  env?: Record<string, string>;
  /** Run only this job (and the jobs it needs, first). */
  job?: string;
  /** Stand-ins for third-party actions, over the built-in ones (keyed `owner/repo` or `owner/repo/path`). */
  standIns?: Record<string, StandIn>;
}

function newRun(file: string, name: string, inputs: Record<string, InputValue>): WorkflowRun {
  const run: WorkflowRun = {
    file,
    name,
    triggered: true,
    notTriggeredReason: undefined,
    conclusion: 'success',
    inputs,
    jobs: {},
    outputs: {},
    summary: '',
    log: '',
    permissions: undefined,
    concurrency: undefined,
    step: (jobId, stepId) => stepOf(run, jobId, stepId),
  };
  Object.defineProperty(run, 'step', { enumerable: false });
  return run;
}

/**
 * Runs a workflow the way GitHub would for `event`: jobs in `needs` order (one at a time),
 * each step in a child process with the runner's environment, expressions evaluated with
 * @actions/expressions. Throws {@link WorkflowSyntaxError} or {@link WorkflowRunnerError}
 * before anything runs when the workflow is invalid or needs what this runner cannot do;
 * otherwise resolves with the run, failed or not.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const path = resolve(repoRoot, options.workflow);
  const sources = { root: resolve(options.root ?? repositoryOf(path)), repositories: { ...defaultRepositories(), ...options.repositories } };
  const plan = await planWorkflow(path, { sources, standIns: { ...standIns, ...options.standIns } });
  const { template, file, root } = plan.parsed;
  const event = options.event;
  if (!listensTo(template.events, event.name)) {
    throw new WorkflowRunnerError(`${file}: the workflow does not run on ${event.name} (on: ${Object.keys(template.events ?? {}).join(', ')})`);
  }
  if (options.job && !plan.jobs.some((j) => j.id === options.job)) {
    throw new WorkflowRunnerError(`${file}: no job '${options.job}' (jobs: ${plan.jobs.map((j) => j.id).join(', ')})`);
  }
  const failInput = (error: unknown): never => {
    if (error instanceof InputError) throw new WorkflowRunnerError(`${file}: ${error.message}`);
    throw error;
  };

  const identity: RunIdentity = { ...defaultIdentity, ...options.github };
  const baseDir = mkdtempSync(join(tmpdir(), 'gha-workflow-'));
  const workspace = options.workspace ?? join(baseDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let inputs: Record<string, InputValue> = {};
  if (event.name === 'workflow_dispatch') {
    try {
      inputs = resolveInputs(inputDefinitions(root, 'workflow_dispatch'), event.inputs ?? {}, (token) => new ExpressionScope({}).value(token) as InputValue);
    } catch (error) {
      failInput(error);
    }
  }
  const facts = eventFacts(event, identity, workspace, file, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)])));
  const eventPath = join(baseDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(facts.payload, null, 2));
  const secrets = { GITHUB_TOKEN: identity.token, ...options.secrets };
  const session: Session = {
    workspace,
    sources,
    identity,
    facts,
    eventPath,
    workflowName: stringField(root, 'name') ?? file,
    workflowFile: file,
    vars: options.vars ?? {},
    environments: options.environments ?? {},
    masker: new SecretMasker(),
    machineEnv: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...options.env },
    baseDir,
    jobCount: 0,
  };
  for (const value of Object.values(secrets)) session.masker.add(value);
  for (const settings of Object.values(session.environments)) for (const value of Object.values(settings.secrets ?? {})) session.masker.add(value);

  if (event.name === 'push') {
    const decision = pushTriggers(template.events.push ?? {}, facts.ref, () => changedFiles(event, facts, workspace));
    if (!decision.triggered) {
      const run = newRun(file, session.workflowName, {});
      Object.assign(run, { triggered: false, notTriggeredReason: decision.reason, conclusion: 'skipped' });
      return run;
    }
  }
  if (event.name === 'workflow_call') {
    const scope = new ExpressionScope({ github: githubContext(session, { job: '', action: '', files: undefined }), vars: session.vars });
    try {
      checkCallSecrets(secretDefinitions(root), options.secrets ?? {}, false);
      inputs = resolveInputs(inputDefinitions(root, 'workflow_call'), event.inputs ?? {}, (token) => scope.value(token) as InputValue);
    } catch (error) {
      failInput(error);
    }
  }
  const only = options.job ? withNeeds(plan, options.job) : undefined;
  return runFrame(session, plan, inputs, secrets, only);
}

function withNeeds(plan: WorkflowPlan, id: string, into = new Set<string>()): Set<string> {
  if (into.has(id)) return into;
  into.add(id);
  const job = plan.jobs.find((j) => j.id === id);
  for (const need of job?.job.needs ?? []) withNeeds(plan, need.value, into);
  return into;
}

/** Jobs in declaration order, each after the jobs it needs (the parser has ruled out cycles). */
function jobOrder(jobs: JobPlan[], only: Set<string> | undefined): JobPlan[] {
  const pending = jobs.filter((j) => !only || only.has(j.id));
  const done = new Set<string>();
  const order: JobPlan[] = [];
  while (pending.length) {
    const next = pending.findIndex((j) => (j.job.needs ?? []).every((n) => done.has(n.value)));
    if (next < 0) throw new WorkflowRunnerError(`jobs ${pending.map((j) => j.id).join(', ')} wait on each other`);
    const [job] = pending.splice(next, 1);
    order.push(job!);
    done.add(job!.id);
  }
  return order;
}

function aggregate(runs: JobRun[]): JobOutcome {
  if (runs.some((r) => r.result === 'failure')) return 'failure';
  if (runs.length && runs.every((r) => r.result === 'cancelled')) return 'cancelled';
  return 'success';
}

function emptyJobRun(name: string, leg: MatrixLeg | undefined, result: JobOutcome, log = ''): JobRun {
  return { name, matrix: leg, result, outputs: {}, steps: [], log, summary: '', environment: undefined, permissions: undefined, concurrency: undefined, runsOn: undefined, workflow: undefined, dirs: undefined };
}

/** One workflow, top-level or called: its env and defaults, then its jobs. */
async function runFrame(session: Session, plan: WorkflowPlan, inputs: Record<string, InputValue>, secrets: Record<string, string>, only?: Set<string>): Promise<WorkflowRun> {
  const { file, root } = plan.parsed;
  const run = newRun(file, stringField(root, 'name') ?? file, inputs);
  const logs: string[] = [];
  const summaries: string[] = [];
  const scope = new ExpressionScope({ github: githubContext(session, { job: '', action: '', files: undefined }), inputs, vars: session.vars, secrets });
  let env: Record<string, string>;
  let defaults: RunDefaults;
  try {
    env = scope.strings(field(root, 'env'));
    defaults = runDefaultsOf(scope, root);
    run.concurrency = concurrencyOf(scope, field(root, 'concurrency'));
    run.permissions = field(root, 'permissions') ? scope.value(field(root, 'permissions')!) : undefined;
  } catch (error) {
    if (!(error instanceof ExpressionFailure)) throw error;
    run.conclusion = 'failure';
    run.log = `##[error]${session.masker.mask(error.message)}`;
    return run;
  }

  const tolerated = new Set<string>();
  const ancestors = (id: string): Set<string> => {
    const all = withNeeds(plan, id);
    all.delete(id);
    return all;
  };
  for (const job of jobOrder(plan.jobs, only)) {
    const result: JobResult = { id: job.id, result: 'skipped', outputs: {}, runs: [] };
    run.jobs[job.id] = result;
    const before = [...ancestors(job.id)].map((id) => run.jobs[id]!.result);
    const needs = Object.fromEntries((job.job.needs ?? []).map((n) => [n.value, { result: run.jobs[n.value]!.result, outputs: run.jobs[n.value]!.outputs }]));
    const jobScope = scope.with({ needs }, { success: () => before.every((r) => r === 'success'), failure: () => before.some((r) => r === 'failure') });
    let legs: Array<MatrixLeg | undefined> = [undefined];
    let failFast = true;
    try {
      if (!jobScope.condition(job.job.if.expression)) {
        logs.push(`job ${job.id}: skipped (if: ${job.job.if.expression})`);
        continue;
      }
      const strategy = field(job.raw, 'strategy') ? (jobScope.value(field(job.raw, 'strategy')!) as Record<string, unknown>) : undefined;
      if (strategy?.matrix !== undefined) legs = expandMatrix(strategy.matrix);
      if (strategy?.['fail-fast'] !== undefined) failFast = String(strategy['fail-fast']) === 'true';
      const coe = field(job.raw, 'continue-on-error');
      if (coe && String(jobScope.value(coe)) === 'true') tolerated.add(job.id);
    } catch (error) {
      if (!(error instanceof ExpressionFailure || error instanceof MatrixError)) throw error;
      result.result = 'failure';
      result.runs.push(emptyJobRun(job.id, undefined, 'failure', `##[error]${session.masker.mask(error.message)}`));
      logs.push(`job ${job.id}: ${error.message}`);
      continue;
    }
    for (const [index, leg] of legs.entries()) {
      const legScope = jobScope.with({ matrix: leg ?? {}, strategy: { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': legs.length } });
      const nameToken = field(job.raw, 'name');
      let name = legName(job.id, leg);
      try {
        if (nameToken) name = legScope.string(nameToken);
      } catch {}
      let jobRun: JobRun;
      if (failFast && result.runs.some((r) => r.result === 'failure')) jobRun = emptyJobRun(name, leg, 'cancelled', 'cancelled: another leg of the matrix failed (fail-fast)');
      else if (job.call) jobRun = await runCall(session, job, legScope, secrets, name, leg);
      else jobRun = await runStepsJob(session, { id: job.id, name, plan: job, scope: legScope, secrets, vars: session.vars, workflowEnv: env, workflowDefaults: defaults, leg });
      result.runs.push(jobRun);
      Object.assign(result.outputs, jobRun.outputs);
      logs.push(`=== job ${name}: ${jobRun.result}`, ...(jobRun.log ? [jobRun.log] : []));
      if (jobRun.summary) summaries.push(jobRun.summary);
    }
    result.result = aggregate(result.runs);
  }

  if (Object.values(run.jobs).some((j) => j.result === 'failure' && !tolerated.has(j.id))) run.conclusion = 'failure';
  const outputs = mappingField(mappingField(mappingField(root, 'on'), 'workflow_call'), 'outputs');
  if (outputs) {
    const jobs = Object.fromEntries(Object.values(run.jobs).map((j) => [j.id, { result: j.result, outputs: j.outputs }]));
    const outputScope = scope.with({ jobs });
    for (const pair of outputs) {
      const value = field(pair.value as Parameters<typeof field>[0], 'value');
      if (!value) continue;
      try {
        run.outputs[pair.key.toString()] = outputScope.string(value);
      } catch (error) {
        if (!(error instanceof ExpressionFailure)) throw error;
        logs.push(`##[error]output ${pair.key.toString()}: ${session.masker.mask(error.message)}`);
        run.conclusion = 'failure';
      }
    }
  }
  run.log = logs.join('\n');
  run.summary = summaries.join('');
  return run;
}

/** A job that `uses:` a reusable workflow: its inputs and secrets mapped in, its outputs mapped back. */
async function runCall(session: Session, job: JobPlan, scope: ExpressionScope, callerSecrets: Record<string, string>, name: string, leg: MatrixLeg | undefined): Promise<JobRun> {
  const called = job.call!.workflow;
  const run = emptyJobRun(name, leg, 'success');
  try {
    run.permissions = field(job.raw, 'permissions') ? scope.value(field(job.raw, 'permissions')!) : undefined;
    run.concurrency = concurrencyOf(scope, field(job.raw, 'concurrency'));
    const withToken = field(job.raw, 'with');
    const given = Object.fromEntries(Object.entries((withToken ? scope.value(withToken) : {}) as Record<string, unknown>).map(([k, v]) => [k, (v ?? '') as InputValue]));
    const secretsToken = field(job.raw, 'secrets');
    const inherit = secretsToken !== undefined && isString(secretsToken) && secretsToken.value === 'inherit';
    const { GITHUB_TOKEN: token, ...callerOwn } = callerSecrets;
    const passed = inherit ? callerOwn : scope.strings(secretsToken);
    checkCallSecrets(secretDefinitions(called.parsed.root), passed, inherit);
    const inputs = resolveInputs(inputDefinitions(called.parsed.root, 'workflow_call'), given, (token) => scope.value(token) as InputValue);
    const nested = await runFrame(session, called, inputs, { GITHUB_TOKEN: token ?? '', ...passed });
    run.workflow = nested;
    run.outputs = nested.outputs;
    run.result = nested.conclusion === 'failure' ? 'failure' : 'success';
    run.log = nested.log;
    run.summary = nested.summary;
  } catch (error) {
    if (!(error instanceof ExpressionFailure || error instanceof InputError)) throw error;
    run.result = 'failure';
    run.log = `##[error]calling ${job.call!.uses}: ${session.masker.mask(error.message)}`;
  }
  return run;
}
