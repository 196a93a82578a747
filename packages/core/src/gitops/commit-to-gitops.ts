import { join, resolve } from 'node:path';
import { InputError, ToolError } from '../errors/errors.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import { assertRefName } from '../git/git.js';
import { neutraliseLine } from '../log/neutralise.js';
import { commitMessage, defaultSubject } from './commit-message.js';
import { decideVersion, directoryVersion, readDirectoryVersion } from './deployed-version.js';
import { cloneFilter } from './clone-command.js';
import type { CloneHeadStart } from './clone-head-start.js';
import { classifyGitFailure, type GitFailureKind } from './git-failure.js';
import { GitopsClone, type BranchHead, type DesiredStateDiff, type SourceObjects } from './gitops-clone.js';
import { backoffDelayMs, DEFAULT_PUSH_BACKOFF, type PushBackoff } from './push-backoff.js';
import { pullRequestBody, pullRequestBranch, type PullRequestApi } from './pull-request.js';
import { remoteAccess, type RemoteCredentials } from './remote-access.js';
import { commitUrl, resolveRepository, type GitopsRemote } from './repository-url.js';
import { checkExtraFiles, ExtraFiles, joinDiffs, type ExtraFile } from './extra-files.js';
import { scanSource } from './source-tree.js';
import { appAndEnvironment, targetPathFor } from './target-path.js';

export interface CommitToGitopsOptions {
  /** `owner/name` on `serverUrl`, or a git URL. */
  repository: string;
  branch: string;
  /** Create `branch` when the remote lacks it (from the default branch, or as the first commit of an empty repository). */
  createBranch: boolean;
  token: string;
  /** How the token is presented over HTTP; GitHub's git endpoints take `basic`. */
  tokenScheme?: 'basic' | 'bearer';
  sshKey: string;
  sshKnownHosts: string;
  /** The rendered directory; relative paths are from `workspace`. */
  source: string;
  /** The directory in the GitOps repository; '' for the source's own name. */
  path: string;
  /** '' to use the version in the source's provenance annotations. */
  version: string;
  /** '' for `deploy(<app>): <environment> <version>`. */
  message: string;
  authorName: string;
  authorEmail: string;
  mode: 'push' | 'pull-request';
  prTitle: string;
  prLabels: readonly string[];
  /** '' for `branch`. */
  prBase: string;
  autoMerge: boolean;
  maxAttempts: number;
  allowDowngrade: boolean;
  dryRun: boolean;
  workspace: string;
  /** Where the clone and private files go (RUNNER_TEMP); removed afterwards. */
  tempDir: string;
  /** The user's home, for ~/.ssh/known_hosts. */
  homeDir: string;
  /** GITHUB_SERVER_URL: what `owner/name` is relative to. */
  serverUrl: string;
  sourceRepository: string;
  sourceCommit: string;
  workflowRun: string;
  /** Clone here and keep it (tests inspect it); by default the clone is removed with the private temp dir. */
  cloneDir?: string;
  /**
   * Files outside `path` that land in the same commit where the branch has
   * nothing at their path yet, and are never replaced: the Argo CD
   * Application of an app's first deploy (the root pipeline action).
   */
  extraFiles?: readonly ExtraFile[];
}

export interface CommitToGitopsDeps {
  log: (line: string) => void;
  warning?: (line: string) => void;
  /** Every value derived from a credential, to be masked before anything could print it. */
  onSecret?: (value: string) => void;
  /** The GitHub REST client for pull-request mode. */
  pullRequestApi?: PullRequestApi;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  backoff?: PushBackoff;
  /** Each git argv, for tests and benchmarks that count processes. */
  onGitCommand?: (args: readonly string[]) => void;
  /** The clone begun before the inputs were read (clone-head-start.ts); used when it is for this run's remote, branch, token and filter. */
  cloneHeadStart?: CloneHeadStart;
}

