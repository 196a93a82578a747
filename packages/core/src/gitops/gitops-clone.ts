import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../errors/errors.js';
import type { ToolResult } from '../exec/run-tool.js';
import { Git } from '../git/git.js';
import { pushOutcome, type PushOutcome } from './git-failure.js';
import {
  objectFormatOf,
  objectId,
  parseLsTree,
  parseTreeBody,
  planAncestors,
  planSourceTrees,
  treeOfCommit,
  type ObjectFormat,
  type PlannedTree,
  type SourceBlob,
  type TreeEntry,
} from './git-tree.js';
import { manifestFile, manifestFiles, type ManifestFile } from '../yaml/manifest-files.js';
import { fetchObjects } from './fetch-objects.js';
import type { PackedObject } from './pack-file.js';
import { PushNotHandled, pushObjects } from './push-objects.js';
import { LocalObjects } from './local-objects.js';
import { commitBody, writeLooseObject, type CommitIdentity } from './loose-objects.js';
import { cloneArgs, cloneEnv, inProcessFetchUnavailable } from './clone-command.js';
import type { RemoteAccess } from './remote-access.js';
import type { GitopsRemote } from './repository-url.js';
import type { SourceFile } from './source-tree.js';

/** Files added, changed and removed in the GitOps repository, by path from its root. */
export interface DesiredStateDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** A commit that changed the target directory. */
export interface PathCommit {
  commit: string;
  /** Commit date, ISO 8601. */
  date: string;
  /** Its `Version` trailer; '' when it has none. */
  version: string;
  /** Its `Source-Commit` trailer; '' when it has none. */
  sourceCommit: string;
  /** Author name and subject line: someone's text, neutralised before it is shown. */
  author: string;
  subject: string;
}

/** What stands at the target path in a commit. */
export type TargetKind = 'absent' | 'directory' | 'file' | 'symlink' | 'below-symlink' | 'below-file';

/** A fetched branch head, as far as landing one directory needs to know it. */
export interface BranchHead {
  ref: string;
  commit: string;
  kind: TargetKind;
  /** The target directory's tree id; undefined unless `kind` is `directory`. Equal ids: the directory is unchanged. */
  target: string | undefined;
  /** Entries of the root and of each directory on the way to the target (undefined where one does not exist). */
  listings: (TreeEntry[] | undefined)[];
}

/** The target directory's manifests in a commit, and how they were read. */
export interface TargetManifests {
  files: ManifestFile[];
  /** `protocol`: one fetch of our own; `checkout`: git's sparse checkout, with the reason the first could not be used. */
  via: 'protocol' | 'checkout';
  fallbackReason?: string;
}

/** The desired state as git objects: its blobs are written with the first tree built, its trees with every commit. */
export interface SourceObjects {
  blobs: SourceBlob[];
  trees: PlannedTree[];
  /** The target directory's tree id after the write. */
  tree: string;
  /** Blob contents by id, until they are written. */
  unwritten: Map<string, Buffer>;
}

/** Cone-mode patterns for one directory: every file on the way to it, and all of it. */
export function conePatterns(targetPath: string): string {
  const lines = ['/*', '!/*/'];
  const segments = targetPath.split('/');
  for (let i = 1; i < segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    lines.push(`/${prefix}/`, `!/${prefix}/*/`);
  }
  lines.push(`/${targetPath}/`);
  return `${lines.join('\n')}\n`;
}

/**
 * `git diff-tree -z --patch-with-raw`: NUL-separated raw records
 * (`:<modes> <ids> <status>\0<path>\0`), one more NUL, then the patch text.
 */
