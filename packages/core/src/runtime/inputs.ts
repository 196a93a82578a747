import type { PipelineStep } from '../config/environment-settings.js';
import { InputError } from '../errors/errors.js';

/**
 * Declared inputs: each action lists its inputs once, with the same names and
 * defaults as its action.yml (a test keeps the two in sync), and gets back one
 * typed object. `default` is the raw action.yml text, so the check can compare.
 *
 * Three layers give an input its value: the workflow's explicit value, then
 * what gitops.yaml sets for the step (the `config` input), then the built-in
 * default. The runner fills in action.yml defaults before the action starts,
 * so an action cannot tell a default from a value the workflow wrote: an
 * input gitops.yaml can set therefore declares `default: ''` in action.yml
 * and carries its built-in default as `fallback`, applied after the file.
 */
interface BaseSpec<T> {
  /** The action.yml default, raw text: what the runner passes when the workflow leaves the input out. */
  readonly default?: string;
  /** The built-in default of an input gitops.yaml can set (action.yml: `default: ''`); applies when neither the workflow nor the file gives one. */
  readonly fallback?: string;
  /**
   * `true`: the workflow must give it (action.yml `required: true`).
   * `'or-config'`: the workflow gives it or gitops.yaml sets it (action.yml `required: false`).
   */
  readonly required?: boolean | 'or-config';
  /** Register the raw value as a secret before anything can print it. */
  readonly secret?: boolean;
  /** This is the `config` input: the gitops.yaml whose settings for this step fill the inputs the workflow leaves out. */
  readonly configFor?: PipelineStep;
  readonly parse: (raw: string, name: string) => T;
}

export type InputSpec<T = unknown> = BaseSpec<T>;
export type InputSpecs = Record<string, InputSpec>;
export type ParsedInputs<S extends InputSpecs> = { [K in keyof S]: S[K] extends InputSpec<infer T> ? T : never };

type Options = { default?: string; fallback?: string; required?: boolean | 'or-config'; secret?: boolean };

/** Input values gitops.yaml sets for a step, by input name, as the text a workflow would pass (configInputs). */
export interface ConfiguredInputs {
  /** The file, as messages name it: `gitops.yaml`, `services/api/gitops.yaml`. */
  readonly file: string;
  readonly inputs: Readonly<Record<string, string>>;
}

function quote(raw: string): string {
  return raw.length > 80 ? `'${raw.slice(0, 77)}...'` : `'${raw}'`;
}

export const input = {
  /** The path of a gitops.yaml, relative to the workspace; its settings for `step` fill the inputs not given. */
  config(step: PipelineStep): InputSpec<string> {
    return { configFor: step, parse: (raw) => raw };
  },

  string(options: Options = {}): InputSpec<string> {
    return { ...options, parse: (raw) => raw };
  },

  /** Multiline list: one item per line; blank lines and `#` comments ignored; commas are kept. */
  list(options: Options = {}): InputSpec<string[]> {
    return { ...options, parse: (raw) => splitLines(raw) };
  },

  boolean(options: Options = {}): InputSpec<boolean> {
    return {
      ...options,
      // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts.
      parse: (raw, name) => {
        if (['true', 'True', 'TRUE'].includes(raw)) return true;
        if (['false', 'False', 'FALSE'].includes(raw)) return false;
        throw new InputError(`input '${name}' must be true or false (got ${quote(raw)})`);
      },
    };
  },

  oneOf<const V extends string>(values: readonly V[], options: Options = {}): InputSpec<V> {
    return {
      ...options,
      parse: (raw, name) => {
        if ((values as readonly string[]).includes(raw)) return raw as V;
        throw new InputError(`input '${name}' must be one of ${values.join(', ')} (got ${quote(raw)})`);
      },
    };
  },

  /** `KEY=VALUE` per line; the value may contain `=`; duplicate keys are an error. */
  keyValues(options: Options = {}): InputSpec<Record<string, string>> {
    return {
      ...options,
      parse: (raw, name) => {
        const out: Record<string, string> = {};
        for (const line of splitLines(raw)) {
          const eq = line.indexOf('=');
          if (eq <= 0) throw new InputError(`input '${name}': each line must be KEY=VALUE (got ${quote(line)})`);
          const key = line.slice(0, eq).trim();
          if (Object.prototype.hasOwnProperty.call(out, key)) {
            throw new InputError(`input '${name}': key '${key}' is given twice`);
          }
          out[key] = line.slice(eq + 1);
        }
        return out;
      },
    };
  },

  integer(options: Options & { min?: number; max?: number } = {}): InputSpec<number> {
    return {
      ...options,
      parse: (raw, name) => {
        const n = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
        const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
        if (!Number.isSafeInteger(n) || n < min || n > max) {
          throw new InputError(`input '${name}' must be a whole number from ${min} to ${max} (got ${quote(raw)})`);
        }
        return n;
      },
    };
  },
};

function splitLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Reads every declared input through `read` (which returns '' for an unset
 * input, as the runner does) and parses it. The value is the explicit one,
 * else the `configured` one (gitops.yaml), else the default, else the
 * fallback. All problems are reported together so a user fixes their
 * workflow in one round.
 */
export function parseInputs<S extends InputSpecs>(
  specs: S,
  read: (name: string) => string,
  registerSecret: (value: string) => void = () => {},
  configured?: ConfiguredInputs,
): ParsedInputs<S> {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const explicit = read(name).trim();
    const fromFile = explicit === '' ? (configured?.inputs[name]?.trim() ?? '') : '';
    const raw = explicit || fromFile || (spec.default ?? '').trim() || (spec.fallback ?? '').trim();
    if (spec.secret && raw) registerSecret(raw);
    if (raw === '' && spec.required) {
      const orFile = spec.required === 'or-config' && configured ? ` (or set it in ${configured.file})` : '';
      problems.push(`input '${name}' is required${orFile}`);
      continue;
    }
    try {
      parsed[name] = spec.parse(raw, name);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // A value the workflow does not show is found where it was written.
      problems.push(fromFile ? `${e.message} (set in ${configured!.file})` : e.message);
    }
  }
  if (problems.length === 1) throw new InputError(problems[0]!);
  if (problems.length > 1) throw new InputError(`${problems.length} inputs are wrong:\n- ${problems.join('\n- ')}`);
  return parsed as ParsedInputs<S>;
}
