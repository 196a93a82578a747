import { isPlainObject } from './check-values.js';
import type { Node } from './schema-dsl.js';

/**
 * Values with the description's defaults applied, in a canonical shape:
 * object keys in the description's order, map keys sorted, list entries as
 * given. A default fills an absent key; `null` counts as absent, as after
 * helm's layering, where a null deletes the key. Only leaves carry defaults,
 * so this is exactly "maps merge, lists replace" with the defaults
 * underneath. The canonical order is what makes the rendered output
 * independent of the order keys were written in.
 *
 * Expects values that passed checkValues.
 */
export function applyDefaults(node: Node, value: unknown): unknown {
  switch (node.type) {
    case 'object': {
      const given = isPlainObject(value) ? value : {};
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node.properties)) {
        const v = given[key];
        if (v !== undefined && v !== null) out[key] = applyDefaults(child, v);
        // Only objects and lists need a copy: the result is the caller's to change.
        else if (child.default !== undefined) out[key] = applyDefaults(child, typeof child.default === 'object' ? structuredClone(child.default) : child.default);
        else if (child.type === 'object' && child.group) out[key] = applyDefaults(child, {});
      }
      return out;
    }
    case 'map': {
      const given = isPlainObject(value) ? value : {};
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(given).sort(compareText)) {
        if (given[key] !== null && given[key] !== undefined) out[key] = applyDefaults(node.values, given[key]);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => applyDefaults(node.items, item)) : value;
    default:
      return value;
  }
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
