import type { InputValue } from './event-context.js';
import type { Annotation } from './step-log.js';

export type StepOutcome = 'success' | 'failure' | 'skipped';
export type JobOutcome = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepResult {
  /** The step's `id`, or the id GitHub generates (`__run`, `__actions_checkout`, …). */
  id: string;
  name: string;
  uses: string | undefined;
  /** Before `continue-on-error`. */
  outcome: StepOutcome;
  /** After `continue-on-error`. */
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  /** The step's output as the runner shows it: secrets and `::add-mask::` values masked. */
  log: string;
  annotations: Annotation[];
  /** What the step wrote to `$GITHUB_STEP_SUMMARY` (masked). */
  summary: string;
  /** The `with:` values the step got, evaluated (for actions and stand-ins). */
  with: Record<string, string>;
  exitCode: number | undefined;
  /** The steps of a composite action. */
  steps: StepResult[];
}

/** `concurrency:` as evaluated: recorded, not enforced (runs here never overlap). */
export interface Concurrency {
  group: string;
  cancelInProgress: boolean;
}

/** One run of a job: the job itself, or one leg of its matrix. */
export interface JobRun {
  name: string;
  matrix: Record<string, unknown> | undefined;
  result: JobOutcome;
  outputs: Record<string, string>;
  steps: StepResult[];
  log: string;
  summary: string;
  /** `environment:` as evaluated (url after the steps): recorded, not enforced. */
  environment: { name: string; url: string } | undefined;
  /** `permissions:` as written (job level): recorded, not enforced. */
  permissions: unknown;
  concurrency: Concurrency | undefined;
  runsOn: unknown;
  /** For a job that calls a reusable workflow: that workflow's run. */
  workflow: WorkflowRun | undefined;
  /** RUNNER_TEMP and HOME of the run, for tests that look at what steps left behind. */
  dirs: { temp: string; home: string; toolCache: string } | undefined;
}

export interface JobResult {
  id: string;
  result: JobOutcome;
  /** The outputs `needs.<id>.outputs` gives (for a matrix: merged over the legs, later legs winning). */
  outputs: Record<string, string>;
  /** One per matrix leg; one for a plain job; none when skipped. */
  runs: JobRun[];
}

export interface WorkflowRun {
  file: string;
  name: string;
  /** false when the event's filters (branches, tags, paths) do not start this workflow. */
  triggered: boolean;
  notTriggeredReason: string | undefined;
  conclusion: 'success' | 'failure' | 'skipped';
  /** The `inputs` context (workflow_dispatch, workflow_call). */
  inputs: Record<string, InputValue>;
  jobs: Record<string, JobResult>;
  /** workflow_call outputs. */
  outputs: Record<string, string>;
  /** Every job's step summary, in run order. */
  summary: string;
  /** Every job's log, in run order. */
  log: string;
  /** `permissions:` at workflow level, as written. */
  permissions: unknown;
  concurrency: Concurrency | undefined;
  /** The step `stepId` of job `jobId` (its first run); throws with the run's overview when missing. */
  step(jobId: string, stepId: string): StepResult;
}

const mark: Record<string, string> = { success: '✓', failure: '✗', skipped: '-', cancelled: '⊘' };

function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return (all.length > lines ? [`… ${all.length - lines} lines before`, ...all.slice(-lines)] : all).join('\n');
}

/** A run as a tree of jobs and steps, with the end of each failed step's log: for assertion messages. */
export function formatRun(run: WorkflowRun, indent = ''): string {
  const out = [`${indent}${run.file}: ${run.triggered ? run.conclusion : `not triggered (${run.notTriggeredReason})`}`];
  const stepLines = (steps: StepResult[], pad: string): void => {
    for (const step of steps) {
      out.push(`${pad}${mark[step.conclusion]} ${step.id} ${step.name} (${step.outcome})`);
      if (step.steps.length) stepLines(step.steps, `${pad}  `);
      else if (step.outcome === 'failure') out.push(tail(step.log, 30).replace(/^/gm, `${pad}    | `));
    }
  };
  for (const job of Object.values(run.jobs)) {
    out.push(`${indent}  ${mark[job.result]} job ${job.id}: ${job.result}`);
    for (const leg of job.runs) {
      if (job.runs.length > 1 || leg.name !== job.id) out.push(`${indent}    ${mark[leg.result]} ${leg.name}: ${leg.result}`);
      if (leg.workflow) out.push(formatRun(leg.workflow, `${indent}      `));
      stepLines(leg.steps, `${indent}      `);
    }
  }
  return out.join('\n');
}

export function stepOf(run: WorkflowRun, jobId: string, stepId: string): StepResult {
  const step = run.jobs[jobId]?.runs[0]?.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`no step '${stepId}' in job '${jobId}':\n${formatRun(run)}`);
  return step;
}
