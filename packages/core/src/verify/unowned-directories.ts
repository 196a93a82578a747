import type { TreeEntry } from '../gitops/git-tree.js';
import { appAndEnvironment } from '../gitops/target-path.js';

/**
 * A GitOps repository is shared by many app repositories, so a directory
 * is "ours" only by its name: `<app>--<environment>` with this gitops.yaml's
 * app (read as commit-to-gitops reads it, up to the last `--`). One of those
 * that no environment of the file writes to — in that repository, on that
 * branch, at that place — has no owner: an environment removed from
 * gitops.yaml, or renamed, whose manifests Argo CD still applies. Other
 * apps' directories are never looked at.
 */
export function unownedDirectories(options: {
  app: string;
  /** The listing of the directory that holds the app's directories (the repository root in the canonical layout). */
  listing: readonly TreeEntry[] | undefined;
  /** Where that directory is: '' for the root, else `clusters/eu` (no trailing '/'). */
  parent: string;
  /** Every directory this gitops.yaml's environments write in this repository and branch. */
  owned: ReadonlySet<string>;
}): string[] {
  const { app, listing, parent, owned } = options;
  return (listing ?? [])
    .filter((entry) => entry.type === 'tree')
    .map((entry) => (parent ? `${parent}/${entry.name}` : entry.name))
    .filter((path) => {
      const { app: named, environment } = appAndEnvironment(path);
      return named === app && environment !== '' && !owned.has(path);
    })
    .sort();
}
