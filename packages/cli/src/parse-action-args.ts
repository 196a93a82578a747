import { closest } from '#core/schema/did-you-mean.js';
import { spellings, type InputFlag } from './input-flags.js';
import { UsageError } from './usage-error.js';

export interface ParsedActionArgs {
  help: boolean;
  json: boolean;
  /** Raw input text by input name, as the runner hands it to an action: lists one item per line. */
  inputs: Record<string, string>;
  /** Every secret value read, so no message can show one. */
  secrets: string[];
}

/** Where secrets come from; injected so tests need no real stdin. */
export interface SecretSources {
  env: NodeJS.ProcessEnv;
  readFile(path: string): string;
  readStdin(): Promise<string>;
}

type SecretSource = { from: 'file'; path: string } | { from: 'stdin' };

/** A value that starts with `--` could be a forgotten value followed by the next flag: ask for `--x=--value` instead. */
function isFlagLike(arg: string | undefined): boolean {
  return arg === undefined || arg.startsWith('--');
}

export function secretOnArgvMessage(flag: InputFlag): string {
  return (
    `--${flag.input} is a secret and is not taken from the command line, where anyone on this machine can read it (ps, /proc, shell history). ` +
    `Give it in the environment as ${flag.env}, or with --${flag.input}-file <path> or --${flag.input}-stdin.`
  );
}

/**
 * Turns the arguments of one action command into the raw inputs of that
 * action: `--name value`, `--name=value`, repeated list flags, `--x`,
 * `--x=false` and `--no-x` switches. Secrets never come from argv.
 */
export async function parseActionArgs(
  command: string,
  args: readonly string[],
  flags: readonly InputFlag[],
  sources: SecretSources,
): Promise<ParsedActionArgs> {
  const byInput = new Map(flags.map((f) => [f.input, f]));
  const given = new Map<string, string[]>();
  const secretSources = new Map<string, SecretSource>();
  let help = false;
  let json = false;
  const hint = `run 'gitops-actions ${command} --help' for its flags`;

  const set = (flag: InputFlag, spelled: string, value: string) => {
    const values = given.get(flag.input) ?? [];
    if (values.length > 0 && flag.kind !== 'list') throw new UsageError(`--${flag.input} is given twice (as --${spelled} the second time)`);
    given.set(flag.input, [...values, value]);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      const previous = args[i - 1] ?? '';
      const switchBefore = previous.startsWith('--') && !previous.includes('=') && byInput.get(previous.slice(2))?.kind === 'boolean';
      const because =
        switchBefore && /^(true|false)$/i.test(arg)
          ? ` (a switch takes its value after '=': ${previous}=${arg.toLowerCase()}, or --no-${previous.slice(2)})`
          : arg.startsWith('-') && arg !== '--'
            ? ` (flags are spelled --name; ${hint})`
            : ` (every value belongs to a flag, e.g. --${flags[0]?.input ?? 'name'} <value>; ${hint})`;
      throw new UsageError(`unexpected argument '${arg}'${because}`);
    }

    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (isFlagLike(next)) {
        throw new UsageError(`--${name} needs a value${next === undefined ? '' : ` (a value that starts with '--' is written --${name}=${next})`}`);
      }
      i++;
      return next!;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value (got --${name}=${inline})`);
    };

    if (name === 'json') {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new UsageError(`--json must be true or false (got '${inline}')`);
      json = inline !== 'false';
      continue;
    }

    const flag = byInput.get(name);
    if (flag?.secret) throw new UsageError(secretOnArgvMessage(flag));
    if (flag?.kind === 'boolean') {
      set(flag, name, inline ?? 'true');
      continue;
    }
    if (flag) {
      set(flag, name, value());
      continue;
    }

    const negated = name.startsWith('no-') ? byInput.get(name.slice(3)) : undefined;
    if (negated?.kind === 'boolean' && !negated.secret) {
      noValue();
      set(negated, name, 'false');
      continue;
    }

    const secretFlag = /^(.+)-(file|stdin)$/.exec(name);
    const secret = secretFlag ? byInput.get(secretFlag[1]!) : undefined;
    if (secret?.secret) {
      if (secretSources.has(secret.input)) throw new UsageError(`the secret ${secret.input} is given twice (as --${name} the second time)`);
      if (secretFlag![2] === 'stdin') {
        noValue();
        const other = [...secretSources].find(([, s]) => s.from === 'stdin');
        if (other) throw new UsageError(`only one secret can come from stdin (--${other[0]}-stdin and --${name})`);
        secretSources.set(secret.input, { from: 'stdin' });
      } else {
        secretSources.set(secret.input, { from: 'file', path: value() });
      }
      continue;
    }

    throw new UsageError(`unknown flag --${name} for '${command}'${suggestion(name, flags)}; ${hint}`);
  }

  const inputs: Record<string, string> = {};
  for (const [input, values] of given) inputs[input] = values.join('\n');

  const secrets: string[] = [];
  for (const flag of flags.filter((f) => f.secret)) {
    const source = secretSources.get(flag.input);
    let raw: string | undefined;
    if (source?.from === 'file') {
      try {
        raw = sources.readFile(source.path);
      } catch (e) {
        throw new UsageError(`--${flag.input}-file: cannot read '${source.path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else if (source?.from === 'stdin') {
      raw = await sources.readStdin();
    } else {
      raw = sources.env[flag.env];
    }
    // Files and pipes usually end with a newline that is no part of the secret.
    const secretValue = (raw ?? '').replace(/\r?\n$/, '');
    if (secretValue === '') continue;
    inputs[flag.input] = secretValue;
    secrets.push(secretValue);
  }
  return { help, json, inputs, secrets };
}

function suggestion(name: string, flags: readonly InputFlag[]): string {
  const candidates = new Map<string, string>([['json', '--json'], ['help', '--help']]);
  for (const flag of flags) {
    for (const spelled of spellings(flag)) candidates.set(spelled, `--${spelled}`);
    if (flag.secret) candidates.set(flag.input, `--${flag.input}-file, --${flag.input}-stdin or ${flag.env}`);
  }
  const best = closest(name, [...candidates.keys()]);
  return best === undefined ? '' : ` (did you mean ${candidates.get(best)}?)`;
}
