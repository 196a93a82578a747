import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { objectId, type ObjectFormat } from './git-tree.js';

/** An object a pack carried, with its delta (if any) applied. */
export interface PackedObject {
  type: 'commit' | 'tree' | 'blob' | 'tag';
  body: Buffer;
}

const TYPES = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' } as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;

export type Entry = { offset: number; type: PackedObject['type']; data: Buffer } | { offset: number; type: 'ofs-delta'; base: number; data: Buffer } | { offset: number; type: 'ref-delta'; base: string; data: Buffer };

/**
 * Every object of a pack (gitpack-format, version 2 or 3), by id. The pack's
 * trailing checksum is verified and each object's size checked against its
 * header, so a pack cut short or altered on the way is an error, never a
 * wrong object. Deltas may name a base in the same pack only: a fetch that
 * does not ask for a thin pack gets nothing else.
 */
export function readPack(pack: Buffer, format: ObjectFormat): Map<string, PackedObject> {
  const hashLength = format === 'sha256' ? 32 : 20;
  if (pack.length < 12 + hashLength || pack.toString('latin1', 0, 4) !== 'PACK') throw new Error('not a git pack');
  const version = pack.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw new Error(`pack version ${version} is not supported`);
  const trailer = pack.subarray(pack.length - hashLength);
  const content = pack.subarray(0, pack.length - hashLength);
  if (!createHash(format).update(content).digest().equals(trailer)) throw new Error('the pack checksum does not match: it was damaged on the way');

  const count = pack.readUInt32BE(8);
  const entries: Entry[] = [];
  const byOffset = new Map<number, Entry>();
  let at = 12;
  for (let i = 0; i < count; i++) {
    const { entry, next } = entryAt(content, at, hashLength);
    entries.push(entry);
    byOffset.set(entry.offset, entry);
    at = next;
  }
  if (at !== content.length) throw new Error(`the pack has ${content.length - at} bytes after its ${count} objects`);

  const objects = new Map<string, PackedObject>();
  const resolved = new Map<number, PackedObject>();
  const pending = new Map<string, Entry[]>();
  const resolve = (entry: Entry, depth: number): PackedObject | undefined => {
    const done = resolved.get(entry.offset);
    if (done) return done;
    if (depth > 10_000) throw new Error('a delta chain in the pack does not end');
    let object: PackedObject | undefined;
    if (entry.type === 'ofs-delta') {
      const baseEntry = byOffset.get(entry.base);
      if (!baseEntry) throw new Error(`a delta at byte ${entry.offset} names no object of the pack as its base`);
      const base = resolve(baseEntry, depth + 1);
      object = base && { type: base.type, body: applyDelta(base.body, entry.data) };
    } else if (entry.type === 'ref-delta') {
      const base = objects.get(entry.base);
      object = base && { type: base.type, body: applyDelta(base.body, entry.data) };
    } else {
      object = { type: entry.type, body: entry.data };
    }
    if (!object) return undefined;
    resolved.set(entry.offset, object);
    const oid = objectId(object.type, object.body, format);
    objects.set(oid, object);
    // Deltas on this object by id that came before it in the pack.
    for (const waiting of pending.get(oid) ?? []) resolve(waiting, depth + 1);
    pending.delete(oid);
    return object;
  };
  for (const entry of entries) {
    if (resolve(entry, 0)) continue;
    const base = (entry as { base: string }).base;
    pending.set(base, [...(pending.get(base) ?? []), entry]);
  }
  if (pending.size > 0) throw new Error(`the pack has deltas on ${pending.size} object(s) it does not hold (a thin pack)`);
  return objects;
}

/** The object stored at `offset` of a pack (delta data not yet applied), and where the next one starts. */
export function entryAt(pack: Buffer, offset: number, hashLength: number): { entry: Entry; next: number } {
  let at = offset;
  let byte = byteAt(pack, at++);
  const kind = (byte >> 4) & 7;
  let size = byte & 15;
  for (let shift = 4; byte & 0x80; shift += 7) {
    byte = byteAt(pack, at++);
    size += (byte & 0x7f) * 2 ** shift;
  }
  if (kind === OFS_DELTA) {
    byte = byteAt(pack, at++);
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      byte = byteAt(pack, at++);
      distance = (distance + 1) * 128 + (byte & 0x7f);
    }
    const inflated = inflateAt(pack, at, size);
    return { entry: { offset, type: 'ofs-delta', base: offset - distance, data: inflated.data }, next: at + inflated.consumed };
  }
  if (kind === REF_DELTA) {
    if (at + hashLength > pack.length) throw new Error('the pack ends inside an object');
    const base = pack.toString('hex', at, at + hashLength);
    const inflated = inflateAt(pack, at + hashLength, size);
    return { entry: { offset, type: 'ref-delta', base, data: inflated.data }, next: at + hashLength + inflated.consumed };
  }
  const type = TYPES[kind as keyof typeof TYPES];
  if (!type) throw new Error(`object of unknown type ${kind} at byte ${offset} of the pack`);
  const inflated = inflateAt(pack, at, size);
  return { entry: { offset, type, data: inflated.data }, next: at + inflated.consumed };
}

function byteAt(pack: Buffer, at: number): number {
  const byte = pack[at];
  if (byte === undefined) throw new Error('the pack ends inside an object');
  return byte;
}

/** One zlib stream of the pack: its bytes, and how many bytes of the pack it took. */
function inflateAt(pack: Buffer, at: number, size: number): { data: Buffer; consumed: number } {
  const { buffer, engine } = inflateSync(pack.subarray(at), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  if (buffer.length !== size) throw new Error(`an object at byte ${at} of the pack inflates to ${buffer.length} bytes, its header says ${size}`);
  return { data: buffer, consumed: engine.bytesWritten };
}

/** Git's delta: base and result sizes, then copy (from the base) and insert (literal) instructions. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = byteAt(delta, at++);
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (varint() !== base.length) throw new Error('a delta in the pack was made for another base');
  const result = Buffer.allocUnsafe(varint());
  let out = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset += byteAt(delta, at++) * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (1 << (4 + bit))) size += byteAt(delta, at++) * 2 ** (8 * bit);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || out + size > result.length) throw new Error('a delta in the pack copies past its base or result');
      base.copy(result, out, offset, offset + size);
      out += size;
    } else if (op !== 0) {
      if (at + op > delta.length || out + op > result.length) throw new Error('a delta in the pack inserts past its end');
      delta.copy(result, out, at, at + op);
      at += op;
      out += op;
    } else {
      throw new Error('a delta in the pack has a reserved instruction');
    }
  }
  if (out !== result.length) throw new Error('a delta in the pack makes fewer bytes than it says');
  return result;
}
