import { closest } from './did-you-mean.js';
import { matches, QUANTITY } from './k8s-patterns.js';
import { typeWords, type Node, type ObjectNode, type Pattern } from './schema-dsl.js';
import { childPath } from './value-path.js';

/** One thing wrong with the values, at a JSON path like `containers[0].ports[1].containerPort`. */
export interface ValueProblem {
  path: string;
  message: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type name a user recognises from their YAML. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/**
 * The structural check: everything the JSON Schema says, and nothing else,
 * so an editor and this validator agree (a test holds them to it). Checks
 * that relate several keys to each other live in semantic-checks.ts.
 */
export function checkValues(root: Node, value: unknown): ValueProblem[] {
  const problems: ValueProblem[] = [];
  check(root, value, '', problems, keyIndex(root));
  return problems;
}

type KeyIndex = Map<string, string[]>;

/** The schema is a constant: index it once, not once per render. */
const keyIndexes = new WeakMap<Node, KeyIndex>();

function check(node: Node, value: unknown, path: string, problems: ValueProblem[], index: KeyIndex): void {
  const at = path || 'values';
  const wrongType = (expected = typeWords(node)): void => {
    problems.push({ path: at, message: `expected ${expected}, got ${typeName(value)}${node.typeHint ? ` (${node.typeHint})` : ''}` });
  };
  switch (node.type) {
    case 'string': {
      if (typeof value !== 'string') return wrongType();
      if (node.enum && !node.enum.includes(value)) {
        const guess = closest(value, node.enum);
        problems.push({ path: at, message: `expected ${typeWords(node)}, got '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}` });
      } else if (node.pattern && !matches(node.pattern, value)) {
        problems.push({ path: at, message: notMatching(value, node.pattern) });
      } else if (node.minLength !== undefined && value.length < node.minLength) {
        problems.push({ path: at, message: 'must not be empty' });
      }
      return;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType();
      return checkRange(node, value, at, problems);
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType();
      return;
    case 'int-or-string':
      if (typeof value === 'number' && Number.isInteger(value)) return checkRange(node, value, at, problems);
      if (typeof value === 'string') {
        if (!matches(node.pattern, value)) problems.push({ path: at, message: notMatching(value, node.pattern) });
        return;
      }
      return wrongType();
    case 'quantity':
      if (typeof value === 'number' && Number.isFinite(value)) return;
      if (typeof value === 'string') {
        if (!matches(QUANTITY, value)) problems.push({ path: at, message: notMatching(value, QUANTITY) });
        return;
      }
      return wrongType(`${QUANTITY.what}`);
    case 'array':
      if (!Array.isArray(value)) return wrongType('list');
      if (node.minItems !== undefined && value.length < node.minItems) {
        problems.push({ path: at, message: `needs at least ${node.minItems} ${node.minItems === 1 ? 'entry' : 'entries'}` });
      }
      value.forEach((item, i) => check(node.items, item, childPath(path, i), problems, index));
      return;
    case 'map':
      if (!isPlainObject(value)) return wrongType('object');
      for (const [key, v] of Object.entries(value)) {
        if (v === null) continue;
        if (node.keys && !matches(node.keys, key)) {
          const guess = node.keySuggestions ? closest(key, node.keySuggestions) : undefined;
          problems.push({ path: childPath(path, key), message: `key ${notMatching(key, node.keys)}${guess ? ` (did you mean '${guess}'?)` : ''}` });
          continue;
        }
        check(node.values, v, childPath(path, key), problems, index);
      }
      return;
    case 'object':
      if (!isPlainObject(value)) return wrongType('object');
      return checkObject(node, value, path, problems, index);
  }
}

function checkObject(node: ObjectNode, value: Record<string, unknown>, path: string, problems: ValueProblem[], index: KeyIndex): void {
  const known = Object.keys(node.properties);
  for (const [key, v] of Object.entries(value)) {
    const child = node.properties[key];
    if (!child) {
      problems.push({ path: childPath(path, key), message: unknownKey(key, node, known, index) });
      continue;
    }
    // null unsets a key (helm's layering deletes it), so the chart's default applies; required keys stay required.
    if (v === null && !node.required?.includes(key)) continue;
    check(child, v, childPath(path, key), problems, index);
  }
  for (const key of node.required ?? []) {
    if (value[key] === undefined || value[key] === null) problems.push({ path: childPath(path, key), message: 'is required' });
  }
  const present = (keys: readonly string[]) => keys.filter((k) => value[k] !== undefined && value[k] !== null);
  for (const group of node.exactlyOne ?? []) {
    const set = present(group);
    if (set.length !== 1) {
      problems.push({ path: path || 'values', message: `set exactly one of ${group.join(', ')} (found ${set.length ? set.join(' and ') : 'none'})` });
    }
  }
  for (const group of node.atMostOne ?? []) {
    const set = present(group);
    if (set.length > 1) problems.push({ path: path || 'values', message: `set at most one of ${group.join(', ')} (found ${set.join(' and ')})` });
  }
}

function unknownKey(key: string, node: ObjectNode, known: readonly string[], index: KeyIndex): string {
  const hint = node.unknownKeyHints?.[key];
  if (hint) return hint.startsWith('did you mean') ? `unknown key, ${hint}` : `unknown key: ${hint}`;
  const guess = closest(key, known);
  if (guess) return `unknown key, did you mean '${guess}'?`;
  const elsewhere = index.get(key);
  if (elsewhere?.length) return `unknown key here; '${key}' belongs in ${elsewhere.slice(0, 3).join(', ')}`;
  return `unknown key; expected one of ${known.join(', ')}`;
}

function checkRange(node: { minimum?: number; maximum?: number }, value: number, at: string, problems: ValueProblem[]): void {
  const { minimum: min, maximum: max } = node;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
    problems.push({ path: at, message: `expected an integer ${range}, got ${value}` });
  }
}

function notMatching(text: string, pattern: Pattern): string {
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}' is not ${pattern.what}, e.g. '${pattern.example}'`;
}

/** Where each key name is valid, as schema paths (`containers[].resources`), for "belongs in" hints. */
function keyIndex(root: Node): KeyIndex {
  const known = keyIndexes.get(root);
  if (known) return known;
  const index: KeyIndex = new Map();
  const seen = new Set<Node>();
  const walk = (node: Node, path: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.type === 'object') {
      for (const [key, child] of Object.entries(node.properties)) {
        const p = path ? `${path}.${key}` : key;
        index.set(key, [...(index.get(key) ?? []), p]);
        walk(child, p);
      }
    } else if (node.type === 'array') walk(node.items, `${path}[]`);
    else if (node.type === 'map') walk(node.values, `${path}.<name>`);
  };
  walk(root, '');
  keyIndexes.set(root, index);
  return index;
}
