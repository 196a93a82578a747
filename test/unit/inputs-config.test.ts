import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { input } from '#core/runtime/inputs.js';
import { readInputs } from '#core/runtime/run-action.js';

/** readInputs: the one place every action and the CLI read gitops.yaml through their `config` input. */

const CONFIG = `app: verity-api
image: ghcr.io/acme/verity-api
values: [deploy/values.yaml]
namespace: verity
render: { kube-version: '1.31' }
environments:
  staging:
    gitops: { repository: acme/stage-gitops }
  production:
    gitops: { repository: acme/prod-gitops, mode: pull-request }
  preview: {}
`;

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'inputs-config-'));
  workspaces.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const render = {
  config: input.config('render'),
  app: input.string({ required: 'or-config' }),
  environment: input.list({ required: true }),
  values: input.list(),
  chart: input.string({ fallback: 'builtin:monochart' }),
  namespace: input.string(),
  'kube-version': input.string({ fallback: '1.32' }),
  validate: input.boolean({ fallback: 'true' }),
};

const commit = {
  config: input.config('commit'),
  environment: input.string(),
  repository: input.string({ required: 'or-config' }),
  mode: input.oneOf(['push', 'pull-request'], { fallback: 'push' }),
  token: input.string({ secret: true }),
};

async function read<S extends Parameters<typeof readInputs>[0]>(specs: S, values: Record<string, string>, files: Record<string, string> = {}) {
  const lines: string[] = [];
  const ws = workspace({ 'gitops.yaml': CONFIG, 'deploy/values.yaml': '{}\n', ...files });
  const inputs = await readInputs(specs, { read: (name) => values[name] ?? '', workspace: ws, log: (line) => lines.push(line) });
  return { inputs, lines };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

describe('readInputs', () => {
  test('no config: the inputs and the built-in defaults, and the config code is not consulted', async () => {
    const { inputs, lines } = await read(render, { app: 'x', environment: 'staging' });
    expect(inputs).toMatchObject({ app: 'x', chart: 'builtin:monochart', 'kube-version': '1.32', validate: true, values: [] });
    expect(lines).toEqual([]);
  });

  test("the file's settings for the environment fill what the workflow left out; the workflow's win", async () => {
    const { inputs, lines } = await read(render, { config: 'gitops.yaml', environment: 'production', namespace: 'other' });
    expect(inputs).toEqual({
      config: 'gitops.yaml',
      app: 'verity-api',
      environment: ['production'],
      values: ['deploy/values.yaml'],
      chart: 'builtin:monochart',
      namespace: 'other',
      'kube-version': '1.31',
      validate: true,
    });
    expect(lines).toEqual(['gitops.yaml for production: app, values, kube-version (given as inputs, so not from the file: namespace)']);
  });

  test('commit: the environment picks its repository and mode; an explicit repository stands in for a missing one', async () => {
    expect((await read(commit, { config: 'gitops.yaml', environment: 'production' })).inputs).toMatchObject({ repository: 'acme/prod-gitops', mode: 'pull-request' });
    expect((await read(commit, { config: 'gitops.yaml', environment: 'staging', mode: 'push' })).inputs).toMatchObject({ repository: 'acme/stage-gitops', mode: 'push' });
    expect((await read(commit, { config: 'gitops.yaml', environment: 'preview', repository: 'acme/preview' })).inputs).toMatchObject({ repository: 'acme/preview', mode: 'push' });
    expect(await failure(read(commit, { config: 'gitops.yaml', environment: 'preview' }))).toMatch(
      /^gitops\.yaml:\d+:\d+: environments\.preview: environment 'preview' has no GitOps repository to commit to/,
    );
  });

  test('the environment: needed, known to the file, and one per step', async () => {
    expect(await failure(read(commit, { config: 'gitops.yaml' }))).toBe(
      "input 'environment' is required with 'config': which environment of gitops.yaml (preview, production, staging)?",
    );
    expect(await failure(read(commit, { config: 'gitops.yaml', environment: 'stagin' }))).toBe(
      "gitops.yaml has no environment 'stagin', did you mean 'staging'? (environments: preview, production, staging)",
    );
    expect(await failure(read(render, { config: 'gitops.yaml', environment: 'staging\nproduction' }))).toBe(
      "input 'environment': with 'config', give one environment per step (got staging, production); each has its own settings in gitops.yaml",
    );
  });

  test('the file: inside the workspace, present, and valid, with file:line', async () => {
    expect(await failure(read(render, { config: 'nope.yaml', environment: 'staging' }))).toMatch(/^nope\.yaml does not exist in the workspace /);
    expect(await failure(read(render, { config: '../gitops.yaml', environment: 'staging' }))).toMatch(/must be a file inside the workspace/);
    expect(await failure(read(render, { config: 'bad.yaml', environment: 'staging' }, { 'bad.yaml': 'app: verity-api\nenvironments:\n  staging: { namespce: x }\n' }))).toMatch(
      /^bad\.yaml:3:14: environments\.staging\.namespce: .*did you mean 'namespace'/,
    );
    const ws = workspace({ 'gitops.yaml': CONFIG });
    expect(await failure(readInputs(render, { read: (name) => ({ config: 'gitops.yaml', environment: 'staging' })[name] ?? '', workspace: ws }))).toMatch(
      /^gitops\.yaml:3:\d+: values\[0\]: deploy\/values\.yaml does not exist/,
    );
  });

  test('a secret input is never handed to the config layer', async () => {
    const secrets: string[] = [];
    const ws = workspace({ 'gitops.yaml': CONFIG });
    const values: Record<string, string> = { config: 'gitops.yaml', environment: 'staging', token: 'ghs_secret' };
    const inputs = await readInputs(commit, { read: (name) => values[name] ?? '', workspace: ws, registerSecret: (s) => secrets.push(s) });
    expect(inputs.token).toBe('ghs_secret');
    expect(secrets).toEqual(['ghs_secret']);
  });
});
