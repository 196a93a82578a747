import { CORE_SCHEMA, EVENT_ID, getScalarValue, loadAll, mergeTag, parseEvents, SCALAR_STYLE, YAMLException, type Event } from 'js-yaml';
import { assertBoundedExpansion } from './expansion-bound.js';
import { locate, quoteForMessage, YamlError, type YamlLocation } from './yaml-error.js';
import { YamlPositions } from './yaml-positions.js';

/**
 * How much untrusted YAML we agree to read (DESIGN §6). Every field can be
 * overridden per call; callers that know their input pass their own (values
 * files: 4 MiB).
 */
export interface YamlLimits {
  /** Largest input, in UTF-8 bytes. */
  maxBytes: number;
  /**
   * Deepest nesting of maps and lists, counted with aliases expanded:
   * `{a: {b: 1}}` is 2 deep, a scalar document 0.
   */
  maxDepth: number;
  /**
   * Most values (maps, lists and scalars; keys are not counted) in the loaded
   * documents, counted as a consumer walking them sees them: a value reached
   * through N aliases counts N+1 times. This is the alias-bomb bound.
   */
  maxNodes: number;
}

/**
 * 16 MiB fits the rendered output of very large charts (CRD bundles included);
 * 100 levels (js-yaml's own default) leaves room for the deepest CRD schemas,
 * whose openAPIV3Schema nests two levels per property. The node bound is
 * raised to the input's length when that is larger and the caller did not set
 * it: a YAML text cannot hold more values than characters without aliases, so
 * only expansion can ever trip it.
 */
export const DEFAULT_YAML_LIMITS: Readonly<YamlLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 100,
  maxNodes: 1_000_000,
});

/**
 * YAML 1.2 core schema (js-yaml's default): `yes`, `no`, `on`, `off`, `y`, `n`
 * are strings, `0644` is the decimal 644 (octal is `0o644`), `1_000` and `1:30`
 * are strings, no timestamps. A YAML 1.1 reader (go-yaml v2 under
 * sigs.k8s.io/yaml, hence Kubernetes and helm) reads `no` as false and `0644`
 * as 420, which is why dumpYaml quotes every such string.
 *
 * Plus merge keys (`<<: *defaults`): not core schema, but helm and Kubernetes
 * honour them and values files use them; ignoring them would load `<<` as a
 * plain key and silently drop the merged values. js-yaml caps their total
 * (10,000 merged keys per load).
 *
 * No other tags: `!!js/function`, `!!binary`, `!!timestamp`, `!!set`, `!foo`
 * are errors with their location.
 */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * The single document in `text`. A text with no document at all (empty,
 * blank, comments only) gives `undefined`, one whose documents are all empty
 * or `null` (a bare `---`) gives `null`; values-file callers treat both as
 * `{}`. More than one non-empty document is an error at the second one's
 * `---`; empty ones around the document are ignored, as loadYamlDocuments
 * ignores them.
 */
export function loadYaml(text: string, source: { file: string }, limits?: Partial<YamlLimits>): unknown {
  return loadSingle(text, source.file, limits).value;
}

/**
 * loadYaml, plus where each value was written, for messages about the loaded
 * data that point at `file:line:column`. The positions come from a second
 * parse made on the first call of `positions()`, so a caller that finds
 * nothing wrong never pays for it.
 */
export function loadYamlWithPositions(
  text: string,
  source: { file: string },
  limits?: Partial<YamlLimits>,
): { value: unknown; positions: () => YamlPositions } {
  const { value, document } = loadSingle(text, source.file, limits);
  let positions: YamlPositions | undefined;
  const maxDepth = limits?.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth;
  return { value, positions: () => (positions ??= new YamlPositions(text, { document, maxDepth })) };
}

function loadSingle(text: string, file: string, limits?: Partial<YamlLimits>): { value: unknown; document: number } {
  const documents = loadStream(text, file, limits);
  const found = documents.flatMap((document, index) => (document === null ? [] : [index]));
  if (found.length > 1) {
    const second = found[1] as number;
    const location = documentLocation(text, second);
    throw new YamlError(
      file,
      `expected a single YAML document, found ${found.length} (a line '---' starts another one)`,
      location ? { location, text } : undefined,
    );
  }
  if (found.length === 1) return { value: documents[found[0] as number], document: found[0] as number };
  return { value: documents.length > 0 ? null : undefined, document: 0 };
}

/**
 * Every document in a `---`-separated stream (helm and kustomize output,
 * multi-document manifests), skipping empty ones as helm does.
 */
export function loadYamlDocuments(text: string, source: { file: string }, limits?: Partial<YamlLimits>): unknown[] {
  return loadStream(text, source.file, limits).filter((document) => document !== null);
}

