import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { parseOutputFile } from '../harness/run-bundle.js';
import { isBasicExpression, isMapping, isString } from './actions-parser.js';
import type { CompositeAction, LoadedAction, NodeAction } from './action-loader.js';
import { ExpressionFailure, type Contexts, type ExpressionScope, type Status } from './expressions.js';
import type { MatrixLeg } from './matrix.js';
import type { Concurrency, JobRun, StepOutcome, StepResult } from './run-result.js';
import { githubContext, jobDirs, processEnv, runnerContext, stepFiles, type JobDirs, type Session, type StepFiles, type StepPlace } from './run-session.js';
import type { SecretMasker } from './secret-masker.js';
import type { StandIn } from './stand-ins.js';
import { StepLog } from './step-log.js';
import { runProcess } from './step-process.js';
import { entries, field, mappingField } from './template-tokens.js';
import { parseUses } from './uses-reference.js';
import type { JobPlan, StepPlan } from './workflow-plan.js';

/** A failure the step's own log explains (bad working directory, no such shell, a stand-in refusing). */
class StepFailure extends Error {}

export interface RunDefaults {
  shell?: string;
  workingDirectory?: string;
}

/** A level of steps: the job's own, or a composite action's inside one of them. */
interface StepFrame {
  steps: Record<string, { outputs: Record<string, string>; outcome: StepOutcome; conclusion: StepOutcome }>;
  failed: boolean;
  parent: StepFrame | undefined;
  /** A composite action's `inputs`. */
  contexts: Contexts;
  /** The composite step's `env:`, seen by the steps inside it. */
  env: Record<string, string>;
  defaults: RunDefaults;
  action: Pick<StepPlace, 'actionPath' | 'actionRepository' | 'actionRef'>;
}

function failedChain(frame: StepFrame): boolean {
  for (let f: StepFrame | undefined = frame; f; f = f.parent) if (f.failed) return true;
  return false;
}

function statusOf(frame: StepFrame): Status {
  return { success: () => !failedChain(frame), failure: () => failedChain(frame) };
}

export function concurrencyOf(scope: ExpressionScope, token: TemplateToken | undefined): Concurrency | undefined {
  if (!token) return undefined;
  const value = scope.value(token);
  if (typeof value === 'string') return { group: value, cancelInProgress: false };
  const map = (value ?? {}) as Record<string, unknown>;
  return { group: String(map.group ?? ''), cancelInProgress: String(map['cancel-in-progress']) === 'true' };
}

/** `defaults.run` of a workflow or job. */
export function runDefaultsOf(scope: ExpressionScope, owner: MappingToken): RunDefaults {
  const run = mappingField(mappingField(owner, 'defaults'), 'run');
  const shell = field(run, 'shell');
  const workingDirectory = field(run, 'working-directory');
  return {
    ...(shell ? { shell: scope.string(shell) } : {}),
    ...(workingDirectory ? { workingDirectory: scope.string(workingDirectory) } : {}),
  };
}

/** The command line the runner uses for `shell:`; `{0}` is the script file. */
function shellCommand(shell: string | undefined, script: string): { command: string; args: string[] } {
  const builtin: Record<string, string> = {
    // `bash` named explicitly gets pipefail; the unnamed default does not (documented runner behaviour).
    bash: 'bash --noprofile --norc -eo pipefail {0}',
    sh: 'sh -e {0}',
    python: 'python {0}',
  };
  let template: string;
  if (shell === undefined || shell === '') template = 'bash -e {0}';
  else if (builtin[shell]) template = builtin[shell];
  else if (['pwsh', 'powershell', 'cmd'].includes(shell)) throw new StepFailure(`shell: ${shell} is not available on this Linux runner`);
  else template = shell.includes('{0}') ? shell : `${shell} {0}`;
  const [command, ...args] = template.trim().split(/\s+/).map((part) => part.replace('{0}', script));
  return { command: command!, args };
}