export function parseRawAndPatch(out: string): { diff: DesiredStateDiff; patch: string } {
  const diff: DesiredStateDiff = { added: [], changed: [], removed: [] };
  let at = 0;
  while (out[at] === ':') {
    const statusEnd = out.indexOf('\0', at);
    const pathEnd = out.indexOf('\0', statusEnd + 1);
    if (statusEnd < 0 || pathEnd < 0) throw new Error(`unexpected git diff-tree output: ${JSON.stringify(out.slice(at, at + 200))}`);
    const status = out.slice(at, statusEnd).split(' ').at(-1) ?? '';
    const path = out.slice(statusEnd + 1, pathEnd);
    if (status.startsWith('A')) diff.added.push(path);
    else if (status.startsWith('D')) diff.removed.push(path);
    else diff.changed.push(path);
    at = pathEnd + 1;
  }
  if (out[at] === '\0') at++;
  return { diff, patch: out.slice(at) };
}

/**
 * The cheapest clone that can land one directory: no history (depth 1), no
 * file contents (blob:none) except the target directory's, fetched by a
 * sparse checkout in cone mode when its version must be read. Its cost does
 * not grow with the repository's history or its number of apps. Commits are
 * built from git objects (trees computed here, written by git), so no
 * worktree filter or ignore rule can change a byte of the desired state, and
 * no other path's entry is ever touched.
 */
export class GitopsClone {
  private readonly git: Git;
  private readonly env: Record<string, string | undefined>;
  private readonly secrets: readonly string[];
  private format: ObjectFormat = 'sha1';
  private readonly segments: string[];
  private checkouts: Promise<void> = Promise.resolve();
  private lastCheckout: string | undefined;
  private readonly reads = new Map<string, Promise<TargetManifests>>();
  /** Every object this process made (the source's blobs, the trees, the commits): what a push of ours may have to send. */
  private readonly made = new Map<string, PackedObject>();

  private constructor(
    readonly dir: string,
    readonly targetPath: string,
    private readonly remote: GitopsRemote,
    private readonly access: RemoteAccess,
    onCommand?: (args: readonly string[]) => void,
  ) {
    this.git = new Git({ cwd: dir, ...(onCommand ? { onCommand } : {}) });
    this.env = cloneEnv(access);
    this.secrets = access.secrets;
    this.segments = targetPath.split('/');
  }

  private get gitDir(): string {
    return join(this.dir, '.git');
  }

