import type { GitHubApi } from './github-api.js';
import type { MergeMethod, PullRequest } from './pull-requests.js';

/**
 * Auto-merge exists only in GraphQL (`enablePullRequestAutoMerge`). GitHub
 * refuses it for reasons that are settings, not failures of the run: the
 * repository does not allow auto-merge, or the pull request could be merged
 * right now ("clean status": nothing to wait for). Those, and a token that may
 * not do it, come back as `unavailable` with the reason; the pull request
 * stands either way.
 */

export type AutoMergeResult = { state: 'enabled'; method: MergeMethod } | { state: 'unavailable'; reason: string };

const MUTATION = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;

/** What to do about GitHub's refusal, where there is something to do. */
function hint(type: string, message: string): string {
  if (type === 'FORBIDDEN' || /not accessible by/i.test(message)) {
    return 'the token needs `pull-requests: write` and `contents: write` to enable auto-merge';
  }
  if (/auto merge is not allowed/i.test(message)) {
    return 'enable "Allow auto-merge" in the repository settings (Settings → General → Pull Requests)';
  }
  if (/is in (clean|unstable) status/i.test(message)) {
    return 'nothing is pending (no required check or review), so GitHub has nothing to wait for; protect the base branch with required checks, or merge the pull request';
  }
  return '';
}

export async function enableAutoMerge(
  api: GitHubApi,
  target: { owner: string; repo: string },
  pullRequest: PullRequest,
  method: MergeMethod,
): Promise<AutoMergeResult> {
  const { data, errors } = await api.graphql<{
    enablePullRequestAutoMerge?: { pullRequest?: { autoMergeRequest?: { mergeMethod?: unknown } | null } | null } | null;
  }>(
    {
      operation: `enable auto-merge on pull request #${pullRequest.number} in ${target.owner}/${target.repo}`,
      repository: `${target.owner}/${target.repo}`,
      permission: 'pull-requests: write',
    },
    MUTATION,
    { pullRequestId: pullRequest.nodeId, mergeMethod: method.toUpperCase() },
  );
  if (errors.length > 0) {
    const reasons = errors.map((e) => {
      const advice = hint(e.type, e.message);
      return advice ? `${e.message} (${advice})` : e.message;
    });
    return { state: 'unavailable', reason: reasons.join('; ') };
  }
  const granted = data?.enablePullRequestAutoMerge?.pullRequest?.autoMergeRequest?.mergeMethod;
  if (typeof granted !== 'string') {
    return { state: 'unavailable', reason: 'GitHub accepted the request but reports no auto-merge on the pull request' };
  }
  const answered = granted.toLowerCase();
  return { state: 'enabled', method: answered === 'merge' || answered === 'squash' || answered === 'rebase' ? answered : method };
}
