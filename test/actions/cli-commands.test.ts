import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { actionCommands } from '../../packages/cli/src/action-commands.js';
import { TestRepo } from '../harness/git-repo.js';
import { readActionYml, repoRoot } from '../harness/run-bundle.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';

const CLI = join(repoRoot, 'dist', 'cli', 'index.js');
const DIGEST = `sha256:${'4e'.repeat(32)}`;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The bundled CLI in a child process with a clean environment: no GITHUB_* leaks in from a CI running these tests. */
function cli(args: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'cli-cwd-')),
      env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'cli-home-')), ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** `name=value` lines as the CLI prints them; JSON-string values decoded. */
function outputLines(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const eq = line.indexOf('=');
    const value = line.slice(eq + 1);
    out[line.slice(0, eq)] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return out;
}

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack?.close();
});

describe('gitops-actions --help', () => {
  test('lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['version', 'build', 'render', 'commit', 'notify', 'retag']) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(r.stdout).toContain('GITOPS_ACTIONS_TOKEN');
    expect(r.stdout).toMatch(/^ {2}2 {2}the command line is wrong/m);
  });

  test('without a command: the usage on stderr, exit 2; a mistyped command gets a suggestion', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: gitops-actions <command>');
    const typo = await cli(['rendr', '--app', 'x']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("gitops-actions: unknown command 'rendr' (did you mean 'render'?)");
  });

  test.each(actionCommands.map((c) => [c.name, c.action] as const))('%s --help: every input of actions/%s/action.yml with its description', async (name, action) => {
    const r = await cli([name, '--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: gitops-actions ${name} `));
    const yml = readActionYml(action) as ReturnType<typeof readActionYml> & { inputs: Record<string, { description: string }> };
    const flat = r.stdout.replace(/\s+/g, ' ');
    for (const [input, spec] of Object.entries(yml.inputs)) {
      expect(r.stdout, input).toMatch(new RegExp(`^  --${input}[ =[-]`, 'm'));
      expect(flat, input).toContain(spec.description.replace(/\s+/g, ' ').trim());
      // A secret's flags (`--x-file <path> | --x-stdin`) take two lines, the second saying `[required; secret]`.
      if (spec.required) expect(r.stdout, input).toMatch(new RegExp(`^  --${input}\\b.*(\\n.*)?\\[required`, 'm'));
    }
    for (const output of Object.keys(yml.outputs ?? {})) expect(r.stdout).toContain(`\n  ${output}\n`);
    // `help <command>` is the same text, and --help wins over a half-typed command line.
    expect((await cli(['help', name])).stdout).toBe(r.stdout);
    expect(await cli([name, '--no-such-flag', 'x', '-h'])).toEqual({ code: 0, stdout: r.stdout, stderr: '' });
  });

  test('defaults are shown', async () => {
    const r = await cli(['render', '--help']);
    expect(r.stdout).toMatch(/^ {2}--chart <value> {2}\[default: builtin:monochart\]$/m);
    expect(r.stdout).toMatch(/^ {2}--validate\[=true\|false\], --no-validate {2}\[default: true\]$/m);
    expect((await cli(['version', '--help'])).stdout).toMatch(/^ {2}--release-branches <value> {2}\(repeatable\) {2}\[default: main, master\]$/m);
  });
});

describe('gitops-actions render', () => {
  test('renders the builtin monochart, layered values per environment, into the output directory', async () => {
    const app = mkdtempSync(join(tmpdir(), 'cli-app-'));
    mkdirSync(join(app, 'deploy'));
    writeFileSync(join(app, 'deploy', 'values.yaml'), 'replicas: 2\nrevisionHistoryLimit: 5\n');
    writeFileSync(join(app, 'deploy', 'staging.yaml'), 'replicas: 1\n');
    const args = [
      'render',
      '--app', 'verity-api',
      '--environment', 'staging',
      '--values', 'deploy/values.yaml',
      '--values=?deploy/${environment}.yaml',
      '--image', 'ghcr.io/acme/verity-api',
      '--image-digest', DIGEST,
      '--namespace', 'verity',
      '--set', 'imagePullPolicy=Always',
      '--output', 'out',
    ];
    const r = await cli(args, { cwd: app });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('▸ Render verity-api for staging');
    const outputs = outputLines(r.stdout);
    expect(Object.keys(outputs)).toEqual(['path', 'files', 'resources', 'digest', 'image']);
    expect(outputs.path).toBe('out/verity-api--staging');
    expect(outputs.image).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    expect(outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(outputs.files!.split('\n')).toContain('verity-api--staging/monochart/templates/deployment.yaml');
    expect(JSON.parse(outputs.resources!)).toContainEqual({ environment: 'staging', kind: 'Deployment', namespace: 'verity', name: 'verity-api' });

    const deployment = readFileSync(join(app, 'out', 'verity-api--staging', 'monochart', 'templates', 'deployment.yaml'), 'utf8');
    expect(deployment).toContain(`image: ghcr.io/acme/verity-api@${DIGEST}`);
    expect(deployment).toContain('replicas: 1');
    expect(deployment).toContain('revisionHistoryLimit: 5');
    expect(deployment).toContain('imagePullPolicy: Always');

    // Deterministic: the same command gives the same tree digest, and --json carries the same values.
    const again = await cli([...args, '--json'], { cwd: app });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(outputs);
  });

  test('the step failing is exit 1 with its error last on stderr; the outputs are still printed', async () => {
    const app = mkdtempSync(join(tmpdir(), 'cli-app-'));
    const r = await cli(['render', '--app', 'verity-api', '--environment', 'staging', '--values', 'deploy/missing.yaml', '--output', 'out'], { cwd: app });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^error: .*deploy\/missing\.yaml/);
    expect(Object.keys(outputLines(r.stdout))).toEqual(['path', 'files', 'resources', 'digest', 'image']);
    expect(existsSync(join(app, 'out', 'verity-api--staging'))).toBe(false);
  });

  test('a wrong command line is exit 2 and runs nothing', async () => {
    const app = mkdtempSync(join(tmpdir(), 'cli-app-'));
    const typo = await cli(['render', '--app', 'verity-api', '--enviroment', 'staging', '--output', 'out'], { cwd: app });
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain("gitops-actions: unknown flag --enviroment for 'render' (did you mean --environment?)");

    const missing = await cli(['render', '--engine', 'helmm'], { cwd: app });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('3 inputs are wrong');
    expect(missing.stderr).toContain('--app is required');
    expect(missing.stderr).toContain('--environment is required');
    expect(missing.stderr).toContain("--engine must be one of auto, builtin, helm, kustomize (got 'helmm')");

    const badSwitch = await cli(['render', '--app', 'a', '--environment', 'b', '--validate=maybe'], { cwd: app });
    expect(badSwitch.code).toBe(2);
    expect(badSwitch.stderr).toContain("--validate must be true or false (got 'maybe')");
    expect(existsSync(join(app, 'out'))).toBe(false);
  });
});

describe('gitops-actions version', () => {
  test('the next version of a real repository, as lines and as JSON', async () => {
    const repo = TestRepo.create({ branch: 'main' });
    repo.commit('feat: first');
    repo.tag('v1.2.0', { annotated: true });
    repo.commit('fix: a bug');
    const head = repo.commit('feat(api): a feature');

    const r = await cli(['version', '--image', 'ghcr.io/acme/verity-api', '--moving-tags', 'latest'], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('▸ Compute the version');
    const outputs = outputLines(r.stdout);
    expect(outputs).toMatchObject({
      version: '1.3.0',
      tag: 'v1.3.0',
      'previous-version': '1.2.0',
      'previous-tag': 'v1.2.0',
      bump: 'minor',
      'is-release': 'true',
      sha: head,
    });
    expect(outputs['image-tags']!.split('\n')).toEqual(expect.arrayContaining(['ghcr.io/acme/verity-api:1.3.0', 'ghcr.io/acme/verity-api:latest']));
    expect(outputs.changelog).toContain('a feature');

    const json = await cli(['version', '--json', '--tag-prefix=v', '--no-major-on-zero'], { cwd: repo.dir });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual(Object.keys(readActionYml('version').outputs!));
    expect(parsed.version).toBe('1.3.0');
    expect(JSON.parse(parsed.json!)).toMatchObject({ version: '1.3.0', 'previous-version': '1.2.0' });
  });
});

describe('gitops-actions notify: secrets never from argv', () => {
  test.each([['--webhook-url', 'https://hooks.slack.com/services/T0/B0/argv-secret'], ['--webhook-url=https://hooks.slack.com/services/T0/B0/argv-secret']])(
    '%s is refused with exit 2',
    async (...args) => {
      const r = await cli(['notify', '--status', 'success', ...args, '--dry-run']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--webhook-url is a secret and is not taken from the command line');
      expect(r.stderr).toContain('GITOPS_ACTIONS_WEBHOOK_URL');
      expect(r.stderr).not.toContain('argv-secret');
    },
  );

  test('from the environment: a dry run shows the message, never the URL', async () => {
    const url = slack.webhook();
    const before = slack.webhookPosts.length;
    const r = await cli(['notify', '--status', 'success', '--app', 'verity-api', '--environment', 'staging', '--version', '1.3.0', '--dry-run'], {
      env: { GITOPS_ACTIONS_WEBHOOK_URL: url },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('▸ Slack payload (dry run, not sent)');
    const outputs = outputLines(r.stdout);
    expect(outputs.sent).toBe('false');
    expect(JSON.parse(outputs.payload!).text).toContain('verity-api');
    const secretPath = new URL(url).pathname;
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(url);
      expect(text).not.toContain(secretPath);
    }
    expect(slack.webhookPosts.length).toBe(before);
  });

  test('from a file, sent for real to the webhook', async () => {
    const url = slack.webhook();
    const file = join(mkdtempSync(join(tmpdir(), 'cli-secret-')), 'webhook');
    writeFileSync(file, `${url}\n`, { mode: 0o600 });
    const before = slack.webhookPosts.length;
    const r = await cli(['notify', '--status', 'failure', '--app', 'verity-api', '--environment', 'production', '--webhook-url-file', file, '--fail-on-error', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 'true' });
    expect(slack.webhookPosts.length).toBe(before + 1);
    expect(JSON.stringify(slack.webhookPosts.at(-1))).toContain('verity-api');
    expect(r.stdout + r.stderr).not.toContain(new URL(url).pathname);
  });

  test('a bot token from stdin posts through the Web API', async () => {
    const r = await cli(
      ['notify', '--status', 'started', '--app', 'verity-api', '--environment', 'staging', '--bot-token-stdin', '--channel', slack.channel.id, '--api-url', slack.apiUrl],
      { stdin: `${slack.botToken}\n` },
    );
    expect(r.code, r.stderr).toBe(0);
    const outputs = outputLines(r.stdout);
    expect(outputs).toMatchObject({ sent: 'true', channel: slack.channel.id });
    expect(slack.messages.get(outputs.ts!)).toBeDefined();
    expect(r.stdout + r.stderr).not.toContain(slack.botToken);
  });
});
