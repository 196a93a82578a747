import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ActionInputDefinition, ActionOutputDefinition, Step } from '@actions/workflow-parser/actions/index';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/index';
import { convertActionTemplate, isMapping, NoOperationTraceWriter, parseAction } from './actions-parser.js';
import { toProblem, WorkflowSyntaxError } from './parse-workflow.js';
import { WorkflowRunnerError } from './runner-error.js';
import { field, items, mappingField, sequenceField } from './template-tokens.js';
import { displayPath } from './uses-reference.js';

interface ActionBase {
  dir: string;
  file: string;
  name: string;
  inputs: ActionInputDefinition[];
  outputs: ActionOutputDefinition[];
}

export interface NodeAction extends ActionBase {
  kind: 'node';
  main: string;
}

export interface CompositeAction extends ActionBase {
  kind: 'composite';
  /** Each step's tokens (for `with`, `shell`, `working-directory`) beside the parser's model of it. */
  steps: Array<{ raw: MappingToken; step: Step }>;
}

export type LoadedAction = NodeAction | CompositeAction;

/**
 * Reads an action.yml with GitHub's action parser. Node actions run their `main`; composite
 * actions their steps; anything else (docker, pre/post scripts, which none of ours use) is
 * refused with a message rather than half-run.
 */
export function loadAction(actionFile: string): LoadedAction {
  const file = displayPath(actionFile);
  const parsed = parseAction({ name: file, content: readFileSync(actionFile, 'utf8') }, new NoOperationTraceWriter());
  const template = parsed.value ? convertActionTemplate(parsed.context, parsed.value) : undefined;
  const problems = parsed.context.errors.getErrors().map(toProblem);
  if (problems.length || !template || !parsed.value || !isMapping(parsed.value)) {
    throw new WorkflowSyntaxError(problems.length ? problems : [{ file, line: undefined, column: undefined, message: 'not an action definition' }]);
  }
  const dir = dirname(actionFile);
  const base = { dir, file, name: template.name ?? file, inputs: template.inputs ?? [], outputs: template.outputs ?? [] };
  const runs = template.runs;
  const rawRuns = mappingField(parsed.value, 'runs');
  if (runs.using === 'composite') {
    const rawSteps = items(sequenceField(rawRuns, 'steps')).filter(isMapping);
    if (rawSteps.length !== runs.steps.length) throw new WorkflowRunnerError(`${file}: composite steps could not all be read`);
    return { ...base, kind: 'composite', steps: runs.steps.map((step, i) => ({ raw: rawSteps[i]!, step })) };
  }
  if (runs.using === 'docker') throw new WorkflowRunnerError(`${file}: docker actions are not supported by the local workflow runner`);
  for (const key of ['pre', 'post']) {
    if (field(rawRuns, key)) throw new WorkflowRunnerError(`${file}: runs.${key} is not supported by the local workflow runner`);
  }
  const main = resolve(dir, runs.main);
  if (!existsSync(main)) throw new WorkflowRunnerError(`${file}: runs.main ${displayPath(main)} does not exist: build it first`);
  return { ...base, kind: 'node', main };
}
