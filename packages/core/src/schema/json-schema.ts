import { QUANTITY } from './k8s-patterns.js';
import type { Node, ObjectNode } from './schema-dsl.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/**
 * The description as a draft-07 JSON Schema, the dialect editors support best
 * (VS Code's YAML extension reads it through `# yaml-language-server: $schema=`).
 * Only keywords the structural validator implements are emitted, so the two
 * accept and refuse the same values.
 */
export function toJsonSchema(root: ObjectNode, header: { title: string; description: string }): Schema {
  const definitions: Record<string, Schema> = {};
  const owners = new Map<string, Node>();
  const body = emit(root, definitions, owners, true);
  const sorted: Record<string, Json> = {};
  for (const name of Object.keys(definitions).sort()) sorted[name] = definitions[name]!;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: header.title,
    description: header.description,
    ...body,
    definitions: sorted,
  };
}

function emit(node: Node, definitions: Record<string, Schema>, owners: Map<string, Node>, isRoot = false): Schema {
  if (node.type === 'object' && node.definition && !isRoot) {
    const owner = owners.get(node.definition);
    if (owner && owner !== node) throw new Error(`two different nodes are both called '${node.definition}'`);
    if (!owner) {
      owners.set(node.definition, node);
      definitions[node.definition] = emitInline(node, definitions, owners);
    }
    return { $ref: `#/definitions/${node.definition}` };
  }
  return emitInline(node, definitions, owners);
}

function emitInline(node: Node, definitions: Record<string, Schema>, owners: Map<string, Node>): Schema {
  const out: Schema = {};
  const description = [node.description, node.defaultText ? `Default: ${node.defaultText}.` : ''].filter(Boolean).join(' ');
  if (description) out.description = description;
  if (node.default !== undefined) out.default = node.default as Json;
  switch (node.type) {
    case 'string':
      out.type = 'string';
      if (node.enum) out.enum = [...node.enum];
      if (node.pattern) {
        out.pattern = node.pattern.regex;
        out.examples = [node.pattern.example];
      }
      if (node.minLength !== undefined) out.minLength = node.minLength;
      break;
    case 'integer':
      out.type = 'integer';
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'int-or-string':
      out.type = ['integer', 'string'];
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      out.pattern = node.pattern.regex;
      out.examples = [node.pattern.example];
      break;
    case 'quantity':
      out.type = ['string', 'number'];
      out.pattern = QUANTITY.regex;
      out.examples = [QUANTITY.example];
      break;
    case 'array':
      out.type = 'array';
      out.items = emit(node.items, definitions, owners);
      if (node.minItems !== undefined) out.minItems = node.minItems;
      break;
    case 'map':
      out.type = 'object';
      if (node.keys) out.propertyNames = { pattern: node.keys.regex, examples: [node.keys.example] };
      out.additionalProperties = nullable(emit(node.values, definitions, owners));
      break;
    case 'object': {
      out.type = 'object';
      const properties: Record<string, Json> = {};
      for (const [key, child] of Object.entries(node.properties)) {
        const schema = emit(child, definitions, owners);
        properties[key] = node.required?.includes(key) ? schema : nullable(schema);
      }
      out.properties = properties;
      if (node.required?.length) out.required = [...node.required];
      out.additionalProperties = false;
      const rules: Schema[] = [
        ...(node.exactlyOne ?? []).map((keys) => ({ oneOf: keys.map((k) => present([k])) })),
        ...(node.atMostOne ?? []).map((keys) => ({ not: { anyOf: pairs(keys).map(present) } })),
      ];
      if (rules.length === 1) Object.assign(out, rules[0]);
      else if (rules.length > 1) out.allOf = rules;
      break;
    }
  }
  return out;
}

/**
 * A values file may say `key: null` (or leave a value empty) to unset what an
 * earlier file set; helm's layering deletes the key. Scalars and lists take
 * null in their type; objects and maps are wrapped, because their `required`
 * and `oneOf` rules would otherwise misjudge a null.
 */
function nullable(schema: Schema): Schema {
  const type = schema.type;
  const scalar = (t: Json) => t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'array';
  if (typeof type === 'string' ? scalar(type) : Array.isArray(type) && type.every(scalar)) {
    const out: Schema = { ...schema, type: [...(Array.isArray(type) ? type : [type as string]), 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
    return out;
  }
  const { description, default: fallback, ...rest } = schema;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    anyOf: [rest, { type: 'null' }],
  };
}

/** All of `keys` set, and not to null (a null unsets a key). */
function present(keys: readonly string[]): Schema {
  return { required: [...keys], properties: Object.fromEntries(keys.map((k) => [k, { not: { type: 'null' } }])) };
}

function pairs(keys: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) out.push([keys[i]!, keys[j]!]);
  return out;
}
