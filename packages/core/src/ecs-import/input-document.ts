import { InputError } from '../errors/errors.js';
import { isPlainObject } from '../schema/check-values.js';
import { loadYamlWithPositions } from '../yaml/load-yaml.js';
import { excerptAt, locate, type YamlLocation } from '../yaml/yaml-error.js';
import type { YamlPositions } from '../yaml/yaml-positions.js';

/** A task definition is a few KiB; anything near this is not one. */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

/**
 * One file the user gave the importer, parsed: the report names its fields by
 * path in it and points at their line.
 */
export interface InputDocument {
  /** The file as the user named it (messages and the report). */
  file: string;
  value: unknown;
  /** Line and column of a path in the text, for the report. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * The JSON the AWS CLI prints (`describe-task-definition`, `describe-services`)
 * or takes (`register-task-definition --cli-input-json`). Strict JSON first,
 * so a trailing comma or a comment is the error it is for the AWS CLI too,
 * with line and column; then the same text through the bounded YAML loader
 * (JSON is YAML), which refuses duplicate keys that JSON.parse would drop
 * silently and knows where each value was written.
 */
export function readJsonDocument(text: string, file: string): InputDocument {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_INPUT_BYTES) throw new InputError(`${file}: too large for an ECS definition (${bytes} bytes, limit ${MAX_INPUT_BYTES})`);
  if (text.trim() === '') throw new InputError(`${file}: is empty; expected the JSON of an ECS task definition or service`);
  try {
    JSON.parse(text);
  } catch (e) {
    throw jsonSyntaxError(e as Error, text, file);
  }
  return readYamlDocument(text, file);
}

/** docker-compose.yml and ecs-params.yml. */
export function readYamlDocument(text: string, file: string): InputDocument {
  const loaded = loadYamlWithPositions(text, { file }, { maxBytes: MAX_INPUT_BYTES, maxDepth: MAX_DEPTH });
  let positions: YamlPositions | undefined;
  return {
    file,
    value: loaded.value,
    lineOf: (path) => (positions ??= loaded.positions()).locationOf(path)?.line,
  };
}

function jsonSyntaxError(error: Error, text: string, file: string): InputError {
  // V8 says where: "… in JSON at position 42" (Node 20) or "(line 3 column 5)" (Node 22).
  const reason = error.message.replace(/\s*(?:in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON$/, '');
  const position = /at position (\d+)/.exec(error.message);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(error.message);
  let location: YamlLocation | undefined;
  if (position) location = locate(text, Number(position[1]));
  else if (lineColumn) location = { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  else if (/end of JSON input/.test(error.message)) location = locate(text, text.trimEnd().length);
  if (!location) return new InputError(`${file}: not valid JSON: ${reason}`);
  const excerpt = excerptAt(text, location);
  return new InputError(`${file}:${location.line}:${location.column}: not valid JSON: ${reason}${excerpt ? `\n${excerpt}` : ''}`);
}

/** The value as a map, or an InputError naming what it is instead. */
export function expectMap(value: unknown, what: string): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  throw new InputError(`${what} must be a JSON object, got ${got}`);
}
