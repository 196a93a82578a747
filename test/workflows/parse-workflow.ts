import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context';
import type { TemplateValidationError } from '@actions/workflow-parser/templates/template-validation-error';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/index';
import type { FileProvider } from '@actions/workflow-parser/workflows/file-provider';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { repoRoot } from '../harness/run-bundle.js';
import { convertWorkflowTemplate, isMapping, NoOperationTraceWriter, parseWorkflow } from './actions-parser.js';
import { defaultRepositories, displayPath, repositoryOf, reusableWorkflowPath } from './uses-reference.js';

/** One error from GitHub's own workflow parser, located in its file. */
export interface WorkflowProblem {
  file: string;
  line: number | undefined;
  column: number | undefined;
  message: string;
}

export function formatProblem(problem: WorkflowProblem): string {
  const at = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return `${at}: ${problem.message}`;
}

export class WorkflowSyntaxError extends Error {
  override name = 'WorkflowSyntaxError';
  constructor(readonly problems: WorkflowProblem[]) {
    super(`${problems.length === 1 ? 'invalid workflow' : `${problems.length} problems`}:\n${problems.map(formatProblem).join('\n')}`);
  }
}

export interface ParsedWorkflow {
  path: string;
  /** The path used in messages (relative to this repository when inside it). */
  file: string;
  template: WorkflowTemplate;
  /** The token tree: every key the workflow has, with lines and columns. */
  root: MappingToken;
  context: TemplateContext;
}

/** `foo.yml (Line: 3, Col: 7)` is how the parser prefixes a message; the range is more exact when present. */
export function toProblem(error: TemplateValidationError): WorkflowProblem {
  const prefix = /^(.*?)(?: \(Line: (\d+), Col: (\d+)\))?$/.exec(error.prefix ?? '');
  const line = error.range?.start.line ?? (prefix?.[2] ? Number(prefix[2]) : undefined);
  const column = error.range?.start.column ?? (prefix?.[3] ? Number(prefix[3]) : undefined);
  return { file: prefix?.[1] || '(workflow)', line, column, message: error.rawMessage };
}

/** Hands the parser the reusable workflows a file calls, from this machine, so their inputs and secrets are checked too. */
function localWorkflows(repoDir: string, repositories: Record<string, string>): FileProvider {
  return {
    async getFileContent(ref: FileReference) {
      const uses = 'repository' in ref ? { kind: 'repository' as const, repository: `${ref.owner}/${ref.repository}`, path: ref.path, ref: ref.version } : { kind: 'local' as const, path: ref.path };
      const path = reusableWorkflowPath(uses, repoDir, repositories);
      if (typeof path !== 'string') throw new Error(path.error);
      if (!existsSync(path)) throw new Error(`${path} does not exist`);
      return { name: displayPath(path), content: readFileSync(path, 'utf8') };
    },
  };
}

/**
 * Parses and validates a workflow file exactly as GitHub does (schema, expressions, contexts
 * allowed per key, `needs` graph, inputs and secrets of called workflows); every problem
 * comes back with its file, line and column.
 */
export async function parseWorkflowFile(
  path: string,
  repositories: Record<string, string> = defaultRepositories(),
): Promise<{ workflow: ParsedWorkflow | undefined; problems: WorkflowProblem[] }> {
  const absolute = resolve(repoRoot, path);
  const file = displayPath(absolute);
  const repoDir = repositoryOf(absolute);
  const parsed = parseWorkflow({ name: file, content: readFileSync(absolute, 'utf8') }, new NoOperationTraceWriter());
  const errors = () => parsed.context.errors.getErrors().map(toProblem);
  if (!parsed.value) {
    const problems = errors();
    return { workflow: undefined, problems: problems.length ? problems : [{ file, line: undefined, column: undefined, message: 'the file is empty' }] };
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, localWorkflows(repoDir, repositories), { fetchReusableWorkflowDepth: 1 });
  const problems = errors();
  if (problems.length || !isMapping(parsed.value)) return { workflow: undefined, problems };
  return { workflow: { path: absolute, file, template, root: parsed.value, context: parsed.context }, problems };
}

/** Like {@link parseWorkflowFile}, but any problem is thrown as one {@link WorkflowSyntaxError}. */
export async function loadWorkflow(path: string, repositories?: Record<string, string>): Promise<ParsedWorkflow> {
  const { workflow, problems } = await parseWorkflowFile(path, repositories);
  if (!workflow || problems.length) throw new WorkflowSyntaxError(problems);
  return workflow;
}

/** A YAML file is a workflow when it has top-level `on:` and `jobs:`; GitHub reads every file in `.github/workflows/` as one. */
export function looksLikeWorkflow(text: string): boolean {
  return /^jobs[ \t]*:/m.test(text) && /^(on|"on"|'on')[ \t]*:/m.test(text);
}

const isYaml = (name: string) => /\.ya?ml$/.test(name);

/**
 * Every workflow this repository ships or shows: `.github/workflows/*.yml`, and under
 * `examples/` every `.github/workflows/*.yml` plus any other YAML file that is a workflow.
 */
export function findWorkflowFiles(root = repoRoot): string[] {
  const found = new Set<string>();
  const workflowsDir = join(root, '.github', 'workflows');
  if (existsSync(workflowsDir)) {
    for (const name of readdirSync(workflowsDir).sort()) if (isYaml(name)) found.add(join(workflowsDir, name));
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(path);
      } else if (entry.isFile() && isYaml(entry.name)) {
        const inWorkflowsDir = /[\\/]\.github[\\/]workflows$/.test(dir);
        if (inWorkflowsDir || looksLikeWorkflow(readFileSync(path, 'utf8'))) found.add(path);
      }
    }
  };
  const examples = join(root, 'examples');
  if (existsSync(examples)) walk(examples);
  return [...found];
}
