import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  MONOCHART_DEFAULTS,
  MONOCHART_REFERENCE_FILE,
  MONOCHART_SCHEMA_FILE,
  monochartValuesJsonSchemaText,
  monochartValuesReference,
} from '#core/render/monochart/index.js';
import { checkValues } from '#core/schema/check-values.js';
import { closest, editDistance } from '#core/schema/did-you-mean.js';
import type { Node } from '#core/schema/schema-dsl.js';
import { monochartValuesDescription } from '#core/render/monochart/values-description.js';

/*
 * The JSON Schema editors use and the validator render uses come from one
 * description; these tests hold the committed files to it and check, with an
 * independent reading of the JSON Schema, that both accept and refuse the
 * same values.
 *
 * After changing values-description.ts, regenerate the files with
 *   MONOCHART_WRITE_DOCS=1 npx vitest run test/unit/monochart-schema.test.ts
 */

const WRITE = process.env.MONOCHART_WRITE_DOCS === '1';

describe('generated files are current', () => {
  test.each([
    [MONOCHART_SCHEMA_FILE, monochartValuesJsonSchemaText],
    [MONOCHART_REFERENCE_FILE, monochartValuesReference],
  ])('%s', (file, generate) => {
    if (WRITE) writeFileSync(file, generate());
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk, `${file} is stale: run MONOCHART_WRITE_DOCS=1 npx vitest run test/unit/monochart-schema.test.ts`).toBe(generate());
  });

  test('the reference has a row for every top-level key, with type, default and description', () => {
    const reference = monochartValuesReference();
    for (const key of Object.keys(monochartValuesDescription.properties)) expect(reference).toContain(`| \`${key}\` |`);
    expect(reference).toContain('| `replicas` | integer | `1` | Left out of the workload when autoscaling is enabled: the HPA owns it. |');
    expect(reference).toContain('| `containers[].name` | string (DNS-1123 label) |  | Required. |');
    expect(reference).toContain('| `securityContext.capabilities.drop` | list of string (capability) | `["ALL"]` |  |');
  });
});

// ---- an independent reading of the JSON Schema (the draft-07 keywords the file may use) ----------

type Schema = Record<string, unknown>;
const SCHEMA = JSON.parse(monochartValuesJsonSchemaText()) as Schema;
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'examples', 'definitions']);

function resolve(schema: Schema): Schema {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const name = ref.replace('#/definitions/', '');
  const target = (SCHEMA.definitions as Record<string, Schema>)[name];
  if (!target) throw new Error(`dangling ${ref}`);
  return target;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** True when `value` satisfies `schema`; throws on any keyword it does not know, so the file cannot outgrow this reading. */
function valid(schema: Schema, value: unknown): boolean {
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const obj = isType(value, 'object') ? (value as Record<string, unknown>) : undefined;
    switch (keyword) {
      case '$ref':
        if (!valid(resolve(schema), value)) return false;
        break;
      case 'type':
        if (!(Array.isArray(arg) ? arg : [arg]).some((t) => isType(value, t as string))) return false;
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) return false;
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) return false;
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (arg as number)) return false;
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) return false;
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) return false;
        break;
      case 'items':
        if (Array.isArray(value) && !value.every((v) => valid(arg as Schema, v))) return false;
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) return false;
        break;
      case 'required':
        if (obj && !(arg as string[]).every((k) => Object.prototype.hasOwnProperty.call(obj, k))) return false;
        break;
      case 'properties':
        if (obj) {
          for (const [k, s] of Object.entries(arg as Record<string, Schema>)) if (k in obj && !valid(s, obj[k])) return false;
        }
        break;
      case 'additionalProperties':
        if (obj) {
          const declared = (schema.properties as Record<string, Schema> | undefined) ?? {};
          for (const [k, v] of Object.entries(obj)) {
            if (k in declared) continue;
            if (arg === false || (typeof arg === 'object' && !valid(arg as Schema, v))) return false;
          }
        }
        break;
      case 'propertyNames':
        if (obj && !Object.keys(obj).every((k) => valid(arg as Schema, k))) return false;
        break;
      case 'oneOf':
        if ((arg as Schema[]).filter((s) => valid(s, value)).length !== 1) return false;
        break;
      case 'anyOf':
        if (!(arg as Schema[]).some((s) => valid(s, value))) return false;
        break;
      case 'allOf':
        if (!(arg as Schema[]).every((s) => valid(s, value))) return false;
        break;
      case 'not':
        if (valid(arg as Schema, value)) return false;
        break;
      default:
        throw new Error(`the schema uses '${keyword}', which this reading does not implement`);
    }
  }
  return true;
}

// ---- samples, built from the JSON Schema alone ---------------------------------------------------