  /**
   * Clones `branch` (one process: init, remote and the first fetch); when the
   * remote has no such branch, an empty repository with the remote set up.
   * `filter`: what it leaves out (cloneFilter); a server that refuses a tree
   * filter gets blob:none. `started`: that clone, already running into `dir`
   * (a head start).
   */
  static async clone(
    dir: string,
    remote: GitopsRemote,
    targetPath: string,
    branch: string,
    access: RemoteAccess,
    onCommand?: (args: readonly string[]) => void,
    how: { filter?: string; started?: Promise<unknown> } = {},
  ): Promise<{ clone: GitopsClone; found: boolean }> {
    const outside = new GitopsClone(dirname(dir), targetPath, remote, access, onCommand);
    const run = (filter: string) => {
      mkdirSync(dirname(dir), { recursive: true });
      rmSync(dir, { recursive: true, force: true });
      return outside.run(cloneArgs(remote.url, dir, branch, filter));
    };
    const filter = how.filter ?? 'blob:none';
    let found = true;
    try {
      await (how.started ?? run(filter)).catch((e: unknown) => {
        if (filter === 'blob:none' || !(e instanceof ToolError && /filter/i.test(e.stderrTail))) throw e;
        return run('blob:none');
      });
    } catch (e) {
      if (!(e instanceof ToolError && /Remote branch .* not found|couldn't find remote ref/i.test(e.stderrTail))) throw e;
      found = false;
    }
    const clone = new GitopsClone(dir, targetPath, remote, access, onCommand);
    if (!found) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await clone.run(['init', '--quiet']);
      await clone.run(['remote', 'add', 'origin', remote.url]);
    }
    const gitDir = join(dir, '.git');
    mkdirSync(join(gitDir, 'info'), { recursive: true });
    writeFileSync(join(gitDir, 'info', 'sparse-checkout'), conePatterns(targetPath));
    clone.format = objectFormatOf(gitDir);
    return { clone, found };
  }

  private run(args: readonly string[], extra: { input?: string | Buffer; okExitCodes?: number[]; env?: Record<string, string>; maxStdoutBytes?: number } = {}): Promise<ToolResult> {
    return this.git.run(args, {
      env: { ...this.env, ...extra.env },
      secrets: this.secrets,
      ...(extra.input !== undefined ? { input: extra.input } : {}),
      ...(extra.okExitCodes ? { okExitCodes: extra.okExitCodes } : {}),
      ...(extra.maxStdoutBytes ? { maxStdoutBytes: extra.maxStdoutBytes } : {}),
      timeoutMs: 5 * 60_000,
    });
  }

  private async text(args: readonly string[], extra: { input?: string } = {}): Promise<string> {
    return (await this.run(args, extra)).stdout.replace(/\n$/, '');
  }

  /** Branch heads (and the default branch) as the remote has them now, without fetching objects. */
  async lsRemote(branches: readonly string[]): Promise<{ heads: Map<string, string>; defaultBranch: string | undefined }> {
    const out = await this.text(['ls-remote', '--symref', 'origin', 'HEAD', ...branches.map((b) => `refs/heads/${b}`)]);
    const heads = new Map<string, string>();
    let defaultBranch: string | undefined;
    for (const line of out.split('\n')) {
      const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
      if (symref) defaultBranch = symref[1];
      const ref = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
      if (ref) heads.set(ref[2]!, ref[1]!);
    }
    return { heads, defaultBranch };
  }

  /**
   * Fetches the branch's current head with its trees only; false when the
   * remote has no such branch. `depth` > 1 brings the history a pull request
   * branch needs to see whether the base is already merged into it.
   */
  async fetchBranch(branch: string, depth = 1): Promise<boolean> {
    try {
      await this.run([
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--no-auto-maintenance',
        '--no-show-forced-updates',
        '--filter=blob:none',
        `--depth=${depth}`,
        'origin',
        `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
      ]);
      return true;
    } catch (e) {
      if (e instanceof ToolError && /couldn't find remote ref/i.test(e.stderrTail)) return false;
      throw e;
    }
  }

  /** More history of a fetched branch, for an ancestry question the shallow clone cannot answer yet. */
  async deepen(branch: string, commits: number): Promise<void> {
    await this.run([
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-auto-maintenance',
      '--filter=blob:none',
      `--deepen=${commits}`,
      'origin',
      `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
    ]);
  }

  /**
   * The fetched head of `branch`: its commit, and the root and every
   * directory on the way to the target, read from the trees the fetch brought
   * (all processes at once; no file content is needed).
   */
  async head(branch: string, commit?: string): Promise<BranchHead> {
    const ref = `refs/remotes/origin/${branch}`;
    const at = commit ?? (await this.resolveRef(ref));
    const listings = this.listingsInStore(at) ?? (await this.listingsByGit(ref));
    let kind: TargetKind = 'directory';
    let target: string | undefined;
    for (let level = 0; level < this.segments.length; level++) {
      const last = level === this.segments.length - 1;
      const entry = listings[level]?.find((e) => e.name === this.segments[level]);
      if (!entry) {
        kind = 'absent';
        break;
      }
      if (entry.mode === '120000') {
        kind = last ? 'symlink' : 'below-symlink';
        break;
      }
      if (entry.type !== 'tree') {
        kind = last ? 'file' : 'below-file';
        break;
      }
      if (last) target = entry.oid;
    }
    return { ref, commit: at, kind, target: kind === 'directory' ? target : undefined, listings };
  }

  /**
   * The listings `head` needs, read from the clone's object store in this
   * process (the fetched trees are all there); undefined when an object is
   * not found that way, and git is asked.
   */
  private listingsInStore(commit: string): (TreeEntry[] | undefined)[] | undefined {
    try {
      const store = new LocalObjects(this.gitDir, this.format);
      const object = store.read(commit);
      const root = object?.type === 'commit' ? treeOfCommit(object.body) : undefined;
      if (!root) return undefined;
      const listings: (TreeEntry[] | undefined)[] = [];
      let tree: string | undefined = root;
      for (const segment of this.segments) {
        if (tree === undefined) {
          listings.push(undefined);
          continue;
        }
        const found = store.read(tree);
        if (found?.type !== 'tree') return undefined;
        const entries = parseTreeBody(found.body, this.format);
        listings.push(entries);
        const entry = entries.find((e) => e.name === segment);
        tree = entry?.type === 'tree' ? entry.oid : undefined;
      }
      return listings;
    } catch {
      return undefined;
    }
  }

  private async listingsByGit(ref: string): Promise<(TreeEntry[] | undefined)[]> {
    const prefixes = this.segments.map((_, i) => this.segments.slice(0, i).join('/'));
    return Promise.all(
      prefixes.map(async (prefix) => {
        const r = await this.run(['ls-tree', '-z', '--full-tree', '--end-of-options', `${ref}:${prefix}`], { okExitCodes: [128] });
        if (r.exitCode === 0) return parseLsTree(r.stdout);
        if (/Not a valid object name|not a tree object/i.test(r.stderr)) return undefined;
        throw new ToolError(`git ls-tree ${ref}:${prefix}`, r.exitCode, r.stderr.trim(), 'failed');
      }),
    );
  }

  /** The commit a fetched branch is at. */
  async fetchedCommit(branch: string): Promise<string> {
    return this.resolveRef(`refs/remotes/origin/${branch}`);
  }

  /**
   * The commit a ref of ours names. Read from the ref store's files (a loose
   * ref, else packed-refs, as git itself looks them up) to spare a process in
   * every attempt; git answers when neither has it.
   */
  private async resolveRef(ref: string): Promise<string> {
    const gitDir = join(this.dir, '.git');
    const oid = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
    try {
      const loose = readFileSync(join(gitDir, ref), 'utf8').trim();
      if (oid.test(loose)) return loose;
    } catch {
      // not loose: packed, or only git knows
    }
    try {
      for (const line of readFileSync(join(gitDir, 'packed-refs'), 'utf8').split('\n')) {
        const space = line.indexOf(' ');
        if (line.slice(space + 1) === ref && oid.test(line.slice(0, space))) return line.slice(0, space);
      }
    } catch {
      // no packed-refs
    }
    return this.text(['rev-parse', '--verify', `${ref}^{commit}`]);
  }

  /**
   * The commits among the branch's last `depth` that changed the target
   * directory, newest first: id, commit date, and the `Version` trailer our
   * commits carry ('' for commits made otherwise). Only commits and trees are
   * fetched for it, never another directory's contents.
   */
  async pathHistory(branch: string, depth: number): Promise<PathCommit[]> {
    await this.deepen(branch, depth - 1);
    const out = await this.text([
      'log',
      '-z',
      `--max-count=${depth}`,
      '--format=%H%x1f%cI%x1f%(trailers:key=Version,valueonly,separator=%x2C)%x1f%(trailers:key=Source-Commit,valueonly,separator=%x2C)%x1f%an%x1f%s',
      `refs/remotes/origin/${branch}`,
      '--',
      this.targetPath,
    ]);
    return out
      .split('\0')
      .filter((record) => record.trim() !== '')
      .map((record) => {
        const [commit = '', date = '', version = '', sourceCommit = '', author = '', subject = ''] = record.replace(/^\n/, '').split('\x1f');
        const first = (list: string) => list.trim().split(',')[0]!.trim();
        return { commit, date, version: first(version), sourceCommit: first(sourceCommit), author, subject };
      });
  }

  /** A commit's root tree id (pull-request mode compares a proposal with the tree it would propose). */
  async treeOf(commit: string): Promise<string> {
    return this.text(['rev-parse', '--verify', `${commit}^{tree}`]);
  }

  /**
   * Puts the commit in the sparse worktree: only the target directory and the
   * files along the way get their contents fetched. One at a time (the index
   * has one lock), in the order asked; asking again for the commit last asked
   * for waits for that checkout instead of starting another.
   */
  checkout(commit: string): Promise<void> {
    if (this.lastCheckout === commit) return this.checkouts;
    const start = () => this.run(['checkout', '--quiet', '--force', '--detach', commit]).then(() => {});
    // Started at once when none runs: it is the longest step of an attempt, every other waits on it.
    const next = this.lastCheckout === undefined ? start() : this.checkouts.catch(() => {}).then(start);
    next.catch(() => {}); // reported to whoever awaits it
    this.checkouts = next;
    this.lastCheckout = commit;
    return next;
  }

  /**
   * The target directory's manifests in `head` (a directory there), for its
   * version. Read with one protocol v2 fetch of the directory's tree (the
   * server sends it with its blobs; nothing else of the repository) where
   * the remote allows one, else by a sparse checkout. Either way the blobs
   * end up in the clone, so a diff against this head needs no other fetch.
   * Asked again for the same tree: the same answer.
   */
  targetManifests(head: BranchHead): Promise<TargetManifests> {
    const tree = head.target;
    if (!tree) return Promise.resolve({ files: [], via: 'protocol' });
    let read = this.reads.get(tree);
    if (!read) {
      const byCheckout = async (): Promise<ManifestFile[]> => {
        await this.checkout(head.commit);
        return manifestFiles(join(this.dir, this.targetPath));
      };
      read = inProcessFetchUnavailable(this.remote)
        ? byCheckout().then((files): TargetManifests => ({ files, via: 'checkout' }))
        : this.readInProcess(tree).then(
            (files): TargetManifests => ({ files, via: 'protocol' }),
            async (e: unknown): Promise<TargetManifests> => ({
              files: await byCheckout(),
              via: 'checkout',
              fallbackReason: e instanceof Error ? e.message : String(e),
            }),
          );
      read.catch(() => {}); // reported to whoever awaits it
      this.reads.set(tree, read);
    }
    return read;
  }

  private async readInProcess(tree: string): Promise<ManifestFile[]> {
    const objects = await fetchObjects(this.remote, this.access, [tree], this.format, (args, extra) => this.run(args, extra));
    const files: ManifestFile[] = [];
    const walk = (oid: string, prefix: string) => {
      const object = objects.get(oid);
      if (object?.type !== 'tree') throw new Error(`the server did not send tree ${oid}`);
      // Kept: a clone made without this directory's trees (tree filter) needs them to diff and push.
      writeLooseObject(this.gitDir, 'tree', object.body, this.format);
      for (const entry of parseTreeBody(object.body, this.format)) {
        const path = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.type === 'tree') walk(entry.oid, path);
        else if (entry.mode === '100644' || entry.mode === '100755') {
          // Symbolic links and submodules are not files of the directory (a checkout's reader skips them too).
          const blob = objects.get(entry.oid);
          if (blob?.type !== 'blob') throw new Error(`the server did not send blob ${entry.oid} (${path})`);
          writeLooseObject(this.gitDir, 'blob', blob.body, this.format);
          const file = manifestFile(path, blob.body.toString('utf8'));
          if (file) files.push(file);
        }
      }
    };
    walk(tree, '');
    return files;
  }

  /** Waits for checkouts still running (a clone must not be removed under one). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.reads.values());
    await this.checkouts.catch(() => {});
  }

  /** The source files as git objects, computed only: nothing is written until a tree is built (buildTree). */
  planSource(files: readonly SourceFile[]): SourceObjects {
    const unwritten = new Map<string, Buffer>();
    const blobs = files.map((f): SourceBlob => {
      const content = readFileSync(f.absolute);
      const oid = objectId('blob', content, this.format);
      unwritten.set(oid, content);
      return { path: f.path, mode: f.executable ? '100755' : '100644', oid };
    });
    const trees = planSourceTrees(blobs, this.format);
    return { blobs, trees, tree: trees.at(-1)!.oid, unwritten };
  }

  /**
   * The root tree of `head` with the target directory replaced by the
   * source: the source's trees and the rebuilt ancestors. Every other entry,
   * at every level, is copied as it was (the other apps' blobs were never
   * fetched and need not be: a tree only names them).
   */
  buildTree(head: BranchHead | undefined, source: SourceObjects): string {
    const ancestors = planAncestors(this.segments, head?.listings ?? [], source.tree, this.format);
    for (const body of source.unwritten.values()) this.write('blob', body);
    source.unwritten.clear();
    for (const tree of [...source.trees, ...ancestors]) this.write('tree', tree.body);
    return ancestors.at(-1)!.oid;
  }

  /** Which files of the target directory differ between two commits, and the unified diff, from one `git diff-tree`. */
  async diff(from: string | undefined, to: string): Promise<{ diff: DesiredStateDiff; patch: string }> {
    const base = from ?? this.emptyTree();
    const out = (
      await this.run(['diff-tree', '-r', '-z', '--no-renames', '--patch-with-raw', '--no-color', '--no-ext-diff', '--no-textconv', base, to, '--', this.targetPath])
    ).stdout;
    return parseRawAndPatch(out);
  }

  private emptyTree(): string {
    return createHash(this.format === 'sha256' ? 'sha256' : 'sha1').update('tree 0\0').digest('hex');
  }

  commit(tree: string, parents: readonly string[], message: string, identity: CommitIdentity): string {
    return this.write('commit', commitBody(tree, parents, identity, message));
  }

  private write(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
    const oid = writeLooseObject(this.gitDir, type, body, this.format);
    this.made.set(oid, { type, body });
    return oid;
  }

  /**
   * Can `commit` be pushed by us (pushObjects)? Only where our own fetch
   * works, and only a commit all of whose new objects this process made: the
   * objects it names that we did not make came from the remote.
   */
  canPushInProcess(commit: string): boolean {
    return !inProcessFetchUnavailable(this.remote) && this.made.get(commit)?.type === 'commit';
  }

  /**
   * One push of our own (push-objects.ts): the commit and the trees and
   * blobs of ours it reaches, to `branch`, which must still be at `old`.
   */
  async pushInProcess(commit: string, branch: string, old: string | undefined): Promise<PushOutcome> {
    const objects = new Map<string, PackedObject>();
    const add = (oid: string) => {
      const object = this.made.get(oid);
      if (!object || objects.has(oid)) return;
      objects.set(oid, object);
      if (object.type === 'commit') add(treeOfCommit(object.body)!);
      if (object.type === 'tree') for (const entry of parseTreeBody(object.body, this.format)) add(entry.oid);
    };
    add(commit);
    try {
      const outcome = await pushObjects(this.remote, this.access, { ref: `refs/heads/${branch}`, old, new: commit }, [...objects.values()], this.format, (args, extra) =>
        this.run(args, extra),
      );
      if (outcome.kind !== 'refused') return outcome;
      // Servers word a branch that moved under the update in their own ways; whether it moved is a fact to ask for.
      const now = await this.lsRemote([branch]).then(
        ({ heads }) => heads.get(branch),
        () => old,
      );
      return now !== old ? { kind: 'lost-race', reason: `${branch} moved (${outcome.reason})` } : outcome;
    } catch (e) {
      // Every object is in the clone too (written loose), so git can push the same commit.
      if (e instanceof PushNotHandled) return this.push(commit, branch);
      throw e;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.run(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] });
    return r.exitCode === 0;
  }

  /** One push of one commit to one branch, never forced; the outcome says whether to try again. */
  async push(commit: string, branch: string): Promise<PushOutcome> {
    const ref = `refs/heads/${branch}`;
    try {
      const r = await this.run(['push', '--porcelain', '--no-verify', 'origin', `${commit}:${ref}`], { okExitCodes: [1] });
      return pushOutcome(ref, r.exitCode, r.stdout, r.stderr);
    } catch (e) {
      if (!(e instanceof ToolError) || e.exitCode === null) throw e;
      return pushOutcome(ref, e.exitCode, '', e.stderrTail);
    }
  }
}
