import type { InputSpec, InputSpecs } from '#core/runtime/inputs.js';

/**
 * How one action input is given on the command line. Derived from the
 * action's declared inputs, never written by hand, so a new input is a new
 * flag the moment it is declared.
 */
export interface InputFlag {
  /** The input name, as in action.yml; the flag is `--<input>`. */
  readonly input: string;
  /** `boolean`: --x, --x=true|false, --no-x. `list`: repeatable, joined one per line. `value`: once. */
  readonly kind: 'boolean' | 'list' | 'value';
  /** Never on argv (visible in `ps`): from the environment, a file or stdin. */
  readonly secret: boolean;
  readonly required: boolean;
  readonly default: string;
  /** `GITOPS_ACTIONS_<INPUT_NAME>`: where a secret comes from when no file or stdin is named. */
  readonly env: string;
}

/** Flags every generated command has besides its inputs. */
export const COMMON_FLAGS = ['help', 'json'] as const;

/** `bot-token` → `GITOPS_ACTIONS_BOT_TOKEN`. */
export function secretEnvName(input: string): string {
  return `GITOPS_ACTIONS_${input.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

function attempt(spec: InputSpec, raw: string): { value: unknown } | undefined {
  try {
    return { value: spec.parse(raw, 'probe') };
  } catch {
    return undefined;
  }
}

/**
 * The kind is read from the input's own parser, the one definition of what a
 * value means: an input that parses `true` and `false` to booleans is a
 * switch; one whose empty value is a collection (a list, `KEY=VALUE` lines,
 * a set of mentions) takes one item per flag. Parsers are pure functions of
 * the text, so asking them is safe.
 */
export function flagKind(spec: InputSpec): InputFlag['kind'] {
  if (attempt(spec, 'true')?.value === true && attempt(spec, 'false')?.value === false) return 'boolean';
  const empty = attempt(spec, '')?.value;
  return typeof empty === 'object' && empty !== null ? 'list' : 'value';
}

export function inputFlags(specs: InputSpecs): InputFlag[] {
  const flags = Object.entries(specs).map(([input, spec]) => ({
    input,
    kind: flagKind(spec),
    secret: spec.secret === true,
    required: spec.required === true,
    default: spec.default ?? '',
    env: secretEnvName(input),
  }));
  // Every spelling a flag can take must mean one thing: a clash is a bug in the declaration, caught at start-up and by the tests.
  const seen = new Map<string, string>();
  for (const flag of flags) {
    for (const spelling of new Set([flag.input, ...spellings(flag)])) {
      const owner = seen.get(spelling);
      if (owner !== undefined || (COMMON_FLAGS as readonly string[]).includes(spelling)) {
        throw new Error(`flag --${spelling} of input '${flag.input}' clashes with ${owner ? `input '${owner}'` : 'a common flag'}`);
      }
      seen.set(spelling, flag.input);
    }
  }
  return flags;
}

/** Every `--name` an input answers to. */
export function spellings(flag: InputFlag): string[] {
  if (flag.secret) return [`${flag.input}-file`, `${flag.input}-stdin`];
  if (flag.kind === 'boolean') return [flag.input, `no-${flag.input}`];
  return [flag.input];
}