export interface CommitToGitopsResult {
  /** A commit landed (push mode) or the pull request branch moved; in a dry run: one would. */
  changed: boolean;
  /** The commit now at the branch (ours, or the head when nothing changed); in a dry run the current head. */
  commitSha: string;
  commitUrl: string;
  pullRequestNumber: number | undefined;
  pullRequestUrl: string;
  /** Pushes made (0 when nothing needed pushing, or in a dry run). */
  attempts: number;
  diff: DesiredStateDiff;
  /** Unified diff of the target directory. */
  patch: string;
  dryRun: boolean;
  mode: 'push' | 'pull-request';
  repository: string;
  /** The branch written: the target branch, or `gitops/<path>` in pull-request mode. */
  branch: string;
  /** The branch the desired state is for (`pr-base` in pull-request mode). */
  baseBranch: string;
  path: string;
  version: string;
  /** The version that was in place before, '' when none. */
  previousVersion: string;
  /** Decisions worth repeating in the summary (version check, branch creation, retries). */
  notes: string[];
}

const PR_BRANCH_DEPTH = 20;
const AMBIGUOUS_PUSH_DEPTH = 50;

/** Thrown inside a round for a failure another round can survive. */
class RetryableFailure extends Error {}

function gitLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(fatal|error|remote|ERROR|warning):/.test(l) || /denied|not found|Could not|Failed/i.test(l))
    .slice(-6)
    .join('\n');
}

/** What to tell the user about a git failure we do not retry; undefined when git's own words (a tool error) say it best. */
function explainFailure(kind: GitFailureKind, remote: GitopsRemote, credentials: RemoteCredentials, text: string, action: string): InputError | undefined {
  const where = remote.url;
  const detail = gitLines(text);
  const withDetail = (message: string) => new InputError(detail ? `${message}\n${detail}` : message);
  switch (kind) {
    case 'auth':
      if (credentials.kind === 'none') return withDetail(`${where} needs credentials to ${action}: give input 'token' (https) or 'ssh-key' (ssh)`);
      if (credentials.kind === 'ssh-key') {
        return withDetail(`${where} refused the ssh key, or its host key is not known (add it to 'ssh-known-hosts'); could not ${action}`);
      }
      return withDetail(`${where} refused the token (authentication failed): is it valid, unexpired, and for this server? Could not ${action}`);
    case 'permission':
      return withDetail(
        `the credentials may not ${action} ${where}: the token needs write access to the repository's contents ` +
          "('contents: write' for a GitHub App or fine-grained token, 'repo' for a classic token; a deploy key needs write access)",
      );
    case 'not-found':
      return withDetail(`repository ${where} not found, or the credentials cannot see it; could not ${action}`);
    case 'unreachable':
      return withDetail(`cannot reach ${where}: check the host name and the network; could not ${action}`);
    default:
      return undefined;
  }
}

/**
 * Lands one app's desired state in the GitOps repository: the target
 * directory becomes exactly the source, nothing else changes, and concurrent
 * pipelines all land by rebuilding their commit on whatever head won the
 * race. Never a force push; never a lower version over a higher one unless
 * asked.
 */
