import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionStep, RunStep, Step, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/index';
import { isActionStep, isJob, isRunStep } from './actions-parser.js';
import { loadAction, type CompositeAction, type LoadedAction, type NodeAction } from './action-loader.js';
import { loadWorkflow, type ParsedWorkflow } from './parse-workflow.js';
import { runnerError } from './runner-error.js';
import type { StandIn } from './stand-ins.js';
import { entries, field, items, mappingField, sequenceField } from './template-tokens.js';
import { actionFileIn, displayPath, parseUses, repositoryDir, repositoryOf, reusableWorkflowPath, type Sources } from './uses-reference.js';

export interface StepPlan {
  id: string;
  /** The step's own tokens: `with`, `shell`, `working-directory`, `timeout-minutes`. */
  raw: MappingToken;
  /** The parser's model: `if` (with its status function), `env`, `run`, `uses`, `continue-on-error`. */
  step: RunStep | ActionStep;
  file: string;
  action?: ActionPlan;
}

export type ActionPlan =
  | { kind: 'node'; uses: string; action: NodeAction }
  | { kind: 'composite'; uses: string; action: CompositeAction; steps: StepPlan[] }
  | { kind: 'stand-in'; uses: string; standIn: StandIn };

export interface JobPlan {
  id: string;
  raw: MappingToken;
  job: WorkflowJob;
  steps: StepPlan[];
  /** A job that `uses:` a reusable workflow. */
  call?: { uses: string; workflow: WorkflowPlan };
}

export interface WorkflowPlan {
  parsed: ParsedWorkflow;
  /** The repository the file belongs to: its `./.github/workflows/` calls resolve here. */
  repoDir: string;
  jobs: JobPlan[];
}

export interface Planner {
  sources: Sources;
  standIns: Record<string, StandIn>;
}

/** GitHub's limit on nesting reusable workflows; also stops a workflow calling itself. */
const MAX_CALL_DEPTH = 10;

/**
 * Everything a run needs, resolved before the first step runs: every file parsed by GitHub's
 * parser, every `uses:` found (our actions, stand-ins, called workflows), every input name
 * checked. Anything the runner cannot do is one clear error here, not a half-run workflow.
 */
export async function planWorkflow(path: string, planner: Planner, depth = 0): Promise<WorkflowPlan> {
  const parsed = await loadWorkflow(path, planner.sources.repositories);
  const repoDir = repositoryOf(parsed.path);
  const rawJobs = mappingField(parsed.root, 'jobs');
  const jobs: JobPlan[] = [];
  for (const job of parsed.template.jobs) {
    const id = job.id.value;
    const raw = mappingField(rawJobs, id);
    if (!raw) throw runnerError(parsed.file, job.id, `job '${id}' could not be read`);
    if (!isJob(job)) {
      if (depth + 1 > MAX_CALL_DEPTH) throw runnerError(parsed.file, job.ref, `reusable workflows nest deeper than ${MAX_CALL_DEPTH} levels`);
      const ref = parseUses(job.ref.value);
      const target = ref ? reusableWorkflowPath(ref, repoDir, planner.sources.repositories) : { error: `'${job.ref.value}' is not a workflow reference` };
      if (typeof target !== 'string') throw runnerError(parsed.file, job.ref, target.error);
      if (!existsSync(target)) throw runnerError(parsed.file, job.ref, `${displayPath(target)} does not exist`);
      const workflow = await planWorkflow(target, planner, depth + 1);
      if (!workflow.parsed.template.events?.workflow_call) {
        throw runnerError(parsed.file, job.ref, `${workflow.parsed.file} cannot be called: it has no 'on: workflow_call'`);
      }
      jobs.push({ id, raw, job, steps: [], call: { uses: job.ref.value, workflow } });
      continue;
    }
    for (const key of ['container', 'services']) {
      if (field(raw, key)) throw runnerError(parsed.file, field(raw, key), `jobs.${id}.${key} is not supported by the local workflow runner`);
    }
    const rawSteps = items(sequenceField(raw, 'steps'));
    const steps = job.steps.map((step, i) => planStep(step, rawSteps[i] as MappingToken, step.id, parsed.file, planner, 0));
    jobs.push({ id, raw, job, steps });
  }
  return { parsed, repoDir, jobs };
}

function planStep(step: Step, raw: MappingToken, id: string, file: string, planner: Planner, compositeDepth: number): StepPlan {
  if (isRunStep(step)) return { id, raw, step, file };
  if (!isActionStep(step)) throw runnerError(file, raw, `this kind of step (${Object.keys(step).join(', ')}) is not supported by the local workflow runner`);
  const uses = step.uses.value;
  const ref = parseUses(uses);
  const at = (message: string) => runnerError(file, step.uses, `uses: ${uses}: ${message}`);
  if (!ref) throw at('not an action reference');
  if (ref.kind === 'docker') throw at('docker actions are not supported by the local workflow runner');

  let dir: string | undefined;
  if (ref.kind === 'local') {
    dir = join(planner.sources.root, ref.path);
    if (!actionFileIn(dir)) {
      throw at(
        `no action.yml in ${displayPath(dir)}. A step's ./ path resolves against the checked-out workspace ` +
          `(here ${displayPath(planner.sources.root)}), also in reusable workflows and composite actions from another repository: ` +
          `reference those as <owner>/<repo>/<path>@<ref>`,
      );
    }
  } else {
    const local = repositoryDir(planner.sources.repositories, ref.repository);
    if (local) {
      dir = join(local, ref.path);
      if (!actionFileIn(dir)) throw at(`no action.yml in ${displayPath(dir)} (the local copy of ${ref.repository})`);
    } else {
      const key = ref.path ? `${ref.repository}/${ref.path}` : ref.repository;
      const standIn = Object.entries(planner.standIns).find(([name]) => name.toLowerCase() === key)?.[1];
      if (!standIn) {
        throw at(
          `the local workflow runner has no stand-in for ${key} (it knows ${Object.keys(planner.standIns).sort().join(', ')}, ` +
            `and runs ${Object.keys(planner.sources.repositories).join(', ')} from local copies); add one to the run's standIns`,
        );
      }
      return { id, raw, step, file, action: { kind: 'stand-in', uses, standIn } };
    }
  }

  const action: LoadedAction = loadAction(actionFileIn(dir)!);
  const declared = new Set(action.inputs.map((i) => i.id.toLowerCase()));
  for (const [name, token] of entries(mappingField(raw, 'with'))) {
    if (!declared.has(name.toLowerCase())) {
      throw runnerError(file, token, `input '${name}' is not declared by ${action.file} (it declares ${[...declared].join(', ') || 'no inputs'})`);
    }
  }
  if (action.kind === 'node') return { id, raw, step, file, action: { kind: 'node', uses, action } };
  if (compositeDepth >= MAX_CALL_DEPTH) throw at('composite actions nest too deep');
  const steps = action.steps.map(({ raw: innerRaw, step: inner }, i) =>
    planStep(inner, innerRaw, inner.id || `__step${i + 1}`, action.file, planner, compositeDepth + 1),
  );
  return { id, raw, step, file, action: { kind: 'composite', uses, action, steps } };
}
