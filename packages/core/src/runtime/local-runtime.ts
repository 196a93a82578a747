import { redact } from '../exec/redact.js';
import type { Runtime } from './runtime.js';

export interface LocalRuntime extends Runtime {
  readonly outputs: Record<string, string>;
  readonly summaries: string[];
  readonly failures: string[];
}

/**
 * The runtime outside a runner: the CLI and tests. Inputs come from a map,
 * outputs are kept in memory, logs go to the given writer with secrets masked
 * as the runner would mask them.
 */
export function localRuntime(
  inputs: Record<string, string> = {},
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): LocalRuntime {
  const secrets: string[] = [];
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const failures: string[] = [];
  const log = (prefix: string, m: string) => write(redact(`${prefix}${m}`, secrets));
  return {
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    setSecret: (value) => {
      if (value) secrets.push(value);
    },
    secrets,
    info: (m) => log('', m),
    warning: (m) => log('warning: ', m),
    error: (m) => log('error: ', m),
    debug: () => {},
    group: async (name, fn) => {
      log('▸ ', name);
      return fn();
    },
    summary: async (markdown) => {
      summaries.push(markdown);
    },
    setFailed: (m) => {
      failures.push(m);
      log('error: ', m);
      process.exitCode = 1;
    },
    outputs,
    summaries,
    failures,
  };
}