/** A scalar as written in the file, for the default step name `Run <first line>`. */
function sourceText(token: TemplateToken): string {
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.source ?? token.toDisplayString();
  return token.toString();
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

export interface JobSpec {
  id: string;
  name: string;
  plan: JobPlan;
  /** github, inputs, vars, secrets, needs, matrix, strategy: as the job starts. */
  scope: ExpressionScope;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  workflowEnv: Record<string, string>;
  workflowDefaults: RunDefaults;
  leg: MatrixLeg | undefined;
}

/** Runs one job (or one leg of its matrix) on a fresh "machine": steps in order, files honoured between them. */
export async function runStepsJob(session: Session, spec: JobSpec): Promise<JobRun> {
  return new JobExecution(session, spec, jobDirs(session, spec.name)).run();
}

class JobExecution {
  private stepCount = 0;
  private readonly lines: string[] = [];
  private readonly summary: string[] = [];
  private readonly masker: SecretMasker;
  /** Workflow and job `env`, then what steps add through $GITHUB_ENV. */
  private env: Record<string, string> = {};
  /** $GITHUB_PATH entries, newest first. */
  private readonly paths: string[] = [];
  private scope: ExpressionScope;

  constructor(
    private readonly session: Session,
    private readonly spec: JobSpec,
    private readonly dirs: JobDirs,
  ) {
    this.masker = session.masker.child();
    this.scope = spec.scope;
  }

  async run(): Promise<JobRun> {
    const { spec, dirs } = this;
    const raw = spec.plan.raw;
    const frame: StepFrame = { steps: {}, failed: false, parent: undefined, contexts: {}, env: {}, defaults: {}, action: {} };
    const run: JobRun = {
      name: spec.name,
      matrix: spec.leg,
      result: 'success',
      outputs: {},
      steps: [],
      log: '',
      summary: '',
      environment: undefined,
      permissions: undefined,
      concurrency: undefined,
      runsOn: undefined,
      workflow: undefined,
      dirs,
    };
    this.scope = this.scope.with({ runner: runnerContext(dirs), env: spec.workflowEnv, github: githubContext(this.session, this.place('')) }, statusOf(frame));
    try {
      // Set up job: what the runner evaluates before the first step.
      run.permissions = field(raw, 'permissions') ? this.scope.value(field(raw, 'permissions')!) : undefined;
      const environment = field(raw, 'environment');
      const environmentName = environment ? this.scope.string((isMapping(environment) ? field(environment, 'name') : environment) ?? environment) : '';
      if (environmentName) {
        const settings = this.session.environments[environmentName] ?? {};
        for (const value of Object.values(settings.secrets ?? {})) this.session.masker.add(value);
        this.scope = this.scope.with({ secrets: { ...spec.secrets, ...settings.secrets }, vars: { ...spec.vars, ...settings.vars } });
        run.environment = { name: environmentName, url: '' };
      }
      run.concurrency = concurrencyOf(this.scope, field(raw, 'concurrency'));
      run.runsOn = field(raw, 'runs-on') ? this.scope.value(field(raw, 'runs-on')!) : undefined;
      this.env = { ...spec.workflowEnv, ...this.scope.strings(field(raw, 'env')) };
      frame.defaults = { ...spec.workflowDefaults, ...runDefaultsOf(this.scope, raw) };
      this.lines.push(`##[group]Set up job ${spec.name}`, ...(run.environment ? [`environment: ${environmentName}`] : []), '##[endgroup]');

      for (const plan of spec.plan.steps) {
        const step = await this.runStep(frame, plan);
        run.steps.push(step);
        this.lines.push(`▶ ${step.name}${step.outcome === 'skipped' ? ' (skipped)' : ''}`, ...(step.log ? [step.log] : []));
      }

      const end = this.scopeOf(frame, this.place(''), this.env);
      for (const [name, token] of entries(mappingField(raw, 'outputs'))) {
        const value = end.string(token);
        if (this.masker.reveals(value)) {
          // What the runner does: a job output carrying a secret never reaches `needs`.
          this.lines.push(`##[warning]Skip output '${name}' since it may contain secret.`);
          continue;
        }
        run.outputs[name] = value;
      }
      const url = environment && isMapping(environment) ? field(environment, 'url') : undefined;
      if (run.environment && url) run.environment.url = end.string(url);
    } catch (error) {
      if (!(error instanceof ExpressionFailure)) throw error;
      this.lines.push(`##[error]${this.masker.mask(error.message)}`);
      frame.failed = true;
    }
    run.result = frame.failed ? 'failure' : 'success';
    run.log = this.lines.join('\n');
    run.summary = this.summary.join('');
    return run;
  }

  private place(action: string, files?: StepFiles, frame?: StepFrame): StepPlace {
    return { job: this.spec.id, action, dirs: this.dirs, files, ...frame?.action };
  }

  private scopeOf(frame: StepFrame, place: StepPlace, env: Record<string, string>): ExpressionScope {
    return this.scope.with(
      {
        ...frame.contexts,
        github: githubContext(this.session, place),
        steps: frame.steps,
        env,
        job: { status: failedChain(frame) ? 'failure' : 'success', container: {}, services: {} },
      },
      statusOf(frame),
    );
  }

  private async runStep(frame: StepFrame, plan: StepPlan): Promise<StepResult> {
    const { step } = plan;
    const log = new StepLog(this.masker);
    const uses = plan.action?.uses;
    const runText = 'run' in step ? sourceText(step.run).split('\n')[0] : '';
    const result: StepResult = {
      id: plan.id,
      name: uses ? `Run ${uses}` : `Run ${runText}`,
      uses,
      outcome: 'success',
      conclusion: 'success',
      outputs: {},
      log: '',
      annotations: log.annotations,
      summary: '',
      with: {},
      exitCode: undefined,
      steps: [],
    };
    const baseEnv = { ...this.env, ...frame.env };
    const before = this.scopeOf(frame, this.place(plan.id, undefined, frame), baseEnv);
    let continueOnError = false;
    try {
      if (step.name) result.name = before.string(step.name);
      if (!before.condition(step.if?.expression ?? 'success()')) {
        result.outcome = result.conclusion = 'skipped';
        frame.steps[plan.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
        return result;
      }
      const stepEnv = before.strings(step.env);
      const env = { ...baseEnv, ...stepEnv };
      const files = stepFiles(this.dirs, ++this.stepCount);
      const place = this.place(plan.id, files, frame);
      const scope = this.scopeOf(frame, place, env);
      const coe = step['continue-on-error'];
      continueOnError = typeof coe === 'boolean' ? coe : coe ? String(scope.value(coe)) === 'true' : false;
      const timeout = field(plan.raw, 'timeout-minutes');
      const timeoutMs = timeout ? Number(scope.value(timeout)) * 60_000 : undefined;
      try {
        const action = plan.action;
        let ok: boolean;
        if (!action) ok = await this.runScript(plan, frame, scope, place, env, log, result, timeoutMs);
        else if (action.kind === 'stand-in') ok = await this.runStandIn(plan, action.standIn, scope, log, result);
        else if (action.kind === 'node') ok = await this.runNode(plan, action.action, scope, place, env, log, result, timeoutMs);
        else ok = await this.runComposite(plan, action.action, action.steps, frame, scope, stepEnv, log, result);
        if (!ok) result.outcome = 'failure';
      } finally {
        this.collectFiles(files, result, log);
      }
    } catch (error) {
      if (!(error instanceof ExpressionFailure || error instanceof StepFailure)) throw error;
      log.error(error.message);
      result.outcome = 'failure';
    }
    if (result.outcome === 'failure') result.conclusion = continueOnError ? 'success' : 'failure';
    if (result.conclusion === 'failure') frame.failed = true;
    frame.steps[plan.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
    result.log = log.text();
    return result;
  }

  /** $GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_PATH and $GITHUB_STEP_SUMMARY after a step, whatever its outcome. */
  private collectFiles(files: StepFiles, result: StepResult, log: StepLog): void {
    try {
      Object.assign(result.outputs, log.commandOutputs, parseOutputFile(read(files.output)));
      Object.assign(this.env, parseOutputFile(read(files.env)));
    } catch (error) {
      log.error(`Unable to process file command: ${(error as Error).message}`);
      result.outcome = 'failure';
    }
    for (const line of read(files.path).split('\n')) if (line.trim()) this.paths.unshift(line.trim());
    const summary = read(files.summary);
    if (summary) {
      result.summary = this.masker.mask(summary);
      this.summary.push(result.summary);
    }
  }

  private async runScript(plan: StepPlan, frame: StepFrame, scope: ExpressionScope, place: StepPlace, env: Record<string, string>, log: StepLog, result: StepResult, timeoutMs: number | undefined): Promise<boolean> {
    const script = scope.string((plan.step as { run: TemplateToken }).run);
    const shellToken = field(plan.raw, 'shell');
    const dirToken = field(plan.raw, 'working-directory');
    const shell = shellToken ? scope.string(shellToken) : frame.defaults.shell;
    const dir = dirToken ? scope.string(dirToken) : (frame.defaults.workingDirectory ?? '');
    const cwd = resolve(this.session.workspace, dir);
    if (!existsSync(cwd)) throw new StepFailure(`working-directory '${dir}' does not exist in the workspace ${this.session.workspace}`);
    const file = join(this.dirs.temp, `step-${this.stepCount}.${shell === 'python' ? 'py' : 'sh'}`);
    writeFileSync(file, script);
    const { command, args } = shellCommand(shell, file);
    return this.spawn(command, args, cwd, processEnv(this.session, place, env, this.paths), log, result, timeoutMs);
  }

  private async spawn(command: string, args: string[], cwd: string, env: Record<string, string>, log: StepLog, result: StepResult, timeoutMs: number | undefined): Promise<boolean> {
    let outcome: { exitCode: number; timedOut: boolean };
    try {
      outcome = await runProcess({ command, args, cwd, env, ...(timeoutMs === undefined ? {} : { timeoutMs }) }, log);
    } catch (error) {
      throw new StepFailure(`cannot run ${command}: ${(error as Error).message}`);
    }
    result.exitCode = outcome.exitCode;
    if (outcome.timedOut) log.error(`The step has timed out after ${timeoutMs! / 60_000} minutes.`);
    else if (outcome.exitCode !== 0) log.error(`Process completed with exit code ${outcome.exitCode}.`);
    return outcome.exitCode === 0 && !outcome.timedOut;
  }

  /** `with:` plus each declared input's default, evaluated where the step runs. */
  private actionInputs(plan: StepPlan, action: LoadedAction, scope: ExpressionScope, result: StepResult): Record<string, string> {
    const given = scope.strings(field(plan.raw, 'with'));
    result.with = given;
    const inputs: Record<string, string> = {};
    for (const def of action.inputs) {
      const key = Object.keys(given).find((k) => k.toLowerCase() === def.id.toLowerCase());
      inputs[def.id] = key !== undefined ? given[key]! : def.default ? scope.string(def.default) : '';
    }
    return inputs;
  }

  private async runNode(plan: StepPlan, action: NodeAction, scope: ExpressionScope, place: StepPlace, env: Record<string, string>, log: StepLog, result: StepResult, timeoutMs: number | undefined): Promise<boolean> {
    const inputs = this.actionInputs(plan, action, scope, result);
    const ref = parseUses(plan.action!.uses);
    const actionPlace = { ...place, actionPath: action.dir, ...(ref?.kind === 'repository' ? { actionRepository: ref.repository, actionRef: ref.ref } : {}) };
    const processEnvironment = processEnv(this.session, actionPlace, env, this.paths);
    for (const [name, value] of Object.entries(inputs)) processEnvironment[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    return this.spawn(process.execPath, [action.main], this.session.workspace, processEnvironment, log, result, timeoutMs);
  }

  private async runComposite(plan: StepPlan, action: CompositeAction, steps: StepPlan[], frame: StepFrame, scope: ExpressionScope, stepEnv: Record<string, string>, log: StepLog, result: StepResult): Promise<boolean> {
    const inputs = this.actionInputs(plan, action, scope, result);
    const ref = parseUses(plan.action!.uses);
    const inner: StepFrame = {
      steps: {},
      failed: false,
      parent: frame,
      contexts: { inputs },
      env: { ...frame.env, ...stepEnv },
      defaults: {},
      action: { actionPath: action.dir, ...(ref?.kind === 'repository' ? { actionRepository: ref.repository, actionRef: ref.ref } : {}) },
    };
    for (const innerPlan of steps) {
      const step = await this.runStep(inner, innerPlan);
      result.steps.push(step);
      log.info(`▶ ${step.name}${step.outcome === 'skipped' ? ' (skipped)' : ''}`);
      if (step.log) log.info(step.log);
    }
    const end = this.scopeOf(inner, this.place(plan.id, undefined, inner), { ...this.env, ...inner.env });
    for (const output of action.outputs) if (output.value) result.outputs[output.id] = end.string(output.value);
    return !inner.failed;
  }

  private async runStandIn(plan: StepPlan, standIn: StandIn, scope: ExpressionScope, log: StepLog, result: StepResult): Promise<boolean> {
    const given = scope.strings(field(plan.raw, 'with'));
    result.with = given;
    try {
      await standIn({
        uses: plan.action!.uses,
        with: given,
        workspace: this.session.workspace,
        repository: this.session.identity.repository,
        repositories: this.session.sources.repositories,
        log: (line) => log.info(line),
        setOutput: (name, value) => {
          result.outputs[name] = value;
        },
      });
      return true;
    } catch (error) {
      throw new StepFailure(error instanceof Error ? error.message : String(error));
    }
  }
}
