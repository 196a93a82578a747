import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Git tree objects, computed here rather than by one git process per
 * directory: the replaced directory's trees and its ancestors' are derived
 * in memory from the listings the clone brought (written by loose-objects.ts).
 */
export type ObjectFormat = 'sha1' | 'sha256';

/** The object format of a repository, from its config (`extensions.objectFormat`); sha1 unless it says sha256. */
export function objectFormatOf(gitDir: string): ObjectFormat {
  return /^\s*objectformat\s*=\s*sha256\s*$/im.test(readFileSync(join(gitDir, 'config'), 'utf8')) ? 'sha256' : 'sha1';
}

export interface TreeEntry {
  /** As ls-tree prints it: 100644, 100755, 120000, 160000, 040000. */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  name: string;
}

/** A tree to write: its entries in git's order, its object bytes and the id git gives them. */
export interface PlannedTree {
  oid: string;
  entries: TreeEntry[];
  body: Buffer;
}

export function objectId(type: 'blob' | 'tree' | 'commit' | 'tag', body: Buffer, format: ObjectFormat = 'sha1'): string {
  return createHash(format === 'sha256' ? 'sha256' : 'sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/** Git's order: byte order of the names, where a tree's name counts as if it ended in '/'. Each key is made once (a root can hold thousands of apps). */
export function sortEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return entries
    .map((entry) => ({ entry, key: Buffer.from(entry.type === 'tree' ? `${entry.name}/` : entry.name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map((keyed) => keyed.entry);
}

/** The tree object's bytes: `<mode> <name>\0<raw id>` per entry (already in git's order); tree modes are written `40000`. */
function treeBody(ordered: readonly TreeEntry[]): Buffer {
  const heads = ordered.map((e) => `${e.mode.replace(/^0+/, '')} ${e.name}\0`);
  const idBytes = ordered.length > 0 ? ordered[0]!.oid.length / 2 : 0;
  const body = Buffer.allocUnsafe(heads.reduce((n, h) => n + Buffer.byteLength(h, 'utf8') + idBytes, 0));
  let at = 0;
  ordered.forEach((e, i) => {
    at += body.write(heads[i]!, at, 'utf8');
    at += body.write(e.oid, at, 'hex');
  });
  return body;
}

export function planTree(entries: readonly TreeEntry[], format: ObjectFormat = 'sha1'): PlannedTree {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`tree would have '${e.name}' twice`);
    names.add(e.name);
  }
  const ordered = sortEntries(entries);
  const body = treeBody(ordered);
  return { oid: objectId('tree', body, format), entries: ordered, body };
}

/** Entries of `git ls-tree -z` output. */
export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (tab < 0 || !mode || !oid || (type !== 'blob' && type !== 'tree' && type !== 'commit')) {
      throw new Error(`unexpected git ls-tree record: ${JSON.stringify(record.slice(0, 200))}`);
    }
    entries.push({ mode, type, oid, name: record.slice(tab + 1) });
  }
  return entries;
}

/** The root tree a commit object's bytes name (its first line). */
export function treeOfCommit(body: Buffer): string | undefined {
  return /^tree ([0-9a-f]{40}|[0-9a-f]{64})\n/.exec(body.toString('latin1', 0, 80))?.[1];
}

/** Entries of a tree object's bytes (the inverse of the body written above); modes as ls-tree prints them. */
export function parseTreeBody(body: Buffer, format: ObjectFormat = 'sha1'): TreeEntry[] {
  const idBytes = format === 'sha256' ? 32 : 20;
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const nul = body.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + idBytes > body.length) throw new Error('a tree object is malformed');
    const mode = body.toString('latin1', at, space).padStart(6, '0');
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode, type, oid: body.toString('hex', nul + 1, nul + 1 + idBytes), name: body.toString('utf8', space + 1, nul) });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** A file placed below the target directory. */
export interface SourceBlob {
  path: string;
  mode: '100644' | '100755';
  oid: string;
}

/**
 * The trees of the source directory, deepest first, ending with the
 * directory itself: what the target directory's tree becomes.
 */
export function planSourceTrees(blobs: readonly SourceBlob[], format: ObjectFormat = 'sha1'): PlannedTree[] {
  interface Dir {
    files: TreeEntry[];
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: [], dirs: new Map() };
  for (const blob of blobs) {
    const parts = blob.path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { files: [], dirs: new Map() }));
      dir = next;
    }
    dir.files.push({ mode: blob.mode, type: 'blob', oid: blob.oid, name: parts.at(-1)! });
  }
  const planned: PlannedTree[] = [];
  const plan = (dir: Dir): string => {
    const entries = [...dir.files];
    for (const [name, child] of dir.dirs) entries.push({ mode: '040000', type: 'tree', oid: plan(child), name });
    const tree = planTree(entries, format);
    planned.push(tree);
    return tree.oid;
  };
  plan(root);
  return planned;
}

/**
 * The ancestors of the target directory rebuilt around its new tree: for
 * `a/b/app`, the new `a/b`, `a` and root, given their current entries
 * (empty for a directory that does not exist yet). Deepest first; the last
 * is the new root tree.
 */
export function planAncestors(segments: readonly string[], listings: readonly (TreeEntry[] | undefined)[], targetTree: string, format: ObjectFormat = 'sha1'): PlannedTree[] {
  const planned: PlannedTree[] = [];
  let child = targetTree;
  for (let level = segments.length - 1; level >= 0; level--) {
    const name = segments[level]!;
    const entries = (listings[level] ?? []).filter((e) => e.name !== name);
    entries.push({ mode: '040000', type: 'tree', oid: child, name });
    const tree = planTree(entries, format);
    planned.push(tree);
    child = tree.oid;
  }
  return planned;
}
