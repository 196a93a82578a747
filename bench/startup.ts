/**
 * `npm run bench -- startup`: how long each bundle takes to start and fail on
 * missing inputs, the cost every step pays before doing any work. Baseline:
 * `node -e 0` in the same rounds. Budget: 150 ms median per bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_MS = 150;

function timeOnce(argv: string[], cwd: string): { ms: number; status: number | null; stdout: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: r.status, stdout: r.stdout };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function main(args: string[]): void {
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 31;
  const bundles = readdirSync(path.join(root, 'dist')).filter((n) => existsSync(path.join(root, 'dist', n, 'index.js')));
  if (bundles.length === 0) throw new Error('no bundles in dist/: run npm run build first');
  // An empty directory outside any repository: every action fails fast on its inputs there.
  const cwd = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  const workloads: [string, string[]][] = [
    ['baseline: node -e 0', [process.execPath, '-e', '0']],
    ...bundles.map((b): [string, string[]] => [`dist/${b}/index.js (no inputs)`, [process.execPath, path.join(root, 'dist', b, 'index.js')]]),
  ];
  const times = new Map<string, number[]>(workloads.map(([name]) => [name, []]));
  for (const [, argv] of workloads) timeOnce(argv, cwd); // warm the page cache
  for (let i = 0; i < runs; i++) {
    for (const [name, argv] of workloads) {
      const r = timeOnce(argv, cwd);
      if (name.startsWith('dist/') && (r.status !== 1 || !r.stdout.includes('::error::'))) {
        throw new Error(`${name} should exit 1 with an input error; got exit ${r.status}:\n${r.stdout}`);
      }
      times.get(name)!.push(r.ms);
    }
  }
  const base = median(times.get('baseline: node -e 0')!);
  console.log(`\n${runs} rounds, interleaved; wall time of the whole process\n`);
  console.log('| workload | median ms | min–max ms | ratio to node -e 0 |');
  console.log('|---|--:|--:|--:|');
  let ok = true;
  for (const [name] of workloads) {
    const t = times.get(name)!;
    const m = median(t);
    console.log(`| ${name} | ${m.toFixed(1)} | ${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)} | ${(m / base).toFixed(2)} |`);
    if (name.startsWith('dist/') && m > BUDGET_MS) ok = false;
  }
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: every bundle starts and exits within ${BUDGET_MS} ms (median)`);
  if (!ok) process.exitCode = 1;
}
