import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';

export const repoRoot = resolve(import.meta.dirname, '../..');

interface ActionYml {
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>;
  outputs?: Record<string, unknown>;
  runs: { using: string; main: string };
}

export function readActionYml(name: string, actionDir = join(repoRoot, 'actions', name)): ActionYml {
  return load(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionYml;
}

/** The simulated `github` context; every field has a realistic default. */
export interface SimulatedContext {
  eventName: string;
  ref: string;
  headRef: string;
  sha: string;
  repository: string;
  actor: string;
  token: string;
  serverUrl: string;
  /** GITHUB_API_URL: point it at a stand-in API server. */
  apiUrl: string;
  runId: string;
  payload: Record<string, unknown>;
}

export interface RunBundleOptions {
  /** `with:` values; names must be declared in action.yml, as the runner warns otherwise. */
  inputs?: Record<string, string>;
  context?: Partial<SimulatedContext>;
  /** GITHUB_WORKSPACE and the process's cwd; a fresh empty directory by default. */
  workspace?: string;
  /** Extra environment (e.g. PATH shims). */
  env?: Record<string, string>;
  /** The folder holding action.yml; `actions/<name>` by default (tests of the harness use a fixture). */
  actionDir?: string;
}

export interface BundleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  envFile: string;
  stateFile: string;
  /** The environment the step ran with (RUNNER_TEMP and friends). */
  env: Record<string, string>;
  /** `::error::` messages, decoded as the runner decodes them. */
  errors: string[];
  workspace: string;
}

/** Resolves `${{ github.x }}` in defaults as the runner would; anything else is a harness error. */
function resolveExpression(text: string, ctx: SimulatedContext): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const map: Record<string, string> = {
      'github.token': ctx.token,
      'github.repository': ctx.repository,
      'github.sha': ctx.sha,
      'github.ref': ctx.ref,
      'github.head_ref': ctx.headRef,
      'github.event_name': ctx.eventName,
      'github.actor': ctx.actor,
      'github.server_url': ctx.serverUrl,
      'github.run_id': ctx.runId,
      'github.workspace': '',
    };
    if (!(expr in map)) throw new Error(`harness cannot resolve expression \${{ ${expr} }}`);
    return map[expr]!;
  });
}

/** Parses GITHUB_OUTPUT the way the runner does: `name=value` lines and `name<<DELIM` heredocs. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`output ${name}: heredoc delimiter ${delimiter} never closed`);
      out[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed GITHUB_OUTPUT line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function decodeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The runner's side of one step: its environment and files, ready to run the bundle (repeatedly, for benchmarks). */
export interface PreparedStep {
  bundle: string;
  env: Record<string, string>;
  workspace: string;
  files: { output: string; summary: string; env: string; state: string; event: string; path: string };
  /** Empties the per-step files, as a fresh step starts. */
  reset(): void;
  outputs(): Record<string, string>;
}

/**
 * Builds the environment the Actions runner gives a node action: inputs as
 * INPUT_* with action.yml defaults applied, the runner's files and variables,
 * and nothing leaked from the test process (which may itself run inside
 * GitHub Actions).
 */
export function prepareStep(name: string, options: RunBundleOptions = {}): PreparedStep {
  const actionDir = options.actionDir ?? join(repoRoot, 'actions', name);
  const action = readActionYml(name, actionDir);
  const bundle = resolve(actionDir, action.runs.main);
  if (!existsSync(bundle)) throw new Error(`${bundle} does not exist: run npm run build`);

  const base = mkdtempSync(join(tmpdir(), `gha-${name}-`));
  const workspace = options.workspace ?? join(base, 'workspace');
  const runnerTemp = join(base, 'runner-temp');
  const toolCache = join(base, 'tool-cache');
  const home = join(base, 'home');
  for (const dir of [workspace, runnerTemp, toolCache, home]) mkdirSync(dir, { recursive: true });
  const files = {
    output: join(runnerTemp, 'output'),
    summary: join(runnerTemp, 'step-summary'),
    env: join(runnerTemp, 'env'),
    state: join(runnerTemp, 'state'),
    event: join(runnerTemp, 'event.json'),
    path: join(runnerTemp, 'path'),
  };
  const ctx: SimulatedContext = {
    eventName: 'push',
    ref: 'refs/heads/main',
    headRef: '',
    sha: '0000000000000000000000000000000000000000',
    repository: 'acme/verity-api',
    actor: 'octocat',
    token: 'ghs_harnessTokenNotARealOne0000000000',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runId: '4242',
    payload: {},
    ...options.context,
  };
  const reset = () => {
    for (const f of [files.output, files.summary, files.env, files.state, files.path]) writeFileSync(f, '');
  };
  reset();
  writeFileSync(files.event, JSON.stringify(ctx.payload));

  const declared = action.inputs ?? {};
  for (const given of Object.keys(options.inputs ?? {})) {
    if (!(given in declared)) throw new Error(`input '${given}' is not declared in actions/${name}/action.yml`);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: ctx.eventName,
    GITHUB_REF: ctx.ref,
    GITHUB_REF_NAME: ctx.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_HEAD_REF: ctx.headRef,
    GITHUB_SHA: ctx.sha,
    GITHUB_REPOSITORY: ctx.repository,
    GITHUB_ACTOR: ctx.actor,
    GITHUB_SERVER_URL: ctx.serverUrl,
    GITHUB_API_URL: ctx.apiUrl,
    GITHUB_RUN_ID: ctx.runId,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    RUNNER_OS: 'Linux',
    RUNNER_ENVIRONMENT: 'github-hosted',
    ...options.env,
  };
  for (const [input, spec] of Object.entries(declared)) {
    const given = options.inputs?.[input];
    const value = given ?? (spec.default === undefined ? '' : resolveExpression(String(spec.default), ctx));
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return { bundle, env, workspace, files, reset, outputs: () => parseOutputFile(readFileSync(files.output, 'utf8')) };
}

/** Runs `dist/<name>/index.js` once in a child process, as the runner runs a step. */
export async function runBundle(name: string, options: RunBundleOptions = {}): Promise<BundleRun> {
  const { bundle, env, workspace, files, outputs } = prepareStep(name, options);
  const child = spawn(process.execPath, [bundle], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exitCode: number = await new Promise((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => res(code ?? -1));
  });

  const errors = stdout
    .split('\n')
    .filter((l) => l.startsWith('::error'))
    .map((l) => decodeCommandData(l.slice(l.indexOf('::', 2) + 2)));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: outputs(),
    summary: readFileSync(files.summary, 'utf8'),
    envFile: readFileSync(files.env, 'utf8'),
    env,
    stateFile: readFileSync(files.state, 'utf8'),
    errors,
    workspace,
  };
}
