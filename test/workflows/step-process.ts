import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { StepLog } from './step-log.js';

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** `timeout-minutes` of the step, in milliseconds. */
  timeoutMs?: number;
}

/**
 * Runs one step's process with its output streamed into the step log. The process gets its
 * own process group so a timeout takes down whatever the script started.
 */
export async function runProcess(spec: ProcessSpec, log: StepLog): Promise<{ exitCode: number; timedOut: boolean }> {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => log.write(chunk, 'stdout'));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => log.write(chunk, 'stderr'));
  let timedOut = false;
  const timer =
    spec.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {}
        }, spec.timeoutMs);
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      // A signal ends the process as the shell reports it: 128 + the signal number.
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    });
    return { exitCode, timedOut };
  } finally {
    if (timer) clearTimeout(timer);
    log.flush();
  }
}
