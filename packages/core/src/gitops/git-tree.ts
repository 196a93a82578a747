import { createHash } from 'node:crypto';

/**
 * Git tree objects, computed here rather than by one git process per
 * directory: the replaced directory's trees and its ancestors' are derived
 * in memory, then written in one `git mktree --batch`, which reports the ids
 * it wrote so any disagreement with ours is caught before a commit uses them.
 */
export type ObjectFormat = 'sha1' | 'sha256';

export interface TreeEntry {
  /** As ls-tree prints it: 100644, 100755, 120000, 160000, 040000. */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  name: string;
}

/** A tree to write, with the id we expect git to give it. */
export interface PlannedTree {
  oid: string;
  entries: TreeEntry[];
}

export function objectId(type: 'blob' | 'tree' | 'commit', body: Buffer, format: ObjectFormat = 'sha1'): string {
  return createHash(format === 'sha256' ? 'sha256' : 'sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/** Git's order: byte order of the names, where a tree's name counts as if it ended in '/'. */
function sortKey(entry: TreeEntry): Buffer {
  return Buffer.from(entry.type === 'tree' ? `${entry.name}/` : entry.name, 'utf8');
}

export function sortEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
}

/** The tree object's bytes: `<mode> <name>\0<raw id>` per entry, in git's order; tree modes are written `40000`. */
export function treeBody(entries: readonly TreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of sortEntries(entries)) {
    const mode = e.mode.replace(/^0+/, '');
    parts.push(Buffer.from(`${mode} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

export function planTree(entries: readonly TreeEntry[], format: ObjectFormat = 'sha1'): PlannedTree {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`tree would have '${e.name}' twice`);
    names.add(e.name);
  }
  return { oid: objectId('tree', treeBody(entries), format), entries: sortEntries(entries) };
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

const C_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

/**
 * A name as `git mktree` reads it without -z (its batch mode cannot take -z):
 * C-style quoted when it has a character a line could not carry.
 */
export function mktreeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\u0000-\u001f\u007f]/.test(name)) return name;
  let out = '"';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (C_ESCAPES[c]) out += C_ESCAPES[c];
    else if (byte < 0x20 || byte === 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else if (byte >= 0x80) out += `\\${byte.toString(8)}`;
    else out += c;
  }
  return `${out}"`;
}

/** Input for `git mktree --batch`: the trees in order (children first), separated by blank lines. */
export function mktreeInput(trees: readonly PlannedTree[]): string {
  return trees.map((t) => t.entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${mktreeName(e.name)}\n`).join('')).join('\n');
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