/** The smallest value the schema describes: required keys, the first choice of a oneOf, an example for patterns. */
function minimal(raw: Schema): unknown {
  const schema = resolve(raw);
  if (schema.anyOf) return minimal((schema.anyOf as Schema[]).find((s) => s.type !== 'null')!);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const examples = schema.examples as unknown[] | undefined;
  if (schema.enum) return (schema.enum as unknown[]).find((e) => e !== null);
  if (types.includes('object')) {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    const out: Record<string, unknown> = {};
    for (const key of (schema.required as string[] | undefined) ?? []) out[key] = minimal(properties[key]!);
    for (const choice of choices(schema)) if (!choice.some((k) => k in out)) out[choice[0]!] = minimal(properties[choice[0]!]!);
    return out;
  }
  if (types.includes('array')) return Array.from({ length: (schema.minItems as number | undefined) ?? 0 }, () => minimal(schema.items as Schema));
  if (types.includes('integer')) return (schema.minimum as number | undefined) ?? 1;
  if (types.includes('string')) return examples?.[0] ?? 'x';
  if (types.includes('number')) return 1;
  if (types.includes('boolean')) return true;
  throw new Error(`no minimal value for ${JSON.stringify(schema)}`);
}

/** The oneOf groups of an object schema: lists of keys of which exactly one must be set. */
function choices(schema: Schema): string[][] {
  const rules = [schema, ...((schema.allOf as Schema[] | undefined) ?? [])];
  return rules.filter((r) => r.oneOf).map((r) => (r.oneOf as Schema[]).map((s) => (s.required as string[])[0]!));
}

interface Sample {
  path: string;
  value: unknown;
}

/**
 * One valid sample per key the schema declares (each key set on top of the
 * minimal value around it, null included), and for each a wrong-typed and an
 * unknown-key variant that must be refused.
 */
function samples(raw: Schema, path: string): { good: Sample[]; bad: Sample[] } {
  const schema = resolve(raw);
  const good: Sample[] = [{ path: path || '(root)', value: minimal(schema) }];
  const bad: Sample[] = [];
  if (schema.anyOf) {
    const inner = samples((schema.anyOf as Schema[]).find((s) => s.type !== 'null')!, path);
    return { good: [...inner.good, { path: `${path} (null)`, value: null }], bad: inner.bad };
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.includes('object') && schema.properties) {
    const base = minimal(schema) as Record<string, unknown>;
    const groups = choices(schema);
    bad.push({ path: `${path}.zzUnknown`, value: { ...base, zzUnknown: 1 } });
    bad.push({ path: `${path} as a string`, value: 'not an object' });
    for (const [key, child] of Object.entries(schema.properties as Record<string, Schema>)) {
      const around = { ...base };
      for (const g of groups) if (g.includes(key)) for (const other of g) delete around[other];
      const sub = samples(child, `${path}.${key}`);
      // The one choice of a oneOf set to null leaves none: that must be refused.
      const chosen = groups.some((g) => g.includes(key));
      const unsetChoice = (s: Sample) => chosen && s.value === null;
      good.push(...sub.good.filter((s) => !unsetChoice(s)).map((s) => ({ path: s.path, value: { ...around, [key]: s.value } })));
      bad.push(...[...sub.bad, ...sub.good.filter(unsetChoice)].map((s) => ({ path: s.path, value: { ...around, [key]: s.value } })));
    }
  } else if (types.includes('object')) {
    const key = ((schema.propertyNames as Schema | undefined)?.examples as string[] | undefined)?.[0] ?? 'key';
    const sub = samples(schema.additionalProperties as Schema, `${path}.${key}`);
    good.push(...sub.good.map((s) => ({ path: s.path, value: { [key]: s.value } })));
    bad.push(...sub.bad.map((s) => ({ path: s.path, value: { [key]: s.value } })));
    if (schema.propertyNames) bad.push({ path: `${path} with a bad key`, value: { 'Not A Valid Key!': minimal(schema.additionalProperties as Schema) } });
  } else if (types.includes('array')) {
    const sub = samples(schema.items as Schema, `${path}[]`);
    good.push(...sub.good.map((s) => ({ path: s.path, value: [s.value] })));
    bad.push(...sub.bad.map((s) => ({ path: s.path, value: [s.value] })));
    bad.push({ path: `${path} as an object`, value: {} });
  } else {
    bad.push({ path: `${path} as an object`, value: {} });
    if (schema.enum) good.push(...(schema.enum as unknown[]).filter((e) => e !== null).map((e) => ({ path: `${path}=${String(e)}`, value: e })));
    if (schema.enum) bad.push({ path: `${path} outside the enum`, value: 'NotAnEnumValue' });
    if (schema.pattern && types.includes('string')) {
      const mismatch = [' spaces and UPPER ', '../up', 'x'].find((text) => !new RegExp(schema.pattern as string, 'u').test(text));
      bad.push({ path: `${path} not matching`, value: mismatch });
    }
    if (schema.maximum !== undefined) bad.push({ path: `${path} above the maximum`, value: (schema.maximum as number) + 1 });
  }
  return { good, bad };
}

