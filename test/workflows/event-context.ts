import { gitIn } from '../harness/git-repo.js';
import { WorkflowRunnerError } from './runner-error.js';

/** Who and where the run is: the parts of the `github` context that do not depend on the event. */
export interface RunIdentity {
  repository: string;
  actor: string;
  token: string;
  serverUrl: string;
  apiUrl: string;
  graphqlUrl: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  defaultBranch: string;
}

export const defaultIdentity: RunIdentity = {
  repository: 'acme/verity-api',
  actor: 'octocat',
  token: 'ghs_localRunnerTokenNotARealOne000000000',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  graphqlUrl: 'https://api.github.com/graphql',
  runId: '4242',
  runNumber: '7',
  runAttempt: '1',
  defaultBranch: 'main',
};

export type InputValue = string | number | boolean;

/** The event that starts the run. */
export interface TriggerEvent {
  /** `push`, `workflow_dispatch`, `workflow_call` (to run a reusable workflow directly), or any other event name. */
  name: string;
  /** `refs/heads/main` by default. */
  ref?: string;
  /** HEAD of the workspace when it is a git repository; zeros otherwise. */
  sha?: string;
  /** push: the commit before the push; the parent of `sha` by default. */
  before?: string;
  /** workflow_dispatch and workflow_call inputs. */
  inputs?: Record<string, InputValue>;
  /** push: the files the push changed, for `paths` filters; from `git diff before sha` by default. */
  changedFiles?: string[];
  /** workflow_call run directly: the event of the (imaginary) caller, `push` by default. */
  callerEvent?: string;
  /** Merged over the generated event payload. */
  payload?: Record<string, unknown>;
}

/** The event as the `github` context and `GITHUB_EVENT_PATH` present it. */
export interface EventFacts {
  name: string;
  ref: string;
  sha: string;
  headRef: string;
  baseRef: string;
  payload: Record<string, unknown>;
}

const ZERO_SHA = '0000000000000000000000000000000000000000';

function git(workspace: string, ...args: string[]): string | undefined {
  try {
    return gitIn(workspace, args);
  } catch {
    return undefined;
  }
}

function repositoryPayload(identity: RunIdentity): Record<string, unknown> {
  const [owner, name] = identity.repository.split('/');
  return {
    name,
    full_name: identity.repository,
    owner: { login: owner, name: owner, type: 'Organization' },
    default_branch: identity.defaultBranch,
    html_url: `${identity.serverUrl}/${identity.repository}`,
    clone_url: `${identity.serverUrl}/${identity.repository}.git`,
    private: true,
  };
}

/**
 * Builds the event payload GitHub would deliver: push with its head commit read from the
 * workspace's git history, workflow_dispatch with its inputs as strings, anything else
 * with the repository and sender only (plus `payload`).
 */
export function eventFacts(event: TriggerEvent, identity: RunIdentity, workspace: string, workflowFile: string, dispatchInputs: Record<string, string>): EventFacts {
  const name = event.name === 'workflow_call' ? (event.callerEvent ?? 'push') : event.name;
  const ref = event.ref ?? `refs/heads/${identity.defaultBranch}`;
  const sha = event.sha ?? git(workspace, 'rev-parse', 'HEAD') ?? ZERO_SHA;
  const sender = { login: identity.actor, type: 'User' };
  const base = { repository: repositoryPayload(identity), sender };
  let payload: Record<string, unknown>;
  if (name === 'push') {
    const before = event.before ?? git(workspace, 'rev-parse', `${sha}^`) ?? ZERO_SHA;
    const [message, timestamp, authorName, authorEmail] = (git(workspace, 'log', '-1', '--format=%B%x00%aI%x00%an%x00%ae', sha) ?? '').split('\0');
    const headCommit = {
      id: sha,
      message: (message ?? '').trim(),
      timestamp,
      author: { name: authorName, email: authorEmail },
      url: `${identity.serverUrl}/${identity.repository}/commit/${sha}`,
      distinct: true,
    };
    payload = {
      ...base,
      ref,
      before,
      after: sha,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${identity.serverUrl}/${identity.repository}/compare/${before.slice(0, 12)}...${sha.slice(0, 12)}`,
      commits: [headCommit],
      head_commit: headCommit,
      pusher: { name: identity.actor, email: `${identity.actor}@users.noreply.github.com` },
    };
  } else if (name === 'workflow_dispatch') {
    payload = { ...base, ref, inputs: dispatchInputs, workflow: workflowFile };
  } else {
    payload = { ...base };
  }
  payload = { ...payload, ...event.payload };
  const pr = payload.pull_request as { head?: { ref?: string }; base?: { ref?: string } } | undefined;
  return { name, ref, sha, headRef: pr?.head?.ref ?? '', baseRef: pr?.base?.ref ?? '', payload };
}

/** For `paths` filters of a push: the files changed between `before` and `sha`. */
export function changedFiles(event: TriggerEvent, facts: EventFacts, workspace: string): string[] {
  if (event.changedFiles) return event.changedFiles;
  const before = String(facts.payload.before ?? '');
  const diff = before && before !== ZERO_SHA ? git(workspace, 'diff', '--name-only', before, facts.sha) : git(workspace, 'show', '--name-only', '--format=', facts.sha);
  if (diff === undefined) throw new WorkflowRunnerError('the workflow filters pushes by paths: pass event.changedFiles, or a workspace with git history');
  return diff.split('\n').filter(Boolean);
}

export function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

export function refType(ref: string): string {
  return ref.startsWith('refs/tags/') ? 'tag' : 'branch';
}
