import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ToolError } from '../errors/errors.js';
import { redact } from './redact.js';

export interface RunToolOptions {
  cwd?: string;
  /** Added to (or overriding) the inherited environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. The way to hand a tool a secret. */
  input?: string | Buffer;
  /** Kill the tool after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Values never to appear in an error we raise (they are already masked in the runner log). */
  secrets?: readonly string[];
  /** Exit codes that are answers rather than failures (e.g. `git diff --quiet` → 1). */
  okExitCodes?: readonly number[];
  /** Bound on captured stdout; a tool that prints more is an error, not an out-of-memory. */
  maxStdoutBytes?: number;
  /** Stops the tool (SIGTERM) when aborted: a run nobody needs any more. */
  signal?: AbortSignal;
}

export interface ToolResult {
  stdout: string;
  /** stdout as bytes, for tools that print binary data (a git pack). */
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
}

const STDERR_TAIL_LINES = 20;
const STDERR_KEEP_BYTES = 64 * 1024;

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
}

/**
 * Runs an external tool from an argv array. There is no shell anywhere on this
 * path, so nothing in an argument can be interpreted; secrets go through
 * `input` or `env`, never argv.
 */
export function runTool(argv: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runTool needs a command');
  const secrets = options.secrets ?? [];
  const shown = redact(argv.join(' '), secrets);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const maxStdout = options.maxStdoutBytes ?? 256 * 1024 * 1024;
  const env = { ...process.env };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env, shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = Buffer.alloc(0);
    let failure: string | undefined;

    const timer = setTimeout(() => {
      failure = `timed out after ${Math.round(timeoutMs / 1000)}s`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);

    const stop = () => {
      failure ??= 'stopped: no longer needed';
      child.kill('SIGTERM');
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        failure ??= `printed more than ${maxStdout} bytes`;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > STDERR_KEEP_BYTES) err = err.subarray(err.length - STDERR_KEEP_BYTES);
    });
    child.stdin.on('error', () => {
      // A tool that exits without reading stdin closes the pipe; its exit code tells the story.
    });
    child.stdin.end(options.input ?? '');

    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason =
        e.code !== 'ENOENT'
          ? e.message
          : options.cwd && !existsSync(options.cwd)
            ? `working directory ${options.cwd} does not exist`
            : `command not found: is ${file} installed and on PATH?`;
      reject(new ToolError(shown, null, '', redact(reason, secrets)));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      const stdoutBytes = Buffer.concat(out);
      const stdout = stdoutBytes.toString('utf8');
      const stderr = err.toString('utf8');
      const exitCode = code ?? -1;
      if (failure) {
        reject(new ToolError(shown, code, redact(tail(stderr), secrets), failure));
      } else if (signal) {
        reject(new ToolError(shown, null, redact(tail(stderr), secrets), `killed by ${signal}`));
      } else if (exitCode !== 0 && !(options.okExitCodes ?? []).includes(exitCode)) {
        reject(new ToolError(shown, exitCode, redact(tail(stderr), secrets), 'failed'));
      } else {
        resolve({ stdout, stdoutBytes, stderr, exitCode });
      }
    });
  });
}
