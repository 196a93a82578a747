import { isPlainObject } from '../schema/check-values.js';
import { pathOf, type PathSegment } from '../schema/value-path.js';

/** Where a value was written: the user's file and the path in it. */
export interface FieldRef {
  file: string;
  path: readonly PathSegment[];
  /** The key of a map entry rather than its value (a compose service's name): accounts for nothing below it. */
  keyOnly?: boolean;
}

/**
 * A value of the input and where the user wrote it. Conversion code walks
 * Fields, so every report line names the user's own file and path. A compose
 * project is converted through a task definition built from it; `origins`
 * then maps each path of that task definition back to the compose key it
 * came from.
 */
export class Field {
  private constructor(
    readonly value: unknown,
    readonly ref: FieldRef,
    private readonly at: readonly PathSegment[],
    private readonly origins: ReadonlyMap<string, FieldRef> | undefined,
    /** The ref came from `origins`: what lies below was written there too, in the source's own words. */
    private readonly mapped: boolean,
  ) {}

  static root(value: unknown, file: string, path: readonly PathSegment[] = [], origins?: ReadonlyMap<string, FieldRef>): Field {
    return new Field(value, { file, path }, [], origins, false);
  }

  child(key: PathSegment): Field {
    const value = isPlainObject(this.value) ? this.value[key] : Array.isArray(this.value) && typeof key === 'number' ? this.value[key] : undefined;
    const at = [...this.at, key];
    const origin = this.origins?.get(pathOf(at));
    if (origin) return new Field(value, origin, at, this.origins, true);
    // Below a mapped value (a compose port "80:8080" standing for a whole port mapping), the source key stands for every part.
    if (this.mapped) return new Field(value, { file: this.ref.file, path: this.ref.path }, at, this.origins, true);
    return new Field(value, { file: this.ref.file, path: [...this.ref.path, key] }, at, this.origins, false);
  }

  /** The map's entries that are set (not undefined), as Fields. */
  entries(): [string, Field][] {
    return isPlainObject(this.value) ? Object.keys(this.value).map((k) => [k, this.child(k)]) : [];
  }

  items(): Field[] {
    return Array.isArray(this.value) ? this.value.map((_, i) => this.child(i)) : [];
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  get text(): string {
    return refText(this.ref);
  }

  string(): string | undefined {
    return typeof this.value === 'string' ? this.value : undefined;
  }

  number(): number | undefined {
    if (typeof this.value === 'number' && Number.isFinite(this.value)) return this.value;
    if (typeof this.value === 'string' && /^\d+(\.\d+)?$/.test(this.value.trim())) return Number(this.value);
    return undefined;
  }

  strings(): string[] | undefined {
    return Array.isArray(this.value) && this.value.every((v) => typeof v === 'string') ? (this.value as string[]) : undefined;
  }
}

export function refText(ref: FieldRef): string {
  return pathOf(ref.path) || '(the whole file)';
}
