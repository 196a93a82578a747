import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { objectId, type ObjectFormat } from './git-tree.js';

/**
 * Git objects written straight into a clone's object store, the way git
 * writes a loose object: `<type> <size>\0<body>`, zlib-deflated, at
 * `objects/<first two hex digits>/<the rest>`. Landing a directory writes a
 * handful of blobs, trees and one commit; doing it here spares a git process
 * for each kind (three process starts on every attempt's critical path).
 * The ids come from the same bytes that are written, so they cannot disagree;
 * tests read every kind back with git. The fastest zlib level: git reads any,
 * and these objects live for one step.
 */
export function writeLooseObject(gitDir: string, type: 'blob' | 'tree' | 'commit', body: Buffer, format: ObjectFormat): string {
  const oid = objectId(type, body, format);
  const file = join(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
  if (existsSync(file)) return oid;
  mkdirSync(join(gitDir, 'objects', oid.slice(0, 2)), { recursive: true });
  // Written aside and renamed: a reader never sees half an object.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, deflateSync(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]), { level: 1 }), { mode: 0o444 });
  renameSync(partial, file);
  return oid;
}

export interface CommitIdentity {
  /** One line, without '<' or '>' (checked where the inputs are read). */
  name: string;
  email: string;
}

/**
 * A commit object's body as `git commit-tree` writes it: tree, parents,
 * author and committer (one identity, this moment, UTC), a blank line, the
 * message verbatim (commit-tree does no clean-up either).
 */
export function commitBody(tree: string, parents: readonly string[], identity: CommitIdentity, message: string, when: Date = new Date()): Buffer {
  const stamp = `${identity.name} <${identity.email}> ${Math.floor(when.getTime() / 1000)} +0000`;
  const head = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${stamp}`, `committer ${stamp}`];
  return Buffer.from(`${head.join('\n')}\n\n${message}`, 'utf8');
}
