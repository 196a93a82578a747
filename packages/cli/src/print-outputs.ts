/**
 * A step's outputs on stdout, for scripts: one `name=value` line each, so
 * `sed -n 's/^digest=//p'` or `eval`-free parsing works; a value that would
 * break the line format (a line break) or be mistaken for an encoded one (a
 * leading `"`) is written as a JSON string instead. `--json` gives one JSON
 * object of strings, exactly the values the action would set.
 */
export function formatOutputs(outputs: Readonly<Record<string, string>>, json: boolean): string[] {
  if (json) return [JSON.stringify(outputs)];
  return Object.entries(outputs).map(([name, value]) => `${name}=${/[\r\n\u2028\u2029]|^"/.test(value) ? JSON.stringify(value) : value}`);
}
