import { InputError } from '../errors/errors.js';
import { neutraliseLine } from '../log/neutralise.js';
import type { GitHubApi } from './github-api.js';

/**
 * Labels on a pull request. Every pull request is an issue, so labels go
 * through the issues endpoint; adding one the repository does not have yet
 * creates it (GitHub's behaviour), so no separate label management is needed.
 */

/** GitHub's limit on a label name. */
export const MAX_LABEL_LENGTH = 50;
/** GitHub's limit on labels per issue. */
export const MAX_LABELS = 100;

/**
 * Label names as GitHub will accept them: trimmed, without empties, each
 * once (GitHub compares names without regard to case), within GitHub's limits.
 */
export function normaliseLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of labels) {
    const name = raw.trim();
    if (!name) continue;
    if ([...name].length > MAX_LABEL_LENGTH) {
      throw new InputError(`pull request label '${neutraliseLine(name)}' is longer than GitHub's ${MAX_LABEL_LENGTH} characters`);
    }
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  if (out.length > MAX_LABELS) throw new InputError(`${out.length} pull request labels given; GitHub allows at most ${MAX_LABELS}`);
  return out;
}

/** The labels of `wanted` the pull request does not carry yet. */
export function missingLabels(wanted: readonly string[], present: readonly string[]): string[] {
  const have = new Set(present.map((l) => l.toLowerCase()));
  return wanted.filter((l) => !have.has(l.toLowerCase()));
}

/** Adds labels (never removes any); returns the names the pull request carries afterwards. */
export async function addLabels(
  api: GitHubApi,
  target: { owner: string; repo: string },
  number: number,
  labels: readonly string[],
): Promise<string[]> {
  const response = await api.rest<unknown>(
    {
      operation: `add labels to pull request #${number} in ${target.owner}/${target.repo}`,
      repository: `${target.owner}/${target.repo}`,
      permission: 'pull-requests: write',
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
    { owner: target.owner, repo: target.repo, issue_number: number, labels: [...labels] },
  );
  return (Array.isArray(response.data) ? response.data : []).flatMap((l: unknown) => {
    const name = typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}
