/**
 * Whether some YAML reader would take this text, written as a plain
 * (unquoted) scalar, for something other than the same string.
 *
 * The readers that matter read YAML 1.1 or something like it: Kubernetes and
 * helm go through sigs.k8s.io/yaml, i.e. go-yaml v2, whose resolver is
 * modelled here (its keyword table, then for text starting with a digit, sign
 * or dot: a timestamp, `strconv.ParseInt(s, 0, 64)` with every `_` removed,
 * which also takes `0X1F`, `0B1`, `0O17` and `0644`, then a float pattern);
 * PyYAML and the YAML 1.1 spec add sexagesimal `1:30`; YAML 1.2 readers add
 * `0o17`. The test is deliberately generous: quoting a string that did not
 * need it costs two characters, missing one changes data (`no` → false,
 * `0644` → 420).
 *
 * It says nothing about syntax (`a: b`, `#x`, leading `-`): the dumper already
 * quotes what cannot be plain.
 */
export function isAmbiguousPlainScalar(text: string): boolean {
  if (text === '') return true; // null in every schema
  if (KEYWORDS.test(text)) return true;
  if (DOCUMENT_MARKER.test(text)) return true; // `--- x` at column 0 starts a document
  const first = text.charCodeAt(0);
  const numberLike = (first >= 0x30 && first <= 0x39) || text[0] === '-' || text[0] === '+' || text[0] === '.';
  if (!numberLike) return false;
  if (DATE_PREFIX.test(text)) return true;
  const digits = text.replace(/_/g, '');
  return INTEGER.test(digits) || FLOAT.test(digits) || SPECIAL_FLOAT.test(digits) || SEXAGESIMAL.test(digits);
}

/** go-yaml v2's table and the YAML 1.1 spec, in any letter case; `<<` merges, `=` is 1.1's value key. */
const KEYWORDS = /^(?:y|n|yes|no|on|off|true|false|null|~|<<|=)$/i;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:$|[ \t])/;
/** go-yaml v2 tries `2006-1-2` (optionally with a time) on anything with a four-digit year and a dash. */
const DATE_PREFIX = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/;
/** Decimal, leading-zero octal, and Go's 0x / 0o / 0b prefixes in either case. */
const INTEGER = /^[-+]?(?:[0-9]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/;
/** go-yaml v2's yamlStyleFloat; covers YAML 1.2's and 1.1's float forms (`1.`, `.5`, `1e3`, `1.10`). */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^[-+]?\.(?:inf|nan)$/i;
/** YAML 1.1 base 60 (`1:30` is 90), loosened to any digits. */
const SEXAGESIMAL = /^[-+]?[0-9]+(?::[0-9]+)+(?:\.[0-9]*)?$/;