export async function commitToGitops(options: CommitToGitopsOptions, deps: CommitToGitopsDeps): Promise<CommitToGitopsResult> {
  const log = deps.log;
  const warn = deps.warning ?? ((line: string) => log(`warning: ${line}`));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const backoff = deps.backoff ?? DEFAULT_PUSH_BACKOFF;

  // ---- everything the user gave, checked before any clone (a head start is used only if it agrees)
  if (options.token && options.sshKey) throw new InputError("give input 'token' or input 'ssh-key', not both");
  const remote = resolveRepository(options.repository, {
    serverUrl: options.serverUrl,
    sshKey: options.sshKey !== '',
    token: options.token !== '',
  });
  assertRefName(`refs/heads/${options.branch}`, `input 'branch' ('${options.branch}')`);
  if (options.prBase) assertRefName(`refs/heads/${options.prBase}`, `input 'pr-base' ('${options.prBase}')`);
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) throw new InputError("input 'max-attempts' must be at least 1");
  const sourceDir = resolve(options.workspace, options.source);
  const files = scanSource(sourceDir, options.source);
  const path = targetPathFor(options.path, sourceDir);
  const { app, environment } = appAndEnvironment(path);
  const extraFiles = checkExtraFiles(options.extraFiles ?? [], path);
  const pullRequest = options.mode === 'pull-request';
  const baseBranch = pullRequest ? options.prBase || options.branch : options.branch;
  const branch = pullRequest ? pullRequestBranch(path) : options.branch;
  assertRefName(`refs/heads/${branch}`, 'the pull request branch');
  if (pullRequest && !remote.github) {
    throw new InputError(
      `pull-request mode needs a repository on ${options.serverUrl || 'the GitHub server'} (owner/name); ${remote.url} is not one`,
    );
  }
  if (pullRequest && !options.dryRun && !deps.pullRequestApi) {
    throw new Error('pull-request mode has no GitHub API client wired in');
  }

  const sourceVersion = readDirectoryVersion(sourceDir);
  if (/[\r\n]/.test(options.version)) throw new InputError("input 'version' must be one line");
  const version = options.version.trim() || sourceVersion.version;
  const notes: string[] = [];
  if (!options.version && sourceVersion.version) log(`version ${sourceVersion.version}: from the provenance annotations in the source`);
  if (options.version && sourceVersion.version && sourceVersion.version !== options.version.trim()) {
    warn(`input 'version' is ${options.version.trim()} but the source's annotations say ${sourceVersion.versions.join(', ')}; using ${version}`);
  }
  const subject = options.message.trim() || defaultSubject(app, environment, version);
  const message = commitMessage(subject, {
    sourceRepository: options.sourceRepository,
    sourceCommit: options.sourceCommit,
    version,
    environment,
    workflowRun: options.workflowRun,
  });
  const credentials: RemoteCredentials = options.token
    ? { kind: 'token', token: options.token, scheme: options.tokenScheme ?? 'basic' }
    : options.sshKey
      ? { kind: 'ssh-key', privateKey: options.sshKey, knownHosts: options.sshKnownHosts }
      : { kind: 'none' };
  const identity = { name: options.authorName, email: options.authorEmail };
  if (!identity.name || !identity.email || /[<>\n]/.test(identity.name + identity.email)) {
    throw new InputError("inputs 'author-name' and 'author-email' must be non-empty, one line, without '<' or '>'");
  }

  log(
    `${pullRequest ? `propose ${path} for ${baseBranch} on ${branch}` : `write ${path} on ${branch}`} of ${remote.url}: ` +
      `${files.length} file(s) from ${options.source}${version ? `, version ${version}` : ''}${options.dryRun ? ' (dry run)' : ''}`,
  );

  // Once all is done with the clone (a round may return a diff still being read): a head start's
  // directory goes while the caller reports, and the caller waits for it.
  const done = () => void deps.cloneHeadStart?.discard();
  return withPrivateTempDir(options.tempDir, async (privateDir) => {
    const access = remoteAccess(remote, credentials, { dir: privateDir, homeDir: options.homeDir });
    for (const secret of access.secrets) deps.onSecret?.(secret);
    const cloneDir = options.cloneDir ?? join(privateDir.path, 'clone');

    let attempts = 0;
    let contacted = false;
    /** A commit whose push ended without an answer: it may have landed. */
    let unconfirmed: string | undefined;
    /** What that commit changed, reported if it turns out to have landed. */
    let lastAttempt: { from: string | undefined; to: string; previousVersion: string } = { from: undefined, to: '', previousVersion: '' };
    /** The target directory last checked, and its version: a head that moved elsewhere needs no new check. */
    let checked: { where: string; target: string | undefined; version: string } | undefined;

    const result = (
      fields: Partial<CommitToGitopsResult> & Pick<CommitToGitopsResult, 'changed' | 'commitSha' | 'diff' | 'patch' | 'previousVersion'>,
    ): CommitToGitopsResult => ({
      commitUrl: commitUrl(remote, fields.commitSha),
      pullRequestNumber: undefined,
      pullRequestUrl: '',
      attempts,
      dryRun: options.dryRun,
      mode: options.mode,
      repository: remote.url,
      branch,
      baseBranch,
      path,
      version,
      notes,
      ...fields,
    });
    const noChange = { diff: { added: [], changed: [], removed: [] }, patch: '' };

    /** Runs a remote operation; a failure either ends the step with an explanation or becomes a RetryableFailure. */
    const remoteStep = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
      try {
        const value = await fn();
        contacted = true;
        return value;
      } catch (e) {
        if (!(e instanceof ToolError) || e.exitCode === null) throw e;
        const kind = classifyGitFailure(e.stderrTail);
        if (kind === 'transient' || (kind === 'unreachable' && contacted)) throw new RetryableFailure(`${action}: ${gitLines(e.stderrTail) || e.reason}`);
        throw explainFailure(kind, remote, credentials, e.stderrTail, action) ?? e;
      }
    };

    // The first fetch is the clone itself (again in the next round if it broke off); the source's
    // blobs are written while the first head is read.
    let made: GitopsClone | undefined;
    const repo = (): GitopsClone => {
      if (!made) throw new Error('the GitOps repository is not cloned yet');
      return made;
    };
    const fetchOrClone = async (name: string): Promise<boolean> => {
      if (made) return remoteStep(`fetch ${name}`, () => repo().fetchBranch(name));
      const filter = cloneFilter(remote, path, { pushMode: !pullRequest, extraFiles: extraFiles.length > 0 });
      const early = options.cloneDir === undefined ? deps.cloneHeadStart?.claim({ url: remote.url, branch: name, token: options.token, filter }) : undefined;
      if (!early) void deps.cloneHeadStart?.discard();
      const cloned = await remoteStep(`fetch ${name}`, () =>
        early
          ? GitopsClone.clone(early.dir, remote, path, name, access, deps.onGitCommand, { filter, started: early.started })
          : GitopsClone.clone(cloneDir, remote, path, name, access, deps.onGitCommand, { filter }),
      );
      made = cloned.clone;
      return cloned.found;
    };
    let source: SourceObjects | undefined;

    // ---- extra files (extraFiles): placed into every tree built, part of every diff; nothing to do without them
    let placer: ExtraFiles | undefined;
    const extras = (): ExtraFiles => (placer ??= new ExtraFiles(repo().dir, extraFiles, log));
    const extrasMissing = async (commit: string): Promise<boolean> => extraFiles.length > 0 && (await extras().missingIn(commit)).length > 0;
    const withExtras = async (tree: string): Promise<string> => (extraFiles.length > 0 ? extras().place(tree) : tree);
    const diffOf = async (from: string | undefined, to: string) => {
      const change = await repo().diff(from, to);
      return extraFiles.length > 0 ? joinDiffs(change, await extras().diff(from, to)) : change;
    };

    /**
     * The fetched head of a branch, with the source's objects computed on the first call. The
     * target directory's contents, needed for the version check unless it already holds the
     * source, start coming at once: that fetch takes longest.
     */
    const readHead = async (name: string): Promise<BranchHead> => {
      const head = await repo().head(name, await repo().fetchedCommit(name));
      source ??= repo().planSource(files);
      if (head.kind === 'directory' && head.target !== source.tree) void repo().targetManifests(head);
      return head;
    };

    /** Did the unconfirmed push land? It did if its commit is the head or in the head's recent history. */
    const landedEarlier = async (head: string, headBranch: string): Promise<boolean> => {
      if (!unconfirmed) return false;
      if (head === unconfirmed) return true;
      await remoteStep(`fetch the history of ${headBranch}`, () => repo().deepen(headBranch, AMBIGUOUS_PUSH_DEPTH));
      return repo().isAncestor(unconfirmed, head);
    };
    const landedResult = async (commit: string): Promise<CommitToGitopsResult> =>
      result({ changed: true, commitSha: commit, ...(await diffOf(lastAttempt.from, lastAttempt.to)), previousVersion: lastAttempt.previousVersion });

    /**
     * What stands at the target path in `head`: a file or a symbolic link there (or on the way)
     * is refused; a directory's version is read from its objects, and a lower one of ours refused.
     */
    const checkTarget = async (head: BranchHead, where: string): Promise<string> => {
      if (head.kind === 'symlink' || head.kind === 'below-symlink') {
        throw new InputError(`input 'path': ${path} leads through a symbolic link in ${where}; refusing to write through it (it could point anywhere)`);
      }
      if (head.kind === 'file' || head.kind === 'below-file') {
        throw new InputError(`input 'path': ${head.kind === 'file' ? path : `a directory on the way to ${path}`} is a file in ${where}, not a directory`);
      }
      if (checked && checked.where === where && checked.target === head.target) return checked.version;
      let inPlaceVersion = '';
      if (head.kind === 'directory') {
        const read = await remoteStep(`fetch the contents of ${path}`, () => repo().targetManifests(head));
        if (read.fallbackReason) log(`read ${where}:${path} with a sparse checkout (${neutraliseLine(read.fallbackReason)})`);
        const inPlace = directoryVersion(read.files);
        if (inPlace.versions.length > 1) log(`${where}:${path} holds objects of several versions (${inPlace.versions.join(', ')}); comparing with the highest`);
        if (inPlace.unreadable.length) warn(`could not read ${inPlace.unreadable.join(', ')} in ${where}:${path} as YAML; their versions are not compared`);
        inPlaceVersion = inPlace.version;
      }
      const decision = decideVersion(version, inPlaceVersion, options.allowDowngrade, `${where}:${path}`);
      if (!decision.proceed) throw new InputError(decision.reason);
      log(decision.reason);
      if ('downgrade' in decision && decision.downgrade && !notes.includes(decision.reason)) notes.push(decision.reason);
      checked = { where, target: head.target, version: inPlaceVersion };
      return inPlaceVersion;
    };

    /** The version check and the new tree, side by side (the tree needs no file content). */
    const checkAndBuild = async (checks: ReadonlyArray<readonly [BranchHead, string]>, base: BranchHead | undefined) => {
      const [versions, tree] = await Promise.allSettled([
        (async () => {
          const found: string[] = [];
          for (const [head, where] of checks) found.push(await checkTarget(head, where));
          return found;
        })(),
        (async () => withExtras(repo().buildTree(base, source!)))(),
      ]);
      if (versions.status === 'rejected') throw versions.reason;
      if (tree.status === 'rejected') throw tree.reason;
      return { previousVersion: versions.value.at(-1) ?? '', tree: tree.value };
    };

    try {
      for (let round = 1; round <= options.maxAttempts; round++) {
        try {
          if (round > 1) log(`attempt ${round} of ${options.maxAttempts}`);
          if (!pullRequest) {
            // ---- push mode: the target branch itself
            const exists = await fetchOrClone(branch);
            const head = exists ? await readHead(branch) : undefined;
            let parent = head;
            if (head === undefined) {
              if (!options.createBranch) {
                throw new InputError(`branch '${branch}' does not exist in ${remote.url}; check input 'branch', or set 'create-branch: true' to create it`);
              }
              const { defaultBranch } = await remoteStep('read the default branch', () => repo().lsRemote([]));
              const started = defaultBranch ? await remoteStep(`fetch ${defaultBranch}`, () => repo().fetchBranch(defaultBranch)) : false;
              parent = started ? await readHead(defaultBranch!) : undefined;
              if (!parent) source ??= repo().planSource(files);
              const note = parent
                ? `branch '${branch}' does not exist: creating it from the default branch '${defaultBranch}' at ${parent.commit.slice(0, 12)}`
                : `branch '${branch}' does not exist and the repository has no default branch: creating it with a first commit`;
              log(note);
              if (!notes.includes(note)) notes.push(note);
            } else {
              log(`${branch} is at ${head.commit.slice(0, 12)}`);
              if (unconfirmed && head.commit === unconfirmed) {
                log(`the previous push did land: ${branch} is at our commit`);
                return landedResult(head.commit);
              }
            }
            if (head && head.target === source!.tree && !(await extrasMissing(head.commit))) {
              if (await landedEarlier(head.commit, branch)) {
                log(`the previous push did land (${unconfirmed!.slice(0, 12)} is in ${branch}'s history)`);
                return landedResult(unconfirmed!);
              }
              // Identical content carries identical annotations: nothing to read, nothing to check.
              log(`no difference: ${branch} already holds this desired state in ${path}; nothing to commit`);
              return result({ changed: false, commitSha: head.commit, ...noChange, previousVersion: version });
            }
            const { previousVersion, tree } = await checkAndBuild(parent ? [[parent, parent === head ? branch : 'the default branch']] : [], parent);
            if (options.dryRun) {
              const change = await diffOf(parent?.commit, tree);
              log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed`);
              log('dry run: nothing is committed or pushed');
              return result({ changed: true, commitSha: head?.commit ?? '', ...change, previousVersion });
            }
            const commit = repo().commit(tree, parent ? [parent.commit] : [], message, identity);
            lastAttempt = { from: parent?.commit, to: commit, previousVersion };
            // The diff is read while the push runs (both objects are local already); the push starts first.
            const pushing = pushCommit(commit, parent?.commit, { at: head?.commit });
            const [pushed, change] = await Promise.all([pushing, diffOf(parent?.commit, commit)]);
            if (pushed) {
              log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed`);
              return result({ changed: true, commitSha: commit, ...change, previousVersion });
            }
          } else {
            // ---- pull-request mode: gitops/<path>, proposing the base branch plus our directory
            if (!(await fetchOrClone(baseBranch))) {
              throw new InputError(
                `branch '${baseBranch}' does not exist in ${remote.url}; pull-request mode needs the base branch (input '${options.prBase ? 'pr-base' : 'branch'}')`,
              );
            }
            const proposed = await remoteStep(`fetch ${branch}`, () => repo().fetchBranch(branch, PR_BRANCH_DEPTH));
            const base = await readHead(baseBranch);
            const proposal = proposed ? await repo().head(branch) : undefined;
            log(`${baseBranch} is at ${base.commit.slice(0, 12)}; ${proposal ? `${branch} is at ${proposal.commit.slice(0, 12)}` : `${branch} does not exist yet`}`);
            if (unconfirmed && proposal?.commit === unconfirmed) {
              log(`the previous push did land: ${branch} is at our commit`);
              return openPullRequest(await landedResult(proposal.commit));
            }
            if (base.target === source!.tree && !(await extrasMissing(base.commit))) {
              log(`no difference: ${baseBranch} already holds this desired state in ${path}; nothing to propose`);
              return result({ changed: false, commitSha: base.commit, ...noChange, previousVersion: version });
            }
            const checks: Array<readonly [BranchHead, string]> = proposal ? [[proposal, `${branch} (the open proposal)`], [base, baseBranch]] : [[base, baseBranch]];
            const { previousVersion, tree } = await checkAndBuild(checks, base);
            const change = await diffOf(base.commit, tree);
            log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed against ${baseBranch}`);
            if (proposal && (await repo().treeOf(proposal.commit)) === tree) {
              log(`${branch} already proposes exactly this; making sure its pull request is open`);
              const unchanged = result({ changed: false, commitSha: proposal.commit, ...change, previousVersion });
              return options.dryRun ? unchanged : openPullRequest(unchanged);
            }
            if (options.dryRun) {
              log('dry run: nothing is committed, pushed or proposed');
              return result({ changed: true, commitSha: proposal?.commit ?? base.commit, ...change, previousVersion });
            }
            // Never a force push: an existing proposal gets a new commit on top. When the base has
            // moved past it, the base becomes a second parent, so the pull request shows only our directory.
            const parents = !proposal
              ? [base.commit]
              : (await repo().isAncestor(base.commit, proposal.commit))
                ? [proposal.commit]
                : [proposal.commit, base.commit];
            const commit = repo().commit(tree, parents, message, identity);
            lastAttempt = { from: base.commit, to: commit, previousVersion };
            if (await pushCommit(commit, parents[0])) return openPullRequest(result({ changed: true, commitSha: commit, ...change, previousVersion }));
          }
        } catch (e) {
          if (!(e instanceof RetryableFailure)) throw e;
          log(`${neutraliseLine(e.message)}: will try again`);
        }
        if (round < options.maxAttempts) {
          const delay = backoffDelayMs(round, random(), backoff);
          log(`waiting ${delay} ms before attempt ${round + 1} of ${options.maxAttempts}`);
          await sleep(delay);
        }
      }
      throw new InputError(
        `gave up after ${options.maxAttempts} attempt(s): ${branch} of ${remote.url} kept moving or the connection kept failing; ` +
          "raise 'max-attempts' if many pipelines write to this repository at once",
      );
    } finally {
      await made?.settle();
    }

    /**
     * One push; true when it landed, false when another round should rebuild on the new head.
     * `expected`: where the branch was when we read it (undefined: it did not exist); given, and
     * with nothing outside the target directory to place, the push is our own (push-objects.ts)
     * rather than a git process, and the remote refuses it unless the branch is still there.
     */
    async function pushCommit(commit: string, parent: string | undefined, expected?: { at: string | undefined }): Promise<boolean> {
      attempts++;
      log(`pushing ${commit.slice(0, 12)} (parent ${parent ? parent.slice(0, 12) : 'none'}) to ${branch}`);
      const outcome =
        expected && extraFiles.length === 0 && repo().canPushInProcess(commit)
          ? await repo().pushInProcess(commit, branch, expected.at)
          : await repo().push(commit, branch);
      switch (outcome.kind) {
        case 'pushed':
          unconfirmed = undefined;
          log(`pushed ${commit.slice(0, 12)} to ${branch}${attempts > 1 ? ` after ${attempts} attempts` : ''}`);
          return true;
        case 'lost-race':
          log(`${branch} moved while we worked (${outcome.reason}): rebuilding on the new head`);
          return false;
        case 'refused': {
          const protectedHint = /protected branch|GH006|GH013|rule/i.test(`${outcome.reason} ${outcome.remoteLines.join(' ')}`)
            ? " The branch is protected: use 'mode: pull-request'."
            : '';
          const remoteText = outcome.remoteLines.length ? `\n${outcome.remoteLines.slice(-6).join('\n')}` : '';
          throw new InputError(`${remote.url} refused the push to ${branch}: ${outcome.reason}.${protectedHint}${remoteText}`);
        }
        case 'failed':
          if (outcome.failure === 'transient' || (outcome.failure === 'unreachable' && contacted)) {
            unconfirmed = commit;
            throw new RetryableFailure(`push to ${branch} failed without an answer (${gitLines(outcome.text).split('\n').at(-1) ?? 'connection lost'})`);
          }
          throw (
            explainFailure(outcome.failure, remote, credentials, outcome.text, `push to ${branch} of`) ??
            new ToolError(`git push origin ${commit}:refs/heads/${branch}`, null, outcome.text, 'failed')
          );
      }
    }

    async function openPullRequest(landed: CommitToGitopsResult): Promise<CommitToGitopsResult> {
      const github = remote.github!;
      const body = pullRequestBody({
        path,
        base: baseBranch,
        version,
        previousVersion: landed.previousVersion,
        sourceRepository: options.sourceRepository,
        sourceCommit: options.sourceCommit,
        workflowRun: options.workflowRun,
        diff: landed.diff,
        patch: landed.patch,
      });
      const pr = await deps.pullRequestApi!.openOrUpdate({
        owner: github.owner,
        repo: github.repo,
        head: branch,
        base: baseBranch,
        title: options.prTitle.trim() || subject.split('\n')[0]!,
        body,
        labels: options.prLabels,
        autoMerge: options.autoMerge,
      });
      log(`pull request #${pr.number} ${pr.created ? 'opened' : 'updated'}: ${pr.url}`);
      if (options.autoMerge && pr.autoMerge === 'unavailable') {
        const note = `auto-merge could not be enabled${pr.autoMergeReason ? `: ${pr.autoMergeReason}` : ''}`;
        warn(note);
        notes.push(note);
      }
      return { ...landed, pullRequestNumber: pr.number, pullRequestUrl: pr.url };
    }
  }).finally(done);
}
