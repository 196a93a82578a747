import { InputError } from '../../errors/errors.js';
import { parseSetValue, parseValuePath, type ValuePathSegment } from '../../yaml/merge-values.js';
import { quoteForMessage } from '../../yaml/yaml-error.js';

/**
 * `path=value` lines (the `set` input) as helm flags with exactly the
 * meaning the builtin engine gives them (yaml/values-files.ts): the path in
 * our syntax, the value a string unless `strings` is false.
 *
 * helm reads a flag's text with its own mini-language, where `,` separates
 * assignments, a value starting with `{` is a list and `\` escapes; passed
 * through raw, `url=https://a,b` would become two assignments. So the path
 * is re-spelled from its parsed segments and the value escaped, and the
 * text helm parses always means what the line meant to us.
 *
 * Typed values (`strings: false`) go through `--set-json`: the value is read
 * as YAML by parseSetValue, exactly as the builtin engine reads it, and
 * handed over as JSON, which helm decodes without guessing (`--set` would
 * read `1.10` as a float and `0644` as a string, unlike YAML).
 */
export function helmSetArgs(lines: readonly string[], options: { strings: boolean }): string[] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError(`input 'set': each line must be path.to.key=value (got '${line}')`);
    const path = line.slice(0, eq).trim();
    const text = line.slice(eq + 1);
    const key = helmPath(parseValuePath(path));
    if (options.strings) return `--set-string=${key}=${escapeValue(text)}`;
    const value = parseSetValue(text, { strings: false, label: `input 'set' value of ${quoteForMessage(path)}` });
    assertJsonSafe(value, path);
    return `--set-json=${key}=${JSON.stringify(value)}`;
  });
}

/** A path in helm's key syntax: the characters that end a key there are escaped inside one. */
function helmPath(segments: readonly ValuePathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if ('index' in segment) out += `[${segment.index}]`;
    else out += `${out ? '.' : ''}${segment.key.replace(/[\\=[\],.]/g, '\\$&')}`;
  }
  return out;
}

/** `\` and `,` are escaped everywhere, `{` so that a value is never taken for a `{a,b}` list. */
function escapeValue(text: string): string {
  return text.replace(/[\\,{]/g, '\\$&');
}

/** JSON has no infinities or NaN: JSON.stringify would silently turn YAML's `.inf` into null. */
function assertJsonSafe(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InputError(`input 'set' value of ${quoteForMessage(path)}: ${value} cannot be passed to helm (infinite and NaN numbers have no JSON form); quote it to pass a string`);
  }
  if (Array.isArray(value)) for (const item of value) assertJsonSafe(item, path);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) assertJsonSafe(item, path);
}
