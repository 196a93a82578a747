/**
 * Helpers shared by the registry benchmarks (retag, build-and-push): timing whole processes
 * without blocking the event loop, order statistics, the results table, a private copy of a
 * bundle, and a HEAD request that reads the digest a registry stores under a reference.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Timed {
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  argv: readonly string[];
}

export interface TimeOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Runs one process and measures its wall time from spawn to exit. Asynchronous on purpose:
 * anything this process serves (none today, but the harness may) keeps answering meanwhile,
 * and the registry children's log pipes keep draining.
 */
export function timeProcess(argv: readonly string[], options: TimeOptions): Promise<Timed> {
  const [file, ...args] = argv;
  if (!file) throw new Error('timeProcess needs a command');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 1024 * 1024) stderr = stderr.slice(-512 * 1024);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${file} could not run: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      resolve({ ms, code, signal, stdout, stderr, argv });
    });
  });
}

/** Throws with the output when a timed process failed. */
export function mustSucceed(what: string, result: Timed): Timed {
  if (result.code !== 0) {
    const tail = (text: string) => text.trimEnd().split('\n').slice(-25).join('\n');
    throw new Error(
      `${what} exited with ${result.code ?? `signal ${result.signal}`}: ${result.argv.join(' ')}\n` +
        `--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
  }
  return result;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stats(values: readonly number[]): Stats {
  const list = [...values].sort((a, b) => a - b);
  const mid = Math.floor(list.length / 2);
  const median = list.length === 0 ? Number.NaN : list.length % 2 === 1 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2;
  return { median, min: list[0] ?? Number.NaN, max: list[list.length - 1] ?? Number.NaN, n: list.length };
}

/** A markdown table; columns from `rightFrom` on are right-aligned (numbers). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], rightFrom: number): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i >= rightFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= rightFrom ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '–');
export const range = (s: Stats): string => `${ms(s.min)}–${ms(s.max)}`;

/** Date, CPU, memory, node and the given tools' versions, for the record in BENCHMARKS.md. */
export async function printMachine(title: string, tools: readonly (readonly string[])[]): Promise<void> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {}
  console.log(`## ${title}`);
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- nproc: ${os.availableParallelism()}; CPU: ${cpu}; memory: ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`- load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`- node: ${process.version}`);
  for (const argv of tools) {
    const r = await timeProcess(argv, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }).catch(() => undefined);
    console.log(`- ${argv[0]}: ${r?.code === 0 ? (r.stdout.trim().split('\n')[0] ?? '') : 'not available'}`);
  }
}

export interface BundleCopy {
  /** The copied entry point, `<dir>/index.js`. */
  file: string;
  dir: string;
  /** First 12 hex digits of the sha256 of index.js, to tie results to a build. */
  sha: string;
  bytes: number;
}

/**
 * A private copy of `dist/<name>/` (index.js, package.json, licenses), so a rebuild of dist/
 * by someone else during a long benchmark cannot swap or delete the bundle mid-run.
 */
export function copyBundle(name: string, into: string): BundleCopy {
  const source = path.join(REPO_ROOT, 'dist', name);
  const entry = path.join(source, 'index.js');
  if (!statSync(entry, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`dist/${name}/index.js not found: run npm run build first`);
  }
  const dir = path.join(into, `dist-${name}`);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(source)) {
    if (statSync(path.join(source, file)).isFile()) copyFileSync(path.join(source, file), path.join(dir, file));
  }
  const bytes = readFileSync(path.join(dir, 'index.js'));
  return {
    file: path.join(dir, 'index.js'),
    dir,
    sha: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
    bytes: bytes.length,
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/**
 * `HEAD /v2/<repo>/manifests/<ref>` on an anonymous plain-HTTP registry: the digest it stores
 * under the reference (`Docker-Content-Digest`), or undefined for 404. Not our registry client:
 * the check must not share code with what it checks.
 */
export function headManifestDigest(registryUrl: string, repository: string, reference: string): Promise<string | undefined> {
  const url = new URL(`/v2/${repository}/manifests/${reference}`, registryUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT }, agent: false }, (res) => {
      res.resume();
      if (res.statusCode === 404) resolve(undefined);
      else if (res.statusCode !== 200) reject(new Error(`HEAD ${url.href} answered ${res.statusCode}`));
      else {
        const digest = res.headers['docker-content-digest'];
        if (typeof digest !== 'string') reject(new Error(`HEAD ${url.href}: no Docker-Content-Digest header`));
        else resolve(digest);
      }
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`HEAD ${url.href} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs `body`, then `cleanup` whatever happens, also on Ctrl-C / SIGTERM (then exits 130/143),
 * so no registry, buildah store or temp dir outlives the benchmark.
 */
export async function withCleanup<T>(cleanup: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  let cleaning: Promise<void> | undefined;
  const runCleanup = () => (cleaning ??= cleanup().catch((error: unknown) => console.error(`cleanup failed: ${String(error)}`)));
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void runCleanup().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body();
  } finally {
    await runCleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export interface BenchArgs {
  runs: number;
  /** Given only by benches that accept `--bundle`. */
  bundle?: string;
}

/** `--runs N` and, where `name`'s usage allows it, `--bundle path`; anything else is an error showing the usage. */
export function parseBenchArgs(args: readonly string[], name: string, defaults: { runs: number; acceptsBundle: boolean }): BenchArgs {
  const usage = `npm run bench -- ${name} [--runs N]${defaults.acceptsBundle ? ' [--bundle path/to/index.js]' : ''}`;
  const parsed: BenchArgs = { runs: defaults.runs };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--runs' && value !== undefined && /^[1-9]\d*$/.test(value)) {
      parsed.runs = Number(value);
      i++;
    } else if (defaults.acceptsBundle && arg === '--bundle' && value !== undefined) {
      parsed.bundle = value;
      i++;
    } else {
      throw new Error(`unknown argument '${arg}'; usage: ${usage}`);
    }
  }
  return parsed;
}