function loadStream(text: string, file: string, overrides: Partial<YamlLimits> = {}): unknown[] {
  const limits: YamlLimits = {
    maxBytes: overrides.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes,
    maxDepth: overrides.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth,
    maxNodes: overrides.maxNodes ?? Math.max(DEFAULT_YAML_LIMITS.maxNodes, text.length),
  };
  // UTF-8 never takes fewer bytes than UTF-16 code units, so a long string is refused without measuring it.
  const measured = text.length <= limits.maxBytes;
  const bytes = measured ? Buffer.byteLength(text, 'utf8') : text.length;
  if (bytes > limits.maxBytes) {
    let [size, limit] = [formatSize(bytes), formatSize(limits.maxBytes)];
    if (size === limit) [size, limit] = [`${bytes} bytes`, `${limits.maxBytes} bytes`];
    throw new YamlError(file, `too large: ${measured ? '' : 'at least '}${size} (limit ${limit})`);
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: SCHEMA, maxDepth: parserDepth(limits) });
  } catch (error) {
    throw asYamlError(error, text, file, limits);
  }
  assertBoundedExpansion(documents, limits, file);
  return documents;
}

function asYamlError(error: unknown, text: string, file: string, limits: YamlLimits): unknown {
  if (!(error instanceof YAMLException)) return error; // not the document's fault: a bug, reported as one
  const { mark } = error;
  const reason = error.reason || error.message;
  if (reason === 'duplicated mapping key' && mark) {
    const key = scalarAt(text, mark.position, limits);
    if (key) return new YamlError(file, `duplicate key ${quoteForMessage(key.value)}`, { location: locate(text, key.start), text });
  }
  const explained = explain(reason, limits);
  if (!mark) return new YamlError(file, explained);
  return new YamlError(file, explained, { location: { line: mark.line + 1, column: mark.column + 1 }, text });
}

/** js-yaml's reasons, reworded where ours say more. */
function explain(reason: string, limits: YamlLimits): string {
  if (reason === 'duplicated mapping key') return 'duplicate key';
  const tag = /^unknown (?:scalar |sequence |mapping )?tag !<(.*)>$/.exec(reason);
  if (tag) {
    const name = (tag[1] as string).replace(/^tag:yaml\.org,2002:/, '!!');
    const shown = name.startsWith('!') ? name : `!<${name}>`;
    return `unknown tag ${quoteForMessage(shown)}: only the YAML core schema's plain maps, lists, strings, numbers, booleans and null are accepted`;
  }
  if (/^nesting exceeded maxDepth/.test(reason)) return `nesting deeper than ${limits.maxDepth} levels of maps and lists`;
  return reason;
}

/**
 * The key js-yaml marks as a duplicate (it marks where the key's text starts,
 * inside the quotes for a quoted one), decoded, and where it really starts.
 * Only called on the error path, so re-parsing is affordable.
 */
function scalarAt(text: string, position: number, limits: YamlLimits): { value: string; start: number } | undefined {
  for (const event of safeEvents(text, limits)) {
    if (event.type !== EVENT_ID.SCALAR || event.valueStart !== position) continue;
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    return { value: getScalarValue(text, event), start: quoted ? position - 1 : position };
  }
  return undefined;
}

/**
 * Where the `index`-th document of the stream starts: its `---` line, or its
 * first node when it has none (a bare document after `...`).
 */
function documentLocation(text: string, index: number): YamlLocation | undefined {
  const events = safeEvents(text, { maxDepth: Number.MAX_SAFE_INTEGER - 2 });
  let seen = -1;
  for (let i = 0; i < events.length; i += 1) {
    if (events[i]?.type !== EVENT_ID.DOCUMENT) continue;
    seen += 1;
    if (seen !== index) continue;
    const root = events[i + 1];
    if (!root || root.type === EVENT_ID.POP || root.type === EVENT_ID.DOCUMENT) return undefined;
    const starts = root.type === EVENT_ID.ALIAS ? [root.anchorStart] : [root.anchorStart, root.tagStart, 'start' in root ? root.start : root.valueStart];
    const offset = Math.min(...starts.filter((s) => s >= 0));
    if (!Number.isFinite(offset)) return undefined;
    return locate(text, markerLineBefore(text, offset) ?? offset);
  }
  return undefined;
}

/** The start of the nearest line at or before `offset` that begins with the `---` marker. */
function markerLineBefore(text: string, offset: number): number | undefined {
  let lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  for (;;) {
    if (/^---(?:[ \t\r\n]|$)/.test(text.slice(lineStart, lineStart + 4))) return lineStart;
    if (lineStart === 0) return undefined;
    const previousEnd = lineStart - 1; // the LF that ends the line before
    lineStart = previousEnd === 0 ? 0 : text.lastIndexOf('\n', previousEnd - 1) + 1;
  }
}

/**
 * js-yaml's own depth check guards its recursion, with a count that runs up
 * to two ahead of ours (the document, and a block sequence at the top level,
 * count as levels); assertBoundedExpansion then applies the exact limit.
 */
function parserDepth(limits: { maxDepth: number }): number {
  return limits.maxDepth + 2;
}

function safeEvents(text: string, limits: { maxDepth: number }): Event[] {
  try {
    return parseEvents(text, { maxDepth: parserDepth(limits) });
  } catch {
    return [];
  }
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
