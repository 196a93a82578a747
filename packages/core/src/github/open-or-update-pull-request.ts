import { InputError } from '../errors/errors.js';
import { refNameProblem } from '../git/git.js';
import type { PullRequestRequest, PullRequestResult } from '../gitops/pull-request.js';
import { neutraliseLine } from '../log/neutralise.js';
import { enableAutoMerge } from './auto-merge.js';
import { GitHubApi, type GitHubConnection } from './github-api.js';
import { GitHubRefusedError } from './github-error.js';
import { addLabels, missingLabels, normaliseLabels } from './pull-request-labels.js';
import {
  createPullRequest,
  findOpenPullRequest,
  isAlreadyExists,
  updatePullRequest,
  type MergeMethod,
  type PullRequest,
  type PullRequestTarget,
} from './pull-requests.js';

/**
 * Pull-request mode of commit-to-gitops: after the branch is pushed, make
 * sure exactly one open pull request carries it, with the title, body and
 * labels of this run, and auto-merge when asked. Running it again for the same
 * branch updates that pull request instead of opening another, so re-runs and
 * concurrent runs converge on one.
 *
 * Calls, in order: GET pulls (find) → POST pulls (open) or PATCH pulls/{n}
 * (only when title or body changed) → POST issues/{n}/labels (only for labels
 * not there yet) → GraphQL enablePullRequestAutoMerge (only when asked and not
 * already enabled with that method). Loads @actions/github on the first call.
 */

/**
 * What pull-request mode asks for (gitops/pull-request.ts), with the merge
 * method open: `false` leaves auto-merge alone; `true` enables it with
 * `squash` (the branch carries one commit, and squash keeps the GitOps
 * history linear); a method name enables it with that method. The body is
 * cut to GitHub's 65,536 characters with a note; a label the repository
 * lacks is created by GitHub.
 */
export interface PullRequestOptions extends Omit<PullRequestRequest, 'autoMerge'> {
  autoMerge: boolean | MergeMethod;
}

export type AutoMergeState = 'enabled' | 'not-requested' | 'unavailable';

export interface PullRequestOutcome extends PullRequestResult {
  /** False when an existing pull request already had this title and body. */
  updated: boolean;
  /** The labels on the pull request afterwards. */
  labels: string[];
  autoMerge: AutoMergeState;
  /** Why auto-merge is `unavailable` (GitHub's words and what to do); '' otherwise. */
  autoMergeReason: string;
}

/** GitHub's limit on a pull request body. */
export const MAX_BODY_LENGTH = 65_536;
const TRUNCATED_NOTE = '\n\n… (cut to GitHub\'s 65,536-character limit)';

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function mergeMethodOf(autoMerge: PullRequestOptions['autoMerge']): MergeMethod | undefined {
  if (autoMerge === false) return undefined;
  if (autoMerge === true) return 'squash';
  if (autoMerge === 'merge' || autoMerge === 'squash' || autoMerge === 'rebase') return autoMerge;
  throw new InputError(`auto-merge must be true, false, merge, squash or rebase (got '${neutraliseLine(String(autoMerge))}')`);
}

function checkOptions(options: PullRequestOptions): void {
  for (const [what, value] of [
    ['repository owner', options.owner],
    ['repository name', options.repo],
  ] as const) {
    if (!NAME.test(value) || value === '.' || value === '..') {
      throw new InputError(`${what} '${neutraliseLine(value)}' is not a GitHub name (letters, digits, '-', '_', '.')`);
    }
  }
  for (const [what, value] of [
    ['pull request branch', options.head],
    ['pull request base branch', options.base],
  ] as const) {
    const problem = refNameProblem(value);
    if (problem) throw new InputError(`${what} '${neutraliseLine(value)}' is not a branch name: ${problem}`);
  }
  if (options.head === options.base) {
    throw new InputError(`pull request branch and base branch are both '${neutraliseLine(options.head)}'`);
  }
  if (!options.title.trim()) throw new InputError('a pull request needs a title (pr-title is empty)');
}

function fitBody(body: string): string {
  if (body.length <= MAX_BODY_LENGTH) return body;
  let cut = body.slice(0, MAX_BODY_LENGTH - TRUNCATED_NOTE.length);
  // Never leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + TRUNCATED_NOTE;
}

export async function openOrUpdatePullRequest(options: PullRequestOptions, connection: GitHubConnection): Promise<PullRequestOutcome> {
  checkOptions(options);
  const method = mergeMethodOf(options.autoMerge);
  const labels = normaliseLabels(options.labels);
  const content = { title: options.title.trim(), body: fitBody(options.body) };
  const target: PullRequestTarget = { owner: options.owner, repo: options.repo, head: options.head, base: options.base };
  const log = connection.log;
  const shown = (pr: PullRequest) => `#${pr.number} "${neutraliseLine(pr.title)}" (${neutraliseLine(pr.url)})`;
  const branches = `${neutraliseLine(options.head)} → ${neutraliseLine(options.base)}`;

  const api = await GitHubApi.connect(connection);
  let pr = await findOpenPullRequest(api, target);
  let created = false;
  let updated = false;

  if (!pr) {
    try {
      pr = await createPullRequest(api, target, content);
      created = true;
      log?.info(`opened pull request ${shown(pr)} for ${branches}`);
    } catch (error) {
      // Another run for the same branch opened it between our look and our create: update theirs.
      if (!(error instanceof GitHubRefusedError && error.status === 422 && isAlreadyExists(error.details))) throw error;
      pr = await findOpenPullRequest(api, target);
      if (!pr) throw error;
      log?.info(`pull request ${shown(pr)} was opened by a concurrent run; updating it`);
    }
  } else {
    log?.info(`found open pull request ${shown(pr)} for ${branches}`);
  }

  if (!created && (pr.title !== content.title || pr.body !== content.body)) {
    pr = await updatePullRequest(api, target, pr.number, content);
    updated = true;
    log?.info(`updated the title and body of pull request ${shown(pr)}`);
  } else if (!created) {
    log?.info(`pull request #${pr.number} already has this title and body`);
  }

  let prLabels = pr.labels;
  const toAdd = missingLabels(labels, prLabels);
  if (toAdd.length > 0) {
    prLabels = await addLabels(api, target, pr.number, toAdd);
    log?.info(`labelled pull request #${pr.number}: ${toAdd.map((l) => neutraliseLine(l)).join(', ')}`);
  }

  let autoMerge: AutoMergeState = 'not-requested';
  let autoMergeReason = '';
  if (method && pr.autoMerge === method) {
    autoMerge = 'enabled';
    log?.info(`auto-merge (${method}) is already enabled on pull request #${pr.number}`);
  } else if (method) {
    const result = await enableAutoMerge(api, target, pr, method);
    if (result.state === 'enabled') {
      autoMerge = 'enabled';
      log?.info(`enabled auto-merge (${result.method}) on pull request #${pr.number}: it merges once its required checks and reviews pass`);
    } else {
      autoMerge = 'unavailable';
      autoMergeReason = result.reason;
      log?.warning(`auto-merge is unavailable for pull request #${pr.number}: ${result.reason}. The pull request is open and needs merging by hand.`);
    }
  }

  return { number: pr.number, url: pr.url, created, updated, labels: prLabels, autoMerge, autoMergeReason };
}
