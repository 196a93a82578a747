import { isPlainObject } from '../../schema/check-values.js';
import { closest } from '../../schema/did-you-mean.js';
import { LABEL_VALUE, matches, QUALIFIED_NAME, QUANTITY } from '../../schema/k8s-patterns.js';
import { childPath } from '../../schema/value-path.js';
import { model, type FieldType, type Model, type Scalar } from './kube-structure.js';
import type { ObjectProblem } from './object-problem.js';

/**
 * Checks a value against a model the way the API server decodes it with
 * strict field validation (`kubectl --validate=strict`): wrong JSON types,
 * unknown fields and missing required fields are errors. `null` is "not set",
 * as it is for the API server (`creationTimestamp: null` is everywhere in
 * generated manifests). Semantic rules (a Deployment's selector must match its
 * template, ...) are the API server's validation proper and are not repeated.
 */
export function checkStructure(value: Record<string, unknown>, root: Model, problems: ObjectProblem[]): void {
  checkModel(value, root, '', problems);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkModel(value: Record<string, unknown>, m: Model, path: string, problems: ObjectProblem[]): void {
  for (const key in value) {
    const v = value[key];
    const type = m.fields.get(key);
    if (!type) {
      const guess = closest(key, m.fieldNames);
      problems.push({ path, message: `unknown field '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}` });
      continue;
    }
    // A Secret's values never reach the log, not even in an error message.
    const redact = m.name === 'V1Secret' && (key === 'data' || key === 'stringData');
    if (v !== null && v !== undefined) checkValue(v, type, childPath(path, key), problems, redact);
  }
  for (const key of m.required) {
    if (value[key] === undefined || value[key] === null) problems.push({ path, message: `missing required field '${key}'` });
  }
  if (m.name === 'V1ObjectMeta') checkMetadataKeys(value, path, problems);
}

function checkValue(value: unknown, type: FieldType, path: string, problems: ObjectProblem[], redact = false): void {
  switch (type.kind) {
    case 'scalar': {
      const message = scalarProblem(value, type.scalar, redact);
      if (message) problems.push({ path, message });
      return;
    }
    case 'list':
      if (!Array.isArray(value)) {
        problems.push({ path, message: `expected a list, got ${typeWord(value)}` });
        return;
      }
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || item === undefined) problems.push({ path: childPath(path, i), message: 'expected a list entry, got null' });
        else checkValue(item, type.of, childPath(path, i), problems, redact);
      }
      return;
    case 'map':
      if (!isPlainObject(value) || value instanceof Date) {
        problems.push({ path, message: `expected a map, got ${typeWord(value)}` });
        return;
      }
      for (const key in value) {
        const v = value[key];
        if (v !== null && v !== undefined) checkValue(v, type.of, childPath(path, key), problems, redact);
      }
      return;
    case 'model':
      if (!isPlainObject(value) || value instanceof Date) {
        problems.push({ path, message: `expected an object, got ${typeWord(value)}` });
        return;
      }
      checkModel(value, model(type.model), path, problems);
      return;
  }
}

function scalarProblem(value: unknown, scalar: Scalar, redact: boolean): string | undefined {
  const described = (v: unknown): string => (redact ? `${typeWord(v)} (value not shown)` : describedValue(v));
  switch (scalar) {
    case 's':
      if (typeof value === 'string') return undefined;
      if (redact || (typeof value !== 'boolean' && typeof value !== 'number')) return `expected string, got ${described(value)}`;
      return `expected string, got ${described(value)} (quote it: "${String(value)}")`;
    case 'i':
    case 'l':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected integer, got ${described(value)}`;
      if (scalar === 'i' && (value < INT32_MIN || value > INT32_MAX)) return `expected a 32-bit integer, got ${described(value)}`;
      return undefined;
    case 'n':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected number, got ${described(value)}`;
    case 'b':
      return typeof value === 'boolean' ? undefined : `expected boolean, got ${described(value)}`;
    case 'io':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? undefined : `expected integer or string, got ${described(value)}`;
    case 'q':
      if (typeof value === 'number' && Number.isFinite(value)) return undefined;
      if (typeof value === 'string' && matches(QUANTITY, value)) return undefined;
      return `expected ${QUANTITY.what}, got ${described(value)}`;
    case 't':
      // A YAML loader may already have turned an unquoted timestamp into a Date.
      if ((typeof value === 'string' && RFC3339.test(value)) || (value instanceof Date && !Number.isNaN(value.getTime()))) return undefined;
      return `expected an RFC 3339 date-time like '2025-01-31T12:00:00Z', got ${described(value)}`;
    case 'B':
      // Binary data can be long and is often a credential: only its type is shown.
      if (typeof value === 'string') return BASE64.test(value.replace(/[\r\n]/g, '')) ? undefined : 'expected base64-encoded data, got text that is not base64 (value not shown)';
      return `expected base64-encoded data, got ${typeWord(value)}`;
    case 'x':
      return undefined;
  }
}

/** The API server rejects label and annotation keys (and label values) outside these grammars. */
function checkMetadataKeys(meta: Record<string, unknown>, path: string, problems: ObjectProblem[]): void {
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (!isPlainObject(map)) continue;
    const at = childPath(path, field);
    for (const key in map) {
      if (!matches(QUALIFIED_NAME, key)) problems.push({ path: at, message: `key '${key}' is not ${QUALIFIED_NAME.what}` });
      const v = map[key];
      if (field === 'labels' && typeof v === 'string' && !matches(LABEL_VALUE, v)) {
        problems.push({ path: childPath(at, key), message: `'${clip(v)}' is not ${LABEL_VALUE.what}` });
      }
    }
  }
}

/** The value as a user recognises it from their YAML: `string '8080'`, `boolean true`, `a list`. */
function describedValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `string '${clip(value)}'`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'an object';
}

function typeWord(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
