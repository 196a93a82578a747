import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';

/**
 * A workflow the local runner will not run as written: a mistake in the workflow, or
 * something the runner has no stand-in for. Thrown before any step runs, so a test
 * fails on the cause instead of on a half-run workflow.
 */
export class WorkflowRunnerError extends Error {
  override name = 'WorkflowRunnerError';
}

/** `file:line:col` of a token, the way editors and the problem matchers link it. */
export function locate(file: string, token: TemplateToken | undefined): string {
  return token?.line === undefined ? file : `${file}:${token.line}:${token.col ?? 1}`;
}

export function runnerError(file: string, token: TemplateToken | undefined, message: string): WorkflowRunnerError {
  return new WorkflowRunnerError(`${locate(file, token)}: ${message}`);
}
