import { GitHubUnavailableError } from './github-error.js';
import type { CallPurpose, GitHubApi } from './github-api.js';

/**
 * Pull requests through the REST API: find the open one for a head branch and
 * base, open one, change its title and body. Same-repository heads only: the
 * GitOps branch lives next to the branch it targets.
 */

export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** What we keep of GitHub's pull request object. */
export interface PullRequest {
  number: number;
  /** GraphQL global id (`node_id`): auto-merge is a GraphQL mutation. */
  nodeId: string;
  /** The page a reviewer opens (`html_url`). */
  url: string;
  title: string;
  body: string;
  labels: string[];
  /** The merge method auto-merge is enabled with; undefined when it is not. */
  autoMerge: MergeMethod | undefined;
}

export interface PullRequestTarget {
  owner: string;
  repo: string;
  /** Branch name in the same repository, without `owner:`. */
  head: string;
  base: string;
}

function purpose(target: PullRequestTarget, operation: string, permission: string): CallPurpose {
  return { operation, repository: `${target.owner}/${target.repo}`, permission };
}

/** GitHub's object to ours; an answer without the fields every pull request has is GitHub misbehaving. */
export function toPullRequest(api: GitHubApi, operation: string, data: unknown): PullRequest {
  const pr = (typeof data === 'object' && data !== null ? data : {}) as {
    number?: unknown;
    node_id?: unknown;
    html_url?: unknown;
    title?: unknown;
    body?: unknown;
    labels?: unknown;
    auto_merge?: unknown;
  };
  if (typeof pr.number !== 'number' || typeof pr.node_id !== 'string' || typeof pr.html_url !== 'string') {
    throw new GitHubUnavailableError(api.host, `could not ${operation}: GitHub's answer is not a pull request (no number, node_id or html_url)`, operation, undefined);
  }
  const labels = (Array.isArray(pr.labels) ? pr.labels : []).flatMap((l: unknown) => {
    const name = typeof l === 'string' ? l : typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? [name] : [];
  });
  const method = typeof pr.auto_merge === 'object' && pr.auto_merge !== null ? (pr.auto_merge as { merge_method?: unknown }).merge_method : undefined;
  return {
    number: pr.number,
    nodeId: pr.node_id,
    url: pr.html_url,
    title: typeof pr.title === 'string' ? pr.title : '',
    body: typeof pr.body === 'string' ? pr.body : '',
    labels,
    autoMerge: method === 'merge' || method === 'squash' || method === 'rebase' ? method : undefined,
  };
}

/**
 * The open pull request from `head` into `base`, if any. GitHub filters by
 * head only in the `owner:branch` form; a bare branch name is ignored and every
 * open pull request comes back, so the owner is always given.
 */
export async function findOpenPullRequest(api: GitHubApi, target: PullRequestTarget): Promise<PullRequest | undefined> {
  const operation = `look for an open pull request from ${target.head} into ${target.base} in ${target.owner}/${target.repo}`;
  const response = await api.rest<unknown[]>(purpose(target, operation, 'pull-requests: read'), 'GET /repos/{owner}/{repo}/pulls', {
    owner: target.owner,
    repo: target.repo,
    head: `${target.owner}:${target.head}`,
    base: target.base,
    state: 'open',
    per_page: 100,
  });
  if (!Array.isArray(response.data)) {
    throw new GitHubUnavailableError(api.host, `could not ${operation}: GitHub's answer is not a list`, operation, response.status);
  }
  // GitHub allows one open pull request per head and base; the oldest wins if that ever changes.
  const found = response.data.map((d) => toPullRequest(api, operation, d)).sort((a, b) => a.number - b.number);
  return found[0];
}

export async function createPullRequest(
  api: GitHubApi,
  target: PullRequestTarget,
  content: { title: string; body: string },
): Promise<PullRequest> {
  const operation = `open a pull request from ${target.head} into ${target.base} in ${target.owner}/${target.repo}`;
  const response = await api.rest<unknown>(
    {
      ...purpose(target, operation, 'pull-requests: write'),
      explain: (status, body) =>
        status === 422 && body.details.some((d) => /\bhead\b.*invalid/i.test(d))
          ? `The branch ${target.head} must exist in ${target.owner}/${target.repo} (pushed) before a pull request can be opened from it.`
          : status === 422 && body.details.some((d) => /\bbase\b.*invalid/i.test(d))
            ? `The base branch ${target.base} does not exist in ${target.owner}/${target.repo}.`
            : undefined,
    },
    'POST /repos/{owner}/{repo}/pulls',
    { owner: target.owner, repo: target.repo, head: target.head, base: target.base, title: content.title, body: content.body },
  );
  return toPullRequest(api, operation, response.data);
}

export async function updatePullRequest(
  api: GitHubApi,
  target: PullRequestTarget,
  number: number,
  content: { title: string; body: string },
): Promise<PullRequest> {
  const operation = `update pull request #${number} in ${target.owner}/${target.repo}`;
  const response = await api.rest<unknown>(purpose(target, operation, 'pull-requests: write'), 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: target.owner,
    repo: target.repo,
    pull_number: number,
    title: content.title,
    body: content.body,
  });
  return toPullRequest(api, operation, response.data);
}

/** GitHub's 422 when an open pull request for the same head and base exists (a concurrent run opened it first). */
export function isAlreadyExists(details: readonly string[]): boolean {
  return details.some((d) => /a pull request already exists/i.test(d));
}
