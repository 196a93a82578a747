import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';
import type { YamlLocation } from './yaml-error.js';

/** A key or list entry in the loaded data, by its keys and list indexes from the document's root. */
export type YamlPath = readonly (string | number)[];

/** Where a value was written: its key (for a map entry) and the value itself. */
export interface YamlPlace {
  key?: YamlLocation;
  value: YamlLocation;
}

/**
 * Where each value of one document was written, for messages that point at
 * `file:line:column` after the data was loaded and checked. A second pass over
 * js-yaml's event stream (the loader itself keeps no positions); callers make
 * it only on the error path, so a valid file never pays for it.
 *
 * Values that came through an alias (`*base`) or a merge key (`<<: *base`)
 * were not written at their path: asking for them gives the closest place that
 * was, the alias or the map that merged them.
 */
export class YamlPositions {
  private readonly places = new Map<string, { key: number; value: number }>();
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    options: { document?: number; maxDepth?: number } = {},
  ) {
    let events: Event[];
    try {
      events = parseEvents(text, { maxDepth: (options.maxDepth ?? 100) + 2 });
    } catch {
      return; // a text that does not parse has no places; callers checked it loads first
    }
    this.record(events, options.document ?? 0);
  }

  /** The place of `path`, or of its closest ancestor that has one (`exact` tells which). */
  find(path: YamlPath): { place: YamlPlace; exact: boolean } | undefined {
    for (let length = path.length; length >= 0; length -= 1) {
      const found = this.places.get(keyOf(path.slice(0, length)));
      if (!found) continue;
      const key = found.key >= 0 ? this.locate(found.key) : undefined;
      // An empty value (`key:` and nothing after it) has no text of its own: its key stands for it.
      const place: YamlPlace = { value: found.value >= 0 ? this.locate(found.value) : (key as YamlLocation) };
      if (key) place.key = key;
      return { place, exact: length === path.length };
    }
    return undefined;
  }

  /**
   * The line a reader looks at for `path`: the key of a map entry, the value
   * of a list entry or of the document itself.
   */
  locationOf(path: YamlPath): YamlLocation | undefined {
    const found = this.find(path);
    return found ? (found.place.key ?? found.place.value) : undefined;
  }

  private record(events: readonly Event[], document: number): void {
    type Frame =
      | { kind: 'document'; record: boolean }
      | { kind: 'map'; path: YamlPath | undefined; key: string | undefined; keyAt: number; awaitingKey: boolean }
      | { kind: 'list'; path: YamlPath | undefined; index: number }
      | { kind: 'skip' };
    const stack: Frame[] = [];
    let documents = -1;
    for (const event of events) {
      if (event.type === EVENT_ID.DOCUMENT) {
        documents += 1;
        stack.push({ kind: 'document', record: documents === document });
        continue;
      }
      if (event.type === EVENT_ID.POP) {
        stack.pop();
        continue;
      }
      const top = stack.at(-1);
      if (!top) continue;
      if (top.kind === 'map' && top.awaitingKey) {
        top.awaitingKey = false;
        // A complex key (a map or list used as a key) cannot be named by a path: skip it and its value.
        top.key = event.type === EVENT_ID.SCALAR ? getScalarValue(this.text, event) : undefined;
        top.keyAt = nodeStart(event);
        if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'skip' });
        continue;
      }
      let path: YamlPath | undefined;
      let keyAt = -1;
      switch (top.kind) {
        case 'document':
          path = top.record ? [] : undefined;
          break;
        case 'map':
          top.awaitingKey = true;
          // `<<` merges its value's keys into this map: they have no path of their own here.
          path = top.path && top.key !== undefined && top.key !== '<<' ? [...top.path, top.key] : undefined;
          keyAt = top.keyAt;
          break;
        case 'list':
          path = top.path ? [...top.path, top.index] : undefined;
          top.index += 1;
          break;
        case 'skip':
          path = undefined;
          break;
      }
      const valueAt = nodeStart(event);
      if (path && (valueAt >= 0 || keyAt >= 0)) this.places.set(keyOf(path), { key: keyAt, value: valueAt });
      if (event.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', path, key: undefined, keyAt: -1, awaitingKey: true });
      else if (event.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'list', path, index: 0 });
    }
  }

  private locate(offset: number): YamlLocation {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function keyOf(path: YamlPath): string {
  return JSON.stringify(path);
}

/**
 * Where a node's text starts: its anchor (`&name`) or tag when it has one, the
 * opening quote of a quoted scalar; -1 for an empty scalar, which has no text.
 * js-yaml's anchor offsets start after the `&` or `*`.
 */
function nodeStart(event: Exclude<Event, { type: typeof EVENT_ID.DOCUMENT | typeof EVENT_ID.POP }>): number {
  if (event.type === EVENT_ID.ALIAS) return Math.max(0, event.anchorStart - 1);
  let start: number;
  if (event.type === EVENT_ID.SCALAR) {
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    start = event.valueStart < 0 ? -1 : quoted ? event.valueStart - 1 : event.valueStart;
  } else start = event.start;
  const starts = [start, event.anchorStart >= 1 ? event.anchorStart - 1 : -1, event.tagStart].filter((s) => s >= 0);
  return starts.length > 0 ? Math.min(...starts) : -1;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
