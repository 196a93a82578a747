import type { RunContext } from '../runtime/runtime.js';
import type { DeployStatus } from './deploy-status.js';
import type { LiveState } from './live-state.js';

/** What a notice says, as typed data; the Slack message and the job summary are both built from it. */
export interface DeployNotice {
  status: DeployStatus;
  /** Overrides the headline; '' for the default. */
  title: string;
  app: string;
  environment: string;
  version: string;
  image: string;
  /** Who triggered the run. */
  actor: string;
  /** owner/name. */
  repository: string;
  repositoryUrl: string;
  sha: string;
  commitUrl: string;
  /** The head commit's message or the pull request's title: someone else's text, escaped wherever it goes. */
  commitMessage: string;
  runUrl: string;
  gitopsCommitUrl: string;
  pullRequestUrl: string;
  /** Markdown. */
  changelog: string;
  fields: readonly { label: string; value: string }[];
  /** What Argo CD said of the commit, when a wait step asked; undefined otherwise. */
  live: LiveState | undefined;
  /** Validated mentions; used only when the status is failure. */
  mentions: readonly string[];
}

export type NoticeInputs = Pick<
  DeployNotice,
  'status' | 'title' | 'app' | 'environment' | 'version' | 'image' | 'commitUrl' | 'gitopsCommitUrl' | 'pullRequestUrl' | 'changelog' | 'mentions'
> & { fields: Record<string, string>; syncStatus?: string; healthStatus?: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function field(object: unknown, key: string): unknown {
  return object !== null && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined;
}

/**
 * Fills in from the run what the workflow did not say: the actor (GITHUB_ACTOR,
 * else the event's sender), the commit and its message (push: head_commit; pull request: its
 * head and title), and the links to the run and the commit.
 */
export function deployNotice(inputs: NoticeInputs, context: RunContext): DeployNotice {
  const { payload } = context;
  const pullRequest = field(payload, 'pull_request');
  const headCommit = field(payload, 'head_commit');
  const server = context.serverUrl.replace(/\/+$/, '');
  const repositoryUrl = context.repository ? `${server}/${context.repository}` : '';
  const sha = text(field(field(pullRequest, 'head'), 'sha')) || context.sha;
  const commitMessage = text(field(headCommit, 'message')) || text(field(pullRequest, 'title'));
  return {
    status: inputs.status,
    title: inputs.title,
    app: inputs.app || context.repository.split('/')[1] || '',
    environment: inputs.environment,
    version: inputs.version,
    image: inputs.image,
    actor: context.actor || text(field(field(payload, 'sender'), 'login')),
    repository: context.repository,
    repositoryUrl,
    sha,
    commitUrl: inputs.commitUrl || (repositoryUrl && sha ? `${repositoryUrl}/commit/${sha}` : ''),
    commitMessage,
    runUrl: repositoryUrl && context.runId ? `${repositoryUrl}/actions/runs/${context.runId}` : '',
    gitopsCommitUrl: inputs.gitopsCommitUrl,
    pullRequestUrl: inputs.pullRequestUrl,
    changelog: inputs.changelog,
    fields: Object.entries(inputs.fields).map(([label, value]) => ({ label, value })),
    live: inputs.syncStatus || inputs.healthStatus ? { sync: inputs.syncStatus ?? '', health: inputs.healthStatus ?? '' } : undefined,
    mentions: inputs.mentions,
  };
}
