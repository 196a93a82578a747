import { InputError } from '../errors/errors.js';
import { loadYaml } from './load-yaml.js';
import { quoteForMessage, YamlError } from './yaml-error.js';

/** A values tree: what a values file holds at the top level. */
export type Values = Record<string, unknown>;

/**
 * helm's layering of values files (`-f base.yaml -f prod.yaml`): maps merge
 * key by key, recursively; lists and scalars in the overlay replace what the
 * base had; a `null` in the overlay deletes the key (helm's way to switch off
 * a chart default), wherever it sits in the overlay's maps, so an overlay's
 * nulls never reach the result.
 *
 * Neither input is modified. The result is new along every merged path and
 * shares untouched subtrees with the inputs, so treat all three as immutable
 * (setValue copies on write too).
 */
export function mergeValues(base: Values, overlay: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    if (value === null) {
      delete merged[key];
      continue;
    }
    if (isMap(value)) {
      const current = ownValue(merged, key);
      defineOwn(merged, key, mergeValues(isMap(current) ? current : {}, value));
    } else {
      defineOwn(merged, key, value);
    }
  }
  return merged;
}

/**
 * `--set path=value` on a copy of `values`. The path uses helm's syntax: keys
 * separated by dots, `\` escaping the next character (`a\.b` is the key
 * `a.b`), list indexes in brackets (`containers[0].image`, `matrix[1][2]`).
 * Like helm, a path through a scalar or a list where a map is needed (or the
 * other way round) replaces it, an index past the end pads the list with
 * nulls, and a `null` value deletes the key.
 */
export function setValue(values: Values, path: string, value: unknown): Values {
  const segments = parseValuePath(path);
  return assign(values, segments, 0, value) as Values;
}

/**
 * The value half of a `--set` line. With `strings` (helm's `--set-string`,
 * our default) the text is the value. Without, it is read as a YAML 1.2 flow
 * value: `true`, `3`, `1.5`, `null`, `[a, b]`, `{k: v}`; text that is empty or
 * only a comment to YAML (`#fff`) stays a string.
 */
export function parseSetValue(text: string, options: { strings: boolean; label?: string }): unknown {
  if (options.strings) return text;
  const label = options.label ?? `value ${quoteForMessage(text)}`;
  let value: unknown;
  try {
    value = loadYaml(text, { file: label }, { maxBytes: MAX_SET_VALUE_BYTES });
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    const where = error.line === undefined ? '' : ` (line ${error.line}, column ${error.column})`;
    throw new InputError(`${label} is not a valid YAML value: ${error.reason}${where}`);
  }
  return value === undefined ? text : value;
}

/** helm refuses larger indexes so `a[999999999]=x` cannot allocate gigabytes; so do we. */
export const MAX_LIST_INDEX = 65_536;
const MAX_SET_VALUE_BYTES = 1024 * 1024;

/** One step of a value path: a map key or a list index. */
export type ValuePathSegment = { key: string } | { index: number };

/** A `--set` path split into keys and indexes; an InputError names the path and column when it is malformed. */
export function parseValuePath(path: string): ValuePathSegment[] {
  const fail = (problem: string, at: number): never => {
    throw new InputError(`path ${quoteForMessage(path)}: ${problem} at column ${at + 1}`);
  };
  const segments: ValuePathSegment[] = [];
  let i = 0;
  for (;;) {
    let key = '';
    let keyStart = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[') {
      const c = path[i] as string;
      if (c === ']') fail("unexpected ']' (escape it as '\\]' if it is part of the key)", i);
      if (c === '\\') {
        if (i + 1 >= path.length) fail("'\\' at the end escapes nothing", i);
        key += path[i + 1];
        i += 2;
      } else {
        key += c;
        i += 1;
      }
    }
    if (key === '') fail(i >= path.length ? 'a key is missing at the end' : `a key is missing before '${path[i]}'`, keyStart);
    segments.push({ key });
    while (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close === -1) fail("'[' is never closed", i);
      const digits = path.slice(i + 1, close);
      if (!/^[0-9]+$/.test(digits)) fail(`list index must be a number from 0 to ${MAX_LIST_INDEX} (got '${digits}')`, i + 1);
      const index = Number(digits);
      if (index > MAX_LIST_INDEX) fail(`list index ${digits} is over the maximum ${MAX_LIST_INDEX}`, i + 1);
      segments.push({ index });
      i = close + 1;
    }
    if (i >= path.length) return segments;
    if (path[i] !== '.') fail(`expected '.' or '[' after ']' (got '${path[i]}')`, i);
    i += 1;
    keyStart = i;
  }
}

function assign(container: unknown, segments: readonly ValuePathSegment[], at: number, value: unknown): unknown {
  const segment = segments[at] as ValuePathSegment;
  const last = at === segments.length - 1;
  if ('key' in segment) {
    const map: Values = isMap(container) ? { ...container } : {};
    if (last && value === null) delete map[segment.key];
    else defineOwn(map, segment.key, last ? value : assign(ownValue(map, segment.key), segments, at + 1, value));
    return map;
  }
  const list: unknown[] = Array.isArray(container) ? [...container] : [];
  while (list.length <= segment.index) list.push(null);
  list[segment.index] = last ? value : assign(list[segment.index], segments, at + 1, value);
  return list;
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `map[key]` without reaching into the prototype (`constructor`, `__proto__` are ordinary keys in YAML). */
function ownValue(map: Values, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `map[key] = value`, except that `__proto__` becomes a key instead of replacing the prototype. */
function defineOwn(map: Values, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
