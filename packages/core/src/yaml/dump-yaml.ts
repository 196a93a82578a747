import { DEFAULT_SCALAR_STYLE_RULES, dump, SCALAR_STYLE, visit, type Document, type ScalarLayout, type ScalarStyleRule } from 'js-yaml';
import { isAmbiguousPlainScalar } from './yaml11-ambiguity.js';

export interface DumpYamlOptions {
  /** Sort map keys by UTF-16 code unit, at every level. Default true. */
  sortKeys?: boolean;
}

/**
 * YAML whose bytes depend only on the data: keys sorted, LF line ends,
 * 2-space indent, block style, no line folding, no anchors or aliases (shared
 * objects are written out in full). Multi-line strings become literal blocks
 * (`|`, `|-`, `|+` as their trailing newlines require), so ConfigMap data
 * stays readable in a diff.
 *
 * Strings are quoted whenever a YAML 1.1 reader (Kubernetes, helm) or a 1.2
 * one could read them as anything else: `'no'`, `'on'`, `'0644'`, `'1:30'`,
 * `'2024-01-02'`, `'0X1F'`, `''`. js-yaml's DUMP_SCHEMA quotes most of these
 * already; isAmbiguousPlainScalar covers what it does not.
 *
 * Accepts plain data only (what JSON can hold, plus NaN and ±Infinity):
 * `undefined` map entries are left out and `undefined` list items become null,
 * as JSON.stringify does; anything else (a Date, a Map, a class instance, a
 * function, a cycle) is a bug in the caller and throws a TypeError naming the
 * path.
 */
export function dumpYaml(value: unknown, options: DumpYamlOptions = {}): string {
  if (value === undefined) throw new TypeError('dumpYaml: cannot dump undefined');
  assertPlainData(value, '', new Set());
  return dump(value, {
    indent: 2,
    lineWidth: -1,
    noRefs: true,
    flowLevel: -1,
    quoteStyle: 'single',
    scalarStyleRules: SCALAR_STYLE_RULES,
    ...(options.sortKeys === false ? {} : { transform: sortMappingKeys }),
  });
}

/**
 * A `---`-separated stream, each document dumped by dumpYaml, ending with a
 * single LF; empty for no documents.
 */
export function dumpYamlDocuments(values: readonly unknown[], options: DumpYamlOptions = {}): string {
  return values.map((value) => dumpYaml(value, options)).join('---\n');
}

const hasBit = (mask: number, style: number) => (mask & (1 << style)) !== 0;

const INVISIBLES = /[\t\x7F-\xA0\u2028\u2029\uFEFF\uFFFE\uFFFF]/;
const INVISIBLES_BUT_TAB = /[\x7F-\xA0\u2028\u2029\uFEFF\uFFFE\uFFFF]/;

/**
 * js-yaml double-quotes any string with a tab, which turns a Makefile or a
 * tab-separated file in a ConfigMap into one long "…\n\t…" line. A literal
 * block holds tabs fine, except on the first content line: libyaml and go-yaml
 * detect the block's indentation there and stop at a tab with "found a tab
 * character where an indentation space is expected".
 */
function literalBlocksMayHoldTabs(layout: ScalarLayout): void {
  if (layout.style !== SCALAR_STYLE.PLAIN || !INVISIBLES.test(layout.node.value)) return;
  const value = layout.node.value;
  const firstContentLine = /^\n*([^\n]*)/.exec(value)?.[1] ?? '';
  const blockIsSafe =
    !layout.isKey &&
    value.includes('\n') &&
    !INVISIBLES_BUT_TAB.test(value) &&
    !/^[ \t]*\t/.test(firstContentLine) &&
    hasBit(layout.allowedStylesMask, SCALAR_STYLE.LITERAL_BLOCK);
  layout.style = blockIsSafe ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.DOUBLE_QUOTED;
}

/**
 * js-yaml writes a document that is just a string starting with spaces as a
 * block with an indentation indicator (`|3`), counted from -1 at the top level
 * as YAML 1.2 says; libyaml-based readers (go-yaml, PyYAML) count from 0 and
 * read the string with one leading space fewer. Quote it instead; nested
 * blocks are unaffected.
 */
function noIndentIndicatorAtTopLevel(layout: ScalarLayout): void {
  if (layout.style !== SCALAR_STYLE.PLAIN || layout.parent !== null) return;
  if (layout.node.value.includes('\n') && /^\n* /.test(layout.node.value)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}

/** Quote strings a YAML 1.1 reader would take for a bool, number, null, timestamp or document marker. */
function quoteAmbiguousStrings(layout: ScalarLayout): void {
  if (layout.style !== SCALAR_STYLE.PLAIN || layout.node.tagged) return;
  if (layout.node.tag !== layout.presenterOptions.schema.defaultScalarTag.tagName) return;
  if (!isAmbiguousPlainScalar(layout.node.value)) return;
  layout.style = hasBit(layout.allowedStylesMask, SCALAR_STYLE.SINGLE_QUOTED) ? SCALAR_STYLE.SINGLE_QUOTED : SCALAR_STYLE.DOUBLE_QUOTED;
}

const R = DEFAULT_SCALAR_STYLE_RULES;
const SCALAR_STYLE_RULES: readonly ScalarStyleRule[] = [
  R.applyQuoteFlowKeysOption,
  noIndentIndicatorAtTopLevel,
  literalBlocksMayHoldTabs, // in place of R.doubleQuoteForInvisibles
  R.doubleQuoteWhitespaceOnly,
  R.applyForceQuotesOption,
  R.tryLongOrMultilineAsBlock,
  quoteAmbiguousStrings,
  R.quoteInvalidPlain,
  R.fallbackToDoubleQuoted,
];

/** Keys compared as UTF-16 code units (not localeCompare: the order must not depend on the machine). */
function sortMappingKeys(documents: Document[]): void {
  visit(documents, (node) => {
    if (node.kind !== 'mapping') return;
    node.items.sort((a, b) => {
      const x = a.key.kind === 'scalar' ? a.key.value : '';
      const y = b.key.kind === 'scalar' ? b.key.value : '';
      return x < y ? -1 : x > y ? 1 : 0;
    });
  });
}

function assertPlainData(value: unknown, path: string, onPath: Set<object>): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return;
  if (type !== 'object') throw new TypeError(`dumpYaml: cannot dump a ${type} at ${path || 'the top level'}`);
  const object = value as object;
  const isArray = Array.isArray(object);
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    const kind = (prototype as { constructor?: { name?: string } }).constructor?.name ?? 'non-plain object';
    throw new TypeError(`dumpYaml: cannot dump a ${kind} at ${path || 'the top level'}: only plain objects, arrays and scalars`);
  }
  if (onPath.has(object)) throw new TypeError(`dumpYaml: ${path || 'the top level'} contains itself (a cycle)`);
  onPath.add(object);
  if (isArray) {
    (object as unknown[]).forEach((item, index) => assertPlainData(item, `${path}[${index}]`, onPath));
  } else {
    for (const [key, item] of Object.entries(object)) assertPlainData(item, path ? `${path}.${key}` : key, onPath);
  }
  onPath.delete(object);
}
