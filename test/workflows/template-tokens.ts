import type { MappingToken, SequenceToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { isMapping, isSequence, isString } from './actions-parser.js';

/** Reading the parser's token tree, which keeps line and column for every value. */

export function field(map: MappingToken | undefined, key: string): TemplateToken | undefined {
  return map?.find(key);
}

export function mappingField(map: MappingToken | undefined, key: string): MappingToken | undefined {
  const value = field(map, key);
  return value && isMapping(value) ? value : undefined;
}

export function sequenceField(map: MappingToken | undefined, key: string): SequenceToken | undefined {
  const value = field(map, key);
  return value && isSequence(value) ? value : undefined;
}

/** A literal string value; undefined when absent or an expression. */
export function stringField(map: MappingToken | undefined, key: string): string | undefined {
  const value = field(map, key);
  return value && isString(value) ? value.value : undefined;
}

/** Keys are literal strings wherever the workflow schema allows a mapping we read. */
export function entries(map: MappingToken | undefined): Array<[string, TemplateToken]> {
  if (!map) return [];
  const out: Array<[string, TemplateToken]> = [];
  for (const pair of map) out.push([pair.key.toString(), pair.value]);
  return out;
}

export function items(seq: SequenceToken | undefined): TemplateToken[] {
  return seq ? [...seq] : [];
}
