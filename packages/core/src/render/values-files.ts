import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors/errors.js';
import { loadYaml } from '../yaml/load-yaml.js';
import { mergeValues, parseSetValue, setValue } from '../yaml/merge-values.js';

const MAX_VALUES_BYTES = 4 * 1024 * 1024;

/**
 * The values files that exist, in order, resolved from `base`. A line
 * starting with `?` names a file that may be missing (e.g. an environment
 * without overrides); any other missing file is an error.
 */
export function existingValuesFiles(lines: readonly string[], base: string): { file: string; path: string; size: number }[] {
  const found: { file: string; path: string; size: number }[] = [];
  for (const line of lines) {
    const optional = line.startsWith('?');
    const file = line.slice(optional ? 1 : 0).trim();
    const path = resolve(base, file);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) {
      if (optional) continue;
      throw new InputError(`input 'values': ${file} does not exist (start the line with '?' if it may be missing)`);
    }
    if (!stat.isFile()) throw new InputError(`input 'values': ${file} is not a file`);
    found.push({ file, path, size: stat.size });
  }
  return found;
}

/**
 * The values files, merged in order like helm's (maps merge, lists replace),
 * then the `set` overrides.
 */
export function loadValues(files: readonly string[], sets: readonly string[], base: string): { values: Record<string, unknown>; used: string[] } {
  let values: Record<string, unknown> = {};
  const used: string[] = [];
  for (const { file, path, size } of existingValuesFiles(files, base)) {
    if (size > MAX_VALUES_BYTES) throw new InputError(`input 'values': ${file} is ${size} bytes, over the ${MAX_VALUES_BYTES} limit`);
    const loaded = loadYaml(readFileSync(path, 'utf8'), { file }, { maxBytes: MAX_VALUES_BYTES });
    if (loaded === undefined || loaded === null) {
      used.push(file);
      continue;
    }
    if (typeof loaded !== 'object' || Array.isArray(loaded)) throw new InputError(`${file}: values must be a map at the top level`);
    values = mergeValues(values, loaded as Record<string, unknown>) as Record<string, unknown>;
    used.push(file);
  }
  for (const line of sets) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError(`input 'set': each line must be path.to.key=value (got '${line}')`);
    values = setValue(values, line.slice(0, eq).trim(), parseSetValue(line.slice(eq + 1), { strings: true })) as Record<string, unknown>;
  }
  return { values, used };
}
