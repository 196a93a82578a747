import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { ObjectFormat } from './git-tree.js';
import { applyDelta, entryAt, type Entry, type PackedObject } from './pack-file.js';

interface IndexedPack {
  index: Buffer;
  pack: Buffer;
  count: number;
}

/**
 * Objects of a clone's own store, read here instead of by a git process:
 * loose objects, and packs through their version-2 index. A handful of
 * trees are read this way on every attempt (the branch head's root and the
 * directories on the way to the target), which would otherwise cost a
 * process start each time. Undefined for an object not found, so the caller
 * can ask git; a store in a shape not read here (another index version)
 * counts as not found.
 */
export class LocalObjects {
  private packs: IndexedPack[] | undefined;
  private readonly hashLength: number;

  constructor(
    private readonly gitDir: string,
    private readonly format: ObjectFormat,
  ) {
    this.hashLength = format === 'sha256' ? 32 : 20;
  }

  read(oid: string): PackedObject | undefined {
    return this.loose(oid) ?? this.packed(oid, 0);
  }

  private loose(oid: string): PackedObject | undefined {
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(join(this.gitDir, 'objects', oid.slice(0, 2), oid.slice(2))));
    } catch {
      return undefined;
    }
    const nul = raw.indexOf(0);
    const [type, size] = raw.toString('latin1', 0, nul).split(' ');
    if (type !== 'commit' && type !== 'tree' && type !== 'blob' && type !== 'tag') return undefined;
    const body = raw.subarray(nul + 1);
    return body.length === Number(size) ? { type, body } : undefined;
  }

  private packed(oid: string, depth: number): PackedObject | undefined {
    if (depth > 10_000) return undefined;
    for (const pack of this.loadPacks()) {
      const offset = this.offsetIn(pack, oid);
      if (offset !== undefined) return this.resolve(pack, entryAt(pack.pack, offset, this.hashLength).entry, depth);
    }
    return undefined;
  }

  private resolve(pack: IndexedPack, entry: Entry, depth: number): PackedObject | undefined {
    if (entry.type === 'ofs-delta') {
      const base = this.resolve(pack, entryAt(pack.pack, entry.base, this.hashLength).entry, depth + 1);
      return base && { type: base.type, body: applyDelta(base.body, entry.data) };
    }
    if (entry.type === 'ref-delta') {
      const base = this.read(entry.base) ?? this.packed(entry.base, depth + 1);
      return base && { type: base.type, body: applyDelta(base.body, entry.data) };
    }
    return { type: entry.type, body: entry.data };
  }

  private loadPacks(): IndexedPack[] {
    if (this.packs) return this.packs;
    const dir = join(this.gitDir, 'objects', 'pack');
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith('.idx'));
    } catch {
      names = [];
    }
    this.packs = [];
    for (const name of names) {
      try {
        const index = readFileSync(join(dir, name));
        if (index.readUInt32BE(0) !== 0xff744f63 || index.readUInt32BE(4) !== 2) continue;
        this.packs.push({ index, pack: readFileSync(join(dir, `${name.slice(0, -'.idx'.length)}.pack`)), count: index.readUInt32BE(8 + 255 * 4) });
      } catch {
        // a pack being written or removed: git will answer for its objects
      }
    }
    return this.packs;
  }

  /** Binary search of the index's sorted ids, within the range its fan-out table gives for the first byte. */
  private offsetIn(pack: IndexedPack, oid: string): number | undefined {
    const wanted = Buffer.from(oid, 'hex');
    if (wanted.length !== this.hashLength) return undefined;
    const fanout = 8;
    const first = wanted[0]!;
    let low = first === 0 ? 0 : pack.index.readUInt32BE(fanout + (first - 1) * 4);
    let high = pack.index.readUInt32BE(fanout + first * 4);
    const ids = fanout + 256 * 4;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = ids + middle * this.hashLength;
      const order = pack.index.compare(wanted, 0, this.hashLength, at, at + this.hashLength);
      if (order === 0) {
        const offsets = ids + pack.count * (this.hashLength + 4);
        const offset = pack.index.readUInt32BE(offsets + middle * 4);
        if (!(offset & 0x80000000)) return offset;
        const large = offsets + pack.count * 4 + (offset & 0x7fffffff) * 8;
        return Number(pack.index.readBigUInt64BE(large));
      }
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    return undefined;
  }
}
