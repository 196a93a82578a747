import { fenceFor, inlineCode } from '../log/markdown.js';
import type { DesiredStateDiff } from './gitops-clone.js';

/**
 * Pull-request mode's only need from GitHub's REST API. The step depends on
 * this interface, not on a client, so it runs the same from the action, the
 * CLI and tests; the action passes the real client (packages/core/src/github).
 */
export interface PullRequestApi {
  /**
   * Makes sure exactly one open pull request proposes `head` for `base`:
   * opens it, or updates the open one's title and body; adds the labels that
   * are missing (never removes any); enables auto-merge when asked.
   */
  openOrUpdate(request: PullRequestRequest): Promise<PullRequestResult>;
}

export interface PullRequestRequest {
  /** The repository both branches live in. */
  owner: string;
  repo: string;
  /** The branch to merge, in the same repository: `gitops/<path>` (no `owner:` prefix). */
  head: string;
  /** The branch to merge into. */
  base: string;
  title: string;
  /** Markdown. */
  body: string;
  labels: readonly string[];
  autoMerge: boolean;
}

export interface PullRequestResult {
  number: number;
  /** The page a reviewer opens. */
  url: string;
  /** True when this call opened it; false when an open one was updated. */
  created: boolean;
  /** How auto-merge ended up, when the client says (`enabled`, `not-requested`, `unavailable`). */
  autoMerge?: string;
  /** Why auto-merge is unavailable, in GitHub's words. */
  autoMergeReason?: string;
}

/**
 * The one branch that proposes changes to `path`: deterministic, so every run
 * for the same app and environment updates the same pull request instead of
 * opening another.
 */
export function pullRequestBranch(path: string): string {
  return `gitops/${path}`;
}

/** Longest diff quoted in a pull request body; GitHub takes 65,536 characters in all. */
const MAX_BODY_PATCH = 40_000;

export interface PullRequestBodyFacts {
  path: string;
  base: string;
  version: string;
  previousVersion: string;
  sourceRepository: string;
  sourceCommit: string;
  workflowRun: string;
  diff: DesiredStateDiff;
  patch: string;
}

export function pullRequestBody(facts: PullRequestBodyFacts): string {
  const lines: string[] = [];
  const versionText = facts.version
    ? facts.previousVersion && facts.previousVersion !== facts.version
      ? `**${facts.version}** (replaces ${facts.previousVersion})`
      : `**${facts.version}**`
    : 'no version given';
  lines.push(`Desired state of ${inlineCode(facts.path)} for ${inlineCode(facts.base)}: ${versionText}.`, '');
  const source = facts.sourceRepository
    ? `${facts.sourceRepository}${facts.sourceCommit ? ` at ${facts.sourceCommit.slice(0, 12)}` : ''}`
    : facts.sourceCommit;
  if (source) lines.push(`- source: ${source}`);
  if (facts.workflowRun) lines.push(`- workflow run: ${facts.workflowRun}`);
  const { added, changed, removed } = facts.diff;
  lines.push(`- files: ${added.length} added, ${changed.length} changed, ${removed.length} removed`, '');
  if (facts.patch) {
    const patch = facts.patch.length > MAX_BODY_PATCH ? `${facts.patch.slice(0, MAX_BODY_PATCH)}\n… (diff cut here)\n` : facts.patch;
    const fence = fenceFor(patch);
    lines.push('<details><summary>Diff</summary>', '', `${fence}diff`, patch.trimEnd(), fence, '', '</details>', '');
  }
  lines.push(
    `Opened by gitops-actions commit-to-gitops. The branch \`${pullRequestBranch(facts.path)}\` belongs to it: each run proposes the base branch plus this directory.`,
  );
  return lines.join('\n');
}
