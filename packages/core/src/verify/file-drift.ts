import type { GitopsClone, BranchHead } from '../gitops/gitops-clone.js';
import { scanSource } from '../gitops/source-tree.js';

/**
 * How the GitOps repository's directory differs from the render, file by
 * file, seen from the render (the source of truth): `added` files are in the
 * repository but not in the render (put there by hand), `removed` ones are
 * rendered but missing there, `changed` ones differ. Each file's diff reads
 * the same way: `-` lines are what the render gives, `+` lines what the
 * repository holds.
 */
export interface FileDrift {
  added: string[];
  changed: string[];
  removed: string[];
  /** Unified diffs by path from the repository root. */
  diffs: FileDiff[];
}

export interface FileDiff {
  path: string;
  change: 'added' | 'changed' | 'removed';
  /** `git diff` text of this one file (binary files: git's one-line notice). */
  patch: string;
}

/** `a/<p> b/<p>` of a `diff --git` header whose two paths are equal (there are no renames here). */
function headerPath(rest: string): string | undefined {
  if (rest.startsWith('"')) return undefined;
  const half = (rest.length - 5) / 2;
  if (!Number.isInteger(half) || !rest.startsWith('a/')) return undefined;
  const path = rest.slice(2, 2 + half);
  return rest === `a/${path} b/${path}` ? path : undefined;
}

/** Splits git's patch text into one piece per file, by the path in its header (a quoted one is matched against `paths`). */
export function splitPatch(patch: string, paths: readonly string[]): Map<string, string> {
  const pieces = patch.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
  const byPath = new Map<string, string>();
  for (const piece of pieces) {
    const header = piece.slice('diff --git '.length, piece.indexOf('\n') < 0 ? undefined : piece.indexOf('\n'));
    const path = headerPath(header) ?? paths.find((p) => !byPath.has(p) && header.includes(p));
    if (path !== undefined) byPath.set(path, piece.replace(/\n$/, ''));
  }
  return byPath;
}

/**
 * Compares a rendered directory (`<output>/<app>--<environment>`) with the
 * target directory at the fetched `head`, in git's own terms: the render's
 * files become blobs and trees of the clone (as commit-to-gitops builds its
 * commits, so equal here means a deploy would change nothing), and one
 * `git diff-tree` between that tree and the head names the files and gives
 * the diffs. The repository's blobs are the ones the sparse checkout fetched.
 */
export async function compareWithRender(clone: GitopsClone, head: BranchHead, rendered: string): Promise<FileDrift> {
  const source = clone.planSource(scanSource(rendered));
  if (source.tree === head.target) return { added: [], changed: [], removed: [], diffs: [] };
  const expected = clone.buildTree(head, source);
  const { diff, patch } = await clone.diff(expected, head.commit);
  const order = [...diff.added, ...diff.changed, ...diff.removed];
  const pieces = splitPatch(patch, order);
  const change = (path: string): FileDiff['change'] => (diff.added.includes(path) ? 'added' : diff.removed.includes(path) ? 'removed' : 'changed');
  const diffs = [...order].sort().map((path) => ({ path, change: change(path), patch: pieces.get(path) ?? '' }));
  return { added: [...diff.added].sort(), changed: [...diff.changed].sort(), removed: [...diff.removed].sort(), diffs };
}
