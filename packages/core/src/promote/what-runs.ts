import { join } from 'node:path';
import { InputError } from '../errors/errors.js';
import { readDirectoryVersion } from '../gitops/deployed-version.js';
import { GitopsClone, type PathCommit } from '../gitops/gitops-clone.js';
import type { RemoteAccess } from '../gitops/remote-access.js';
import type { GitopsRemote } from '../gitops/repository-url.js';
import { runningDigest } from './running-image.js';

/** How far back a promotion looks for the versions an environment ran: commits of its GitOps branch. */
export const HISTORY_DEPTH = 1000;

export interface WhatRunsOptions {
  /** The environment, for messages: `staging`. */
  environment: string;
  remote: GitopsRemote;
  access: RemoteAccess;
  branch: string;
  /** The app's directory there: `verity-api--staging`. */
  path: string;
  /** The image repository the app runs, `ghcr.io/acme/verity-api`. */
  image: string;
  /** Where to clone; removed by the caller. */
  cloneDir: string;
  onGitCommand?: (args: readonly string[]) => void;
}

/** One version an environment ran, from its GitOps history. */
export interface RanVersion {
  version: string;
  /** The commit that put it in place, and when. */
  commit: string;
  since: string;
}

export interface EnvironmentState {
  /** What it runs now. */
  current: RanVersion & { digest: string };
  /** The versions it ran, newest first (each once: when it last arrived). */
  history: RanVersion[];
  /** The digest it ran `version` at; throws when it never ran it. */
  digestOf(version: string): Promise<string>;
}

/**
 * What an environment runs, read from its GitOps repository: the version
 * from the provenance annotations render wrote, the image digest its
 * workloads pin, and the versions its directory held before (the `Version`
 * trailers of the commits that changed it). One shallow, partial, sparse
 * clone; older versions' manifests are fetched only when asked for.
 */
export async function readWhatRuns(options: WhatRunsOptions): Promise<EnvironmentState> {
  const { environment, remote, branch, path } = options;
  const where = `${environment} (${remote.url} ${branch}:${path})`;
  const { clone, found } = await GitopsClone.clone(options.cloneDir, remote, path, branch, options.access, options.onGitCommand);
  if (!found) throw new InputError(`${environment} has never been deployed: ${remote.url} has no branch '${branch}'`);
  const head = await clone.head(branch);
  if (head.kind !== 'directory') throw new InputError(`${environment} has never been deployed: ${remote.url} ${branch} has no directory ${path}`);

  const stateAt = async (commit: string, label: string) => {
    await clone.checkout(commit);
    const dir = join(clone.dir, path);
    return { version: readDirectoryVersion(dir).version, digest: runningDigest(dir, options.image, label) };
  };
  const now = await stateAt(head.commit, where);
  if (!now.version) throw new InputError(`${where} carries no version annotation (gitops-actions.io/version): it was not rendered by gitops-actions render, so what it runs cannot be promoted`);

  const commits = await clone.pathHistory(branch, HISTORY_DEPTH);
  const history = versionsRan(commits);
  const arrived = history.find((h) => h.version === now.version);
  const current = { version: now.version, digest: now.digest, commit: head.commit, since: arrived?.since ?? commits[0]?.date ?? '' };

  return {
    current,
    history,
    async digestOf(version: string): Promise<string> {
      if (version === current.version) return current.digest;
      const ran = history.find((h) => h.version === version);
      if (!ran) {
        const seen = history.map((h) => h.version);
        throw new InputError(
          `${environment} never ran ${version}: it is not among the versions its GitOps repository shows in the last ${HISTORY_DEPTH} commits of ${branch}` +
            ` (${seen.length ? seen.slice(0, 10).join(', ') + (seen.length > 10 ? ', …' : '') : 'none with a Version trailer'}). Promote what ${environment} has run.`,
        );
      }
      return (await stateAt(ran.commit, `${environment} at ${ran.commit.slice(0, 12)}`)).digest;
    },
  };
}

/** Newest first, each version once, dated by the commit that last brought it. */
function versionsRan(commits: readonly PathCommit[]): RanVersion[] {
  const seen = new Map<string, RanVersion>();
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    if (!c.version || seen.has(c.version)) continue;
    // A run of commits with the same version (re-renders) dates from the oldest of the run.
    let first = c;
    for (let j = i + 1; j < commits.length && commits[j]!.version === c.version; j++) first = commits[j]!;
    seen.set(c.version, { version: c.version, commit: c.commit, since: first.date });
  }
  return [...seen.values()];
}
