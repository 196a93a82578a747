import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InputError, ToolError } from '../errors/errors.js';
import { Git } from '../git/git.js';
import { objectFormatOf, parseLsTree, planAncestors, planTree, type ObjectFormat, type PlannedTree, type TreeEntry } from './git-tree.js';
import { ISOLATED_GIT_ENV } from './clone-command.js';
import { parseRawAndPatch, type DesiredStateDiff } from './gitops-clone.js';
import { writeLooseObject } from './loose-objects.js';
import { validateTargetPath } from './target-path.js';

/**
 * A file outside the target directory that lands in the same commit, but
 * only where the branch has nothing at its path yet: the Argo CD Application
 * of an app's first deploy. It is never replaced, so edits made to it in the
 * GitOps repository afterwards stand.
 */
export interface ExtraFile {
  /** From the repository root, e.g. `applications/verity-api--staging.yaml`. */
  path: string;
  content: string;
  /** What it is, for the log: `the Argo CD Application`. */
  description: string;
}

/** Checks the paths before any clone: inside the repository, plain names, and clear of the target directory. */
export function checkExtraFiles(files: readonly ExtraFile[], targetPath: string): ExtraFile[] {
  const seen = new Set<string>();
  return files.map((file) => {
    let path: string;
    try {
      path = validateTargetPath(file.path);
    } catch (e) {
      // The checks are the target path's; their messages name that input, which is not the one at fault here.
      if (e instanceof InputError) throw new InputError(`${file.description}: ${e.message.replace(/^input 'path':? ?/, `${file.path}: `)}`);
      throw e;
    }
    if (path === targetPath || path.startsWith(`${targetPath}/`) || targetPath.startsWith(`${path}/`)) {
      throw new InputError(`${file.description} (${path}) would overlap the directory ${targetPath}, which holds exactly the rendered manifests`);
    }
    if (seen.has(path)) throw new InputError(`${file.description}: ${path} is given twice`);
    seen.add(path);
    return { ...file, path };
  });
}

/**
 * Places extra files into trees of the step's clone. Only local objects are
 * read: the partial clone has every tree, the new blobs are written here, and
 * an existing file's blob is never needed (it is left as it is), so nothing
 * here reaches the remote or needs its credentials.
 */
export class ExtraFiles {
  private readonly git: Git;
  private readonly env: Record<string, string | undefined>;
  private readonly format: ObjectFormat;
  private readonly gitDir: string;

  constructor(
    cloneDir: string,
    readonly files: readonly ExtraFile[],
    private readonly log: (line: string) => void,
  ) {
    const gitDir = join(cloneDir, '.git');
    this.git = new Git({ cwd: cloneDir });
    this.gitDir = gitDir;
    this.env = { ...ISOLATED_GIT_ENV, GIT_DIR: gitDir };
    this.format = objectFormatOf(gitDir);
  }

  private async run(args: readonly string[], extra: { input?: string; okExitCodes?: number[] } = {}) {
    return this.git.run(args, { env: this.env, timeoutMs: 60_000, ...extra });
  }

  /** The files `commit` has nothing at (the ones a commit on top of it would create); anything at the path counts, as in place(). */
  async missingIn(commit: string): Promise<ExtraFile[]> {
    if (this.files.length === 0) return [];
    // Without -r, ls-tree names the entry at each path itself, whatever its type.
    const listed = await this.run(['ls-tree', '-z', '--full-tree', '--name-only', commit, '--', ...this.files.map((f) => f.path)]);
    const present = new Set(listed.stdout.split('\0'));
    return this.files.filter((f) => !present.has(f.path));
  }

  /** `root` with every file it lacks added; returns the new root tree. */
  async place(root: string): Promise<string> {
    let tree = root;
    for (const file of this.files) tree = await this.placeOne(tree, file);
    return tree;
  }

  private async placeOne(root: string, file: ExtraFile): Promise<string> {
    const segments = file.path.split('/');
    const name = segments.pop()!;
    // listings[i]: the directory holding segments[i] (listings[0] is the root); the last one holds the file.
    const listings: (TreeEntry[] | undefined)[] = [];
    for (let level = 0; level <= segments.length; level++) {
      const prefix = segments.slice(0, level).join('/');
      if (level > 0) {
        const entry = listings[level - 1]?.find((e) => e.name === segments[level - 1]);
        if (!entry) {
          listings.push(undefined);
          continue;
        }
        if (entry.type !== 'tree') {
          throw new InputError(`${file.description} goes to ${file.path}, but ${prefix} is a ${entry.mode === '120000' ? 'symbolic link' : 'file'} in the GitOps repository, not a directory`);
        }
      }
      listings.push(await this.listing(root, prefix));
    }
    const holder = listings[segments.length];
    if (holder?.some((e) => e.name === name)) {
      this.log(`${file.path}: already in the GitOps repository, left as it is (${file.description} is written with an app's first deploy only)`);
      return root;
    }
    const blob = writeLooseObject(this.gitDir, 'blob', Buffer.from(file.content, 'utf8'), this.format);
    const directory = planTree([...(holder ?? []), { mode: '100644', type: 'blob', oid: blob, name }], this.format);
    const ancestors = planAncestors(segments, listings.slice(0, segments.length), directory.oid, this.format);
    const trees: PlannedTree[] = [directory, ...ancestors];
    for (const tree of trees) writeLooseObject(this.gitDir, 'tree', tree.body, this.format);
    this.log(`${file.path}: not in the GitOps repository yet, so ${file.description} goes into this commit`);
    return trees.at(-1)!.oid;
  }

  private async listing(root: string, prefix: string): Promise<TreeEntry[]> {
    const r = await this.run(['ls-tree', '-z', '--full-tree', '--end-of-options', `${root}:${prefix}`], { okExitCodes: [128] });
    if (r.exitCode === 0) return parseLsTree(r.stdout);
    throw new ToolError(`git ls-tree ${root}:${prefix}`, r.exitCode, r.stderr.trim(), 'failed');
  }

  /** What the commit does to the extra files' paths: added files and their patch. */
  async diff(from: string | undefined, to: string): Promise<{ diff: DesiredStateDiff; patch: string }> {
    const base = from ?? createHash(this.format).update('tree 0\0').digest('hex');
    const out = await this.run([
      'diff-tree', '-r', '-z', '--no-renames', '--patch-with-raw', '--no-color', '--no-ext-diff', '--no-textconv',
      base, to, '--', ...this.files.map((f) => f.path),
    ]);
    return parseRawAndPatch(out.stdout);
  }
}

/** The target directory's diff followed by the extra files'. */
export function joinDiffs(a: { diff: DesiredStateDiff; patch: string }, b: { diff: DesiredStateDiff; patch: string }): { diff: DesiredStateDiff; patch: string } {
  return {
    diff: { added: [...a.diff.added, ...b.diff.added], changed: [...a.diff.changed, ...b.diff.changed], removed: [...a.diff.removed, ...b.diff.removed] },
    patch: a.patch + b.patch,
  };
}
