import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import type { RunContext, Runtime } from './runtime.js';

/** The Actions runner: @actions/core underneath, nothing else imports it. */
export function githubRuntime(): Runtime {
  const secrets: string[] = [];
  return {
    getInput: (name) => core.getInput(name, { trimWhitespace: false }),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (value) => {
      secrets.push(value);
      core.setSecret(value);
    },
    secrets,
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    debug: (m) => core.debug(m),
    group: (name, fn) => core.group(name, fn),
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    setFailed: (m) => core.setFailed(m),
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
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: env.GITHUB_RUN_ID ?? '',
    payload,
  };
}
