import type { BranchHead, GitopsClone, PathCommit } from '../gitops/gitops-clone.js';

/**
 * Changes to an app's directory that no deploy made: commits after the last
 * one that carries a deploy's trailers (every commit gitops-actions makes
 * has `Version` or `Source-Commit`), when the directory now differs from
 * what that deploy left. A render comparison cannot see an edit that keeps
 * the manifests self-consistent (a hand-pinned digest, a version annotation
 * changed with it): the render takes the image and version from the
 * manifests. History can.
 */
export interface HandEdits {
  /** The last deploy's commit and version. */
  deploy: { commit: string; version: string };
  /** The commits since, newest first. */
  commits: ReadonlyArray<Pick<PathCommit, 'commit' | 'author' | 'subject' | 'date'>>;
  /** The directory's files that differ from what the deploy left, and the diff (`-` the deploy, `+` now). */
  files: string[];
  patch: string;
}

/** How many commits touching the directory are looked at; an older deploy is not looked for. */
export const HAND_EDIT_HISTORY = 100;

function madeByDeploy(commit: PathCommit): boolean {
  return commit.version !== '' || commit.sourceCommit !== '';
}

/**
 * The hand edits of the target directory at `head`, or undefined when there
 * are none: its last change was a deploy, the commits since were undone, or
 * no deploy is in the recent history (a directory imported by hand: nothing
 * to compare with).
 */
export async function findHandEdits(clone: GitopsClone, branch: string, head: BranchHead): Promise<HandEdits | undefined> {
  const history = await clone.pathHistory(branch, HAND_EDIT_HISTORY);
  const at = history.findIndex(madeByDeploy);
  if (at <= 0) return undefined;
  const deploy = history[at]!;
  const { diff, patch } = await clone.diff(deploy.commit, head.commit);
  const files = [...diff.added, ...diff.changed, ...diff.removed];
  if (files.length === 0) return undefined;
  return {
    deploy: { commit: deploy.commit, version: deploy.version },
    commits: history.slice(0, at).map(({ commit, author, subject, date }) => ({ commit, author, subject, date })),
    files,
    patch,
  };
}
