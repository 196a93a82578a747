import { appendFileSync, closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EOL } from 'node:os';
import type { RunContext, Runtime } from './runtime.js';

/**
 * The Actions runner, spoken to directly through its documented protocol:
 * workflow commands on stdout and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files. We do not load @actions/core here: its import pulls in an HTTP
 * client for OIDC that cost ~80 ms of start-up per step on our machines
 * (measured in bench/startup), more than the rest of an action together.
 */

/** Command data escaping, as the runner unescapes it. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function issue(command: string, message = ''): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`);
}

/**
 * 128 unpredictable bits for heredoc delimiters. Read from the kernel rather
 * than node:crypto, whose load alone costs ~6 ms of every step's start-up.
 */
function randomHex(): string {
  const bytes = Buffer.alloc(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      readSync(fd, bytes, 0, bytes.length, null);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows runners have no /dev/urandom.
    (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomFillSync(bytes);
  }
  return bytes.toString('hex');
}

/** `name<<DELIM` heredoc in a file command; the delimiter is random so no value can end it early. */
function appendHeredoc(file: string, name: string, value: string): void {
  const delimiter = `ghadelimiter_${randomHex()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('output collides with its delimiter');
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export function githubRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const secrets: string[] = [];
  return {
    getInput: (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
    setOutput: (name, value) => {
      if (env.GITHUB_OUTPUT) appendHeredoc(env.GITHUB_OUTPUT, name, value);
      else process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(value)}${EOL}`);
    },
    setSecret: (value) => {
      if (!value) return;
      secrets.push(value);
      issue('add-mask', value);
    },
    secrets,
    info: (m) => process.stdout.write(`${m}${EOL}`),
    warning: (m) => issue('warning', m),
    error: (m) => issue('error', m),
    debug: (m) => issue('debug', m),
    group: async (name, fn) => {
      issue('group', name);
      try {
        return await fn();
      } finally {
        issue('endgroup');
      }
    },
    summary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, 'utf8');
    },
    setFailed: (m) => {
      process.exitCode = 1;
      issue('error', m);
    },
  };
}

/** The run context from the runner's environment, read once at the entry. */
export function githubContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    headRef: env.GITHUB_HEAD_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? '',
    toolCache: env.RUNNER_TOOL_CACHE ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    actor: env.GITHUB_ACTOR ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    payload,
  };
}
