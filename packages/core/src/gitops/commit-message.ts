import { InputError } from '../errors/errors.js';

/** Where a commit's desired state came from; each non-empty field becomes a git trailer. */
export interface CommitProvenance {
  /** e.g. https://github.com/acme/verity-api */
  sourceRepository: string;
  sourceCommit: string;
  version: string;
  environment: string;
  /** e.g. https://github.com/acme/verity-api/actions/runs/4242 */
  workflowRun: string;
}

const TRAILERS: ReadonlyArray<readonly [keyof CommitProvenance, string]> = [
  ['sourceRepository', 'Source-Repository'],
  ['sourceCommit', 'Source-Commit'],
  ['version', 'Version'],
  ['environment', 'Environment'],
  ['workflowRun', 'Workflow-Run'],
];

/** The subject when `message` is not given: `deploy(<app>): <environment> <version>`, words left out when unknown. */
export function defaultSubject(app: string, environment: string, version: string): string {
  const rest = [environment, version].filter(Boolean).join(' ');
  return rest ? `deploy(${app}): ${rest}` : `deploy(${app})`;
}

/**
 * The full message: the user's subject (and body, if they wrote one), a blank
 * line, then the trailers, which `git interpret-trailers --parse` and GitHub
 * read from the last paragraph. A value with a line break could forge a
 * trailer, so it is refused.
 */
export function commitMessage(subjectAndBody: string, provenance: CommitProvenance): string {
  const text = subjectAndBody.replace(/\r\n?/g, '\n').trim();
  if (text === '') throw new InputError("input 'message' is empty");
  const trailers: string[] = [];
  for (const [field, key] of TRAILERS) {
    const value = provenance[field].trim();
    if (!value) continue;
    if (/[\r\n\u2028\u2029]/.test(value)) throw new InputError(`the ${key} trailer cannot contain a line break (got '${value.slice(0, 60)}')`);
    trailers.push(`${key}: ${value}`);
  }
  return trailers.length ? `${text}\n\n${trailers.join('\n')}\n` : `${text}\n`;
}
