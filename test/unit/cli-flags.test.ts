import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { input, type InputSpecs } from '#core/runtime/inputs.js';
import { actionCommands } from '../../packages/cli/src/action-commands.js';
import { commandHelp, wrap } from '../../packages/cli/src/command-help.js';
import { actionDocs } from '../../packages/cli/src/generated/action-docs.js';
import { flagKind, inputFlags, secretEnvName, spellings } from '../../packages/cli/src/input-flags.js';
import { parseActionArgs, type SecretSources } from '../../packages/cli/src/parse-action-args.js';
import { formatOutputs } from '../../packages/cli/src/print-outputs.js';
import { UsageError } from '../../packages/cli/src/usage-error.js';
import { readActionYml, repoRoot } from '../harness/run-bundle.js';

describe('every action is a command whose flags are exactly its action.yml inputs', () => {
  test('every action folder has a command', () => {
    const folders = readdirSync(join(repoRoot, 'actions'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(actionCommands.map((c) => c.action).sort()).toEqual(folders);
    expect(actionCommands.map((c) => c.name)).toEqual(['version', 'build', 'render', 'commit', 'notify', 'pipeline', 'promote', 'wait', 'verify']);
  });

  describe.each(actionCommands.map((c) => [c.name, c] as const))('%s', (_name, command) => {
    const yml = readActionYml(command.action);
    const flags = inputFlags(command.inputs);

    test('one flag per input, in the declared order, and nothing else', () => {
      expect(flags.map((f) => f.input).sort()).toEqual(Object.keys(yml.inputs ?? {}).sort());
      expect([...command.outputs].sort()).toEqual(Object.keys(yml.outputs ?? {}).sort());
    });

    test('required and default as action.yml says', () => {
      for (const flag of flags) {
        const declared = yml.inputs![flag.input]!;
        expect(flag.required, flag.input).toBe(declared.required === true);
        expect(flag.default, flag.input).toBe(declared.default === undefined ? '' : String(declared.default));
      }
    });

    test('an input with a true/false default is a switch, and only those', () => {
      for (const flag of flags) {
        const declared = String(yml.inputs![flag.input]!.default || command.inputs[flag.input]!.fallback || '');
        expect(flag.kind === 'boolean', flag.input).toBe(declared === 'true' || declared === 'false');
      }
    });

    test('anything that looks like a credential is a secret', () => {
      for (const flag of flags) {
        if (/token|password|secret|webhook-url|ssh-key$/.test(flag.input)) expect(flag.secret, flag.input).toBe(true);
      }
    });

    test('help documents every flag and output from action.yml', () => {
      const docs = actionDocs[command.action]!;
      expect(Object.keys(docs.inputs).sort()).toEqual(flags.map((f) => f.input).sort());
      const help = commandHelp(command, flags);
      for (const flag of flags) expect(help).toContain(`--${spellings(flag)[0]}`);
      for (const name of command.outputs) expect(help).toContain(`\n  ${name}\n`);
      for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    });
  });

  test('the secrets are the credentials the actions declare', () => {
    const secrets = actionCommands.flatMap((c) => inputFlags(c.inputs).filter((f) => f.secret).map((f) => `${c.name}:${f.input}`));
    expect(secrets.sort()).toEqual([
      'build:password',
      'build:secrets',
      'commit:ssh-key',
      'commit:token',
      'notify:bot-token',
      'notify:webhook-url',
      'pipeline:argocd-token',
      'pipeline:gitops-ssh-key',
      'pipeline:gitops-token',
      'pipeline:registry-password',
      'pipeline:slack-bot-token',
      'pipeline:slack-webhook-url',
      'promote:from-gitops-token',
      'promote:gitops-token',
      'promote:registry-password',
      'promote:slack-bot-token',
      'promote:slack-webhook-url',
      'verify:gitops-token',
      'verify:slack-bot-token',
      'verify:slack-webhook-url',
      'wait:argocd-token',
    ]);
  });

  test('the generated descriptions match action.yml (npm run check:cli-docs)', () => {
    expect(() => execFileSync(process.execPath, [join(repoRoot, 'scripts', 'generate-cli-docs.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('flag kinds come from the input parsers', () => {
  test('switches, lists and single values', () => {
    expect(flagKind(input.boolean({ default: 'false' }))).toBe('boolean');
    expect(flagKind(input.list())).toBe('list');
    expect(flagKind(input.keyValues())).toBe('list');
    expect(flagKind(input.string())).toBe('value');
    expect(flagKind(input.integer({ default: '3' }))).toBe('value');
    expect(flagKind(input.oneOf(['true', 'false', 'auto']))).toBe('value');
  });

  test('a declaration whose flags would clash is refused', () => {
    expect(() => inputFlags({ json: input.string() })).toThrow(/--json/);
    expect(() => inputFlags({ cache: input.boolean(), 'no-cache': input.string() })).toThrow(/--no-cache/);
    expect(() => inputFlags({ token: input.string({ secret: true }), 'token-file': input.string() })).toThrow(/--token-file/);
  });

  test('secret environment names', () => {
    expect(secretEnvName('bot-token')).toBe('GITOPS_ACTIONS_BOT_TOKEN');
    expect(secretEnvName('token')).toBe('GITOPS_ACTIONS_TOKEN');
  });
});

const specs: InputSpecs = {
  app: input.string({ required: true }),
  environment: input.list({ required: true }),
  set: input.keyValues(),
  validate: input.boolean({ default: 'true' }),
  message: input.string(),
  token: input.string({ secret: true }),
  'bot-token': input.string({ secret: true }),
};
const flags = inputFlags(specs);

function sources(over: Partial<SecretSources> = {}): SecretSources {
  return {
    env: {},
    readFile: (path) => {
      throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
    },
    readStdin: async () => {
      throw new Error('stdin not expected');
    },
    ...over,
  };
}

const parse = (args: string[], over: Partial<SecretSources> = {}) => parseActionArgs('render', args, flags, sources(over));

async function usageError(args: string[], over: Partial<SecretSources> = {}): Promise<string> {
  const error = await parse(args, over).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

describe('parseActionArgs', () => {
  test('--name value and --name=value; lists repeat and join one per line', async () => {
    const r = await parse(['--app', 'verity-api', '--environment=staging', '--environment', 'production', '--set', 'a=1', '--set=b=x=y']);
    expect(r.inputs).toEqual({ app: 'verity-api', environment: 'staging\nproduction', set: 'a=1\nb=x=y' });
    expect(r).toMatchObject({ help: false, json: false, secrets: [] });
  });

  test('switches: --x, --x=true|false, --no-x', async () => {
    expect((await parse(['--validate'])).inputs.validate).toBe('true');
    expect((await parse(['--validate=false'])).inputs.validate).toBe('false');
    expect((await parse(['--no-validate'])).inputs.validate).toBe('false');
    // The action's own parser judges the value (exit 2 later, in its words).
    expect((await parse(['--validate=maybe'])).inputs.validate).toBe('maybe');
    expect(await usageError(['--validate', 'false'])).toContain('--validate=false, or --no-validate');
    expect(await usageError(['--no-validate=true'])).toContain('takes no value');
  });

  test('--json and --help', async () => {
    expect(await parse(['--json', '-h'])).toMatchObject({ json: true, help: true });
    expect((await parse(['--json=false'])).json).toBe(false);
    expect(await usageError(['--json=yes'])).toContain('--json must be true or false');
  });

  test('a value is needed, once, and one starting with -- is written with =', async () => {
    expect(await usageError(['--app'])).toBe('--app needs a value');
    expect(await usageError(['--message', '--app', 'x'])).toContain("written --message=--app");
    expect((await parse(['--message=--app'])).inputs.message).toBe('--app');
    expect((await parse(['--message', '-1'])).inputs.message).toBe('-1');
    expect(await usageError(['--app', 'a', '--app=b'])).toContain('--app is given twice');
    expect(await usageError(['--validate', '--no-validate'])).toContain('--validate is given twice');
  });

  test('unknown flags and stray arguments are usage errors with a suggestion', async () => {
    expect(await usageError(['--enviroment', 'staging'])).toBe(
      "unknown flag --enviroment for 'render' (did you mean --environment?); run 'gitops-actions render --help' for its flags",
    );
    expect(await usageError(['--tokn'])).toContain('did you mean --token-file, --token-stdin or GITOPS_ACTIONS_TOKEN?');
    expect(await usageError(['--frobnicate'])).not.toContain('did you mean');
    expect(await usageError(['verity-api'])).toContain("unexpected argument 'verity-api'");
    expect(await usageError(['-x'])).toContain("unexpected argument '-x' (flags are spelled --name");
    expect(await usageError(['--', '--app'])).toContain("unexpected argument '--'");
  });

  test('a secret on argv is refused without echoing it', async () => {
    for (const args of [['--token', 'ghp_s3cr3t'], ['--token=ghp_s3cr3t']]) {
      const message = await usageError(args);
      expect(message).toContain('GITOPS_ACTIONS_TOKEN');
      expect(message).toContain('--token-file <path> or --token-stdin');
      expect(message).not.toContain('ghp_s3cr3t');
    }
  });

  test('secrets from the environment, a file or stdin; a file or stdin wins over the environment', async () => {
    const env = { GITOPS_ACTIONS_TOKEN: 'from-env', GITOPS_ACTIONS_BOT_TOKEN: '' };
    expect((await parse([], { env })).inputs).toEqual({ token: 'from-env' });
    const files: Record<string, string> = { '/run/token': 'from-file\n' };
    const r = await parse(['--token-file', '/run/token', '--bot-token-stdin'], { env, readFile: (p) => files[p]!, readStdin: async () => 'xoxb-piped\r\n' });
    expect(r.inputs).toEqual({ token: 'from-file', 'bot-token': 'xoxb-piped' });
    expect(r.secrets.sort()).toEqual(['from-file', 'xoxb-piped']);
    expect(await usageError(['--token-file', '/nope'])).toBe("--token-file: cannot read '/nope': ENOENT");
    expect(await usageError(['--token-stdin', '--bot-token-stdin'])).toContain('only one secret can come from stdin');
    expect(await usageError(['--token-stdin', '--token-file=/run/token'])).toContain('given twice');
  });
});

describe('output lines', () => {
  test('name=value; a line break or a leading quote becomes a JSON string', () => {
    expect(formatOutputs({ version: '1.4.0', tags: '1.4.0\nsha-abc', empty: '', quoted: '"x"', json: '{"a":1}' }, false)).toEqual([
      'version=1.4.0',
      'tags="1.4.0\\nsha-abc"',
      'empty=',
      'quoted="\\"x\\""',
      'json={"a":1}',
    ]);
    expect(formatOutputs({ a: '1', b: 'x\ny' }, true)).toEqual(['{"a":"1","b":"x\\ny"}']);
  });

  test('help text wraps at 80 columns and keeps written line breaks', () => {
    expect(wrap('one two three four', '  ', 12)).toBe('  one two\n  three four');
    expect(wrap('a\nb', '')).toBe('a\nb');
  });
});
