import { isPlainObject } from '../schema/check-values.js';
import { pathOf, type PathSegment } from '../schema/value-path.js';
import type { InputDocument } from './input-document.js';
import type { Field, FieldRef } from './source-field.js';

/**
 * What became of one field of the input:
 * - converted: the values say the same thing;
 * - approximated: the values say something close, and `note` says how it differs;
 * - unsupported: nothing in the values says it, and `note` says why. `action`
 *   tells whether the user has to do something about it (a ulimit) or not
 *   (a revision number that git history replaces).
 */
export type FieldStatus = 'converted' | 'approximated' | 'unsupported';

export interface ReportEntry {
  file: string;
  path: readonly PathSegment[];
  status: FieldStatus;
  /** The values keys it became, e.g. `containers[0].resources.limits.memory`. */
  to: string[];
  note: string;
  action: boolean;
  line?: number;
  /** Stands for a map key, not the value under it. */
  keyOnly?: boolean;
}

/** Fields the importer did not read: the safety net that keeps a drop from being silent. */
export const UNREAD_NOTE = 'not a field the importer knows; left out of the values';
export const EMPTY_NOTE = 'empty: nothing to convert';

/**
 * The report of one import: every field of every input file, each once at
 * its most specific path, plus notes about the conversion as a whole.
 */
export class ConversionReport {
  readonly entries: ReportEntry[] = [];
  /** Things a reviewer must know that belong to no single field (the chart's hardening defaults). */
  readonly notes: string[] = [];

  converted(field: Field | FieldRef, to: string | string[], note = ''): void {
    this.add(field, 'converted', to, note, false);
  }

  /** `action: false` for a difference that needs no decision (a renamed port). */
  approximated(field: Field | FieldRef, to: string | string[], how: string, options: { action?: boolean } = {}): void {
    this.add(field, 'approximated', to, how, options.action ?? true);
  }

  unsupported(field: Field | FieldRef, why: string, options: { action?: boolean } = {}): void {
    this.add(field, 'unsupported', [], why, options.action ?? true);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  private add(field: Field | FieldRef, status: FieldStatus, to: string | string[], note: string, action: boolean): void {
    const ref = 'ref' in field ? field.ref : field;
    this.entries.push({ file: ref.file, path: ref.path, status, to: typeof to === 'string' ? [to] : to, note, action, ...(ref.keyOnly ? { keyOnly: true } : {}) });
  }

  /** The entry that accounts for the leaf at `path`: the one at that path or the closest ancestor. */
  accountFor(file: string, path: readonly PathSegment[]): ReportEntry | undefined {
    let best: ReportEntry | undefined;
    for (const e of this.entries) {
      if (e.file !== file || e.path.length > path.length || (e.keyOnly && e.path.length !== path.length)) continue;
      if (!e.path.every((s, i) => s === path[i])) continue;
      if (!best || e.path.length > best.path.length) best = e;
    }
    return best;
  }

  /**
   * Walks every leaf of each input (scalars, and empty lists and maps) and
   * reports the ones no entry accounts for, then sorts the entries by file
   * and position and sets their line numbers.
   */
  complete(documents: readonly InputDocument[]): void {
    for (const doc of documents) {
      for (const leaf of leafPaths(doc.value)) {
        if (this.accountFor(doc.file, leaf.path)) continue;
        if (leaf.empty) this.add({ file: doc.file, path: leaf.path }, 'converted', [], EMPTY_NOTE, false);
        else this.add({ file: doc.file, path: leaf.path }, 'unsupported', [], UNREAD_NOTE, true);
      }
    }
    const order = new Map(documents.map((d, i) => [d.file, i]));
    const byFile = new Map(documents.map((d) => [d.file, d]));
    for (const e of this.entries) {
      const line = byFile.get(e.file)?.lineOf(e.path);
      if (line !== undefined) e.line = line;
    }
    this.entries.sort((a, b) => (order.get(a.file) ?? 99) - (order.get(b.file) ?? 99) || (a.line ?? 0) - (b.line ?? 0) || pathOf(a.path).localeCompare(pathOf(b.path)));
  }

  count(status: FieldStatus): number {
    return this.entries.filter((e) => e.status === status).length;
  }
}

export interface Leaf {
  path: PathSegment[];
  empty: boolean;
}

/** Every leaf of a JSON value: scalars (null included) and empty lists or maps. */
export function leafPaths(value: unknown, path: PathSegment[] = []): Leaf[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, empty: true }];
    return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return [{ path, empty: true }];
    return keys.flatMap((k) => leafPaths(value[k], [...path, k]));
  }
  return [{ path, empty: false }];
}