describe('the JSON Schema and the validator agree', () => {
  const { good, bad } = samples(SCHEMA, '');
  const accepted = (value: unknown) => checkValues(monochartValuesDescription, value).length === 0;

  test('there are enough samples to mean something', () => {
    expect(good.length).toBeGreaterThan(1000);
    expect(bad.length).toBeGreaterThan(1000);
  });

  test('every key of the schema is accepted by both', () => {
    const disagreements = good.filter((s) => !valid(SCHEMA, s.value) || !accepted(s.value)).map((s) => `${s.path}: schema ${valid(SCHEMA, s.value)}, validator ${accepted(s.value)}`);
    expect(disagreements).toEqual([]);
  });

  test('every wrong type, unknown key, value outside an enum or pattern is refused by both', () => {
    const disagreements = bad.filter((s) => valid(SCHEMA, s.value) !== accepted(s.value)).map((s) => `${s.path}: schema ${valid(SCHEMA, s.value)}, validator ${accepted(s.value)}`);
    expect(disagreements).toEqual([]);
    expect(bad.filter((s) => valid(SCHEMA, s.value)).map((s) => s.path)).toEqual([]);
  });

  test.each<[string, unknown, boolean]>([
    ['a full container', { containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { port: 'http' } } }] }, true],
    ['a probe with two handlers', { containers: [{ name: 'api', readinessProbe: { httpGet: { port: 80 }, tcpSocket: { port: 80 } } }] }, false],
    ['a probe with none', { containers: [{ name: 'api', readinessProbe: { periodSeconds: 3 } }] }, false],
    ['env value and valueFrom', { containers: [{ name: 'a', env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] }, false],
    ['env valueFrom null', { containers: [{ name: 'a', env: [{ name: 'A', value: 'x', valueFrom: null }] }] }, true],
    ['a required key null', { containers: [{ name: null }] }, false],
    ['nulls unset keys', { replicas: null, service: { type: null, annotations: { a: null } } }, true],
    ['a null list entry', { containers: [null] }, false],
    ['pdb with both budgets', { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, false],
    ['int-or-string as number', { strategy: { maxSurge: 2 } }, true],
    ['int-or-string as a non-integer', { strategy: { maxSurge: 2.5 } }, false],
    ['quantity as number', { containers: [{ name: 'a', resources: { requests: { cpu: 0.5 } } }] }, true],
    ['quantity with a bad unit', { containers: [{ name: 'a', resources: { requests: { memory: '1GB' } } }] }, false],
    ['a 16-character port name', { containers: [{ name: 'a', ports: [{ name: 'abcdefghijklmnop', containerPort: 1 }] }] }, false],
    ['a 64-character label value', { podLabels: { team: 'a'.repeat(64) } }, false],
    ['a hugepages resource', { containers: [{ name: 'a', resources: { limits: { 'hugepages-2Mi': '100Mi', 'nvidia.com/gpu': 1 } } }] }, true],
  ])('%s', (_, value, expected) => {
    expect(valid(SCHEMA, value)).toBe(expected);
    expect(accepted(value)).toBe(expected);
  });

  test('every default and example in the schema satisfies its own schema', () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Schema;
      if ('default' in schema && !valid(schema, schema.default)) problems.push(`${path}: default`);
      for (const example of (schema.examples as unknown[] | undefined) ?? []) if (!valid({ ...schema, examples: undefined }, example)) problems.push(`${path}: example ${String(example)}`);
      for (const [k, v] of Object.entries(schema)) if (k !== 'default' && k !== 'examples' && k !== 'enum') walk(v, `${path}/${k}`);
    };
    walk(SCHEMA, '#');
    expect(problems).toEqual([]);
  });
});

describe('the description itself', () => {
  test('only leaves carry defaults, so defaults merge like values (maps merge, lists replace)', () => {
    const offenders: string[] = [];
    const walk = (node: Node, path: string) => {
      if ((node.type === 'object' || node.type === 'map') && node.default !== undefined) offenders.push(path);
      if (node.type === 'object') for (const [k, child] of Object.entries(node.properties)) walk(child, `${path}.${k}`);
      if (node.type === 'array') walk(node.items, `${path}[]`);
      if (node.type === 'map') walk(node.values, `${path}.<key>`);
    };
    walk(monochartValuesDescription, '');
    expect(offenders).toEqual([]);
  });

  test('MONOCHART_DEFAULTS validates and is stable', () => {
    expect(checkValues(monochartValuesDescription, MONOCHART_DEFAULTS)).toEqual([]);
    expect(Object.keys(MONOCHART_DEFAULTS)).toEqual([
      'kind',
      'replicas',
      'revisionHistoryLimit',
      'strategy',
      'statefulSet',
      'imagePullPolicy',
      'containers',
      'serviceAccount',
      'podSecurityContext',
      'securityContext',
      'service',
      'ingress',
      'autoscaling',
      'podDisruptionBudget',
      'serviceMonitor',
    ]);
  });
});

describe('did you mean', () => {
  test.each([
    ['readinesProbe', ['livenessProbe', 'readinessProbe', 'startupProbe'], 'readinessProbe'],
    ['REPLICAS', ['replicas', 'kind'], 'replicas'],
    ['conatiners', ['containers', 'initContainers'], 'containers'],
    ['xyz', ['replicas', 'kind'], undefined],
    ['replicas', ['replicas'], undefined],
  ])('%s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  test('a swap of neighbours counts once', () => {
    expect(editDistance('conatiners', 'containers')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
