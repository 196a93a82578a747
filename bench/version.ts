/**
 * Benchmark of the `version` action: the bundled dist/version/index.js run as a whole
 * process, with a runner-faithful environment, on generated repositories of 5,000 and
 * 50,000 commits, next to baselines measured in the same run on the same checkout.
 *
 *   npm run bench -- version [--runs N] [--bundle path/to/index.js]
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareStep } from '../test/harness/run-bundle.js';
import { parseBenchArgs } from './lib/measure.js';
import { cleanGitEnv, ensureRepo, type GeneratedRepo, type RepoSpec } from './lib/generate-repo.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK_ROOT = path.join(REPO_ROOT, 'bench', '.work');
const DEFAULT_BUNDLE = path.join(REPO_ROOT, 'dist', 'version', 'index.js');

const REPOS: readonly RepoSpec[] = [
  { name: 'small', commits: 5_000, tags: 1_000 },
  { name: 'large', commits: 50_000, tags: 10_000 },
];
const TARGET_MS = 500;
const STABLE_VERSION_TAG = /^v\d+\.\d+\.\d+$/;

interface Stats {
  median: number;
  min: number;
  max: number;
}

interface Row {
  repo: string;
  workload: string;
  stats: Stats;
  gitProcesses: number;
}

interface Options {
  runs: number;
  bundle: string;
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseBenchArgs(args, 'version', { runs: 15, acceptsBundle: true });
  const options: Options = { runs: parsed.runs, bundle: parsed.bundle ? path.resolve(parsed.bundle) : DEFAULT_BUNDLE };
  if (!existsSync(options.bundle)) {
    throw new Error(`${path.relative(REPO_ROOT, options.bundle)} not found: run npm run build first`);
  }
  mkdirSync(WORK_ROOT, { recursive: true });
  printMachine();

  const repos: Array<{ name: string; repo: GeneratedRepo }> = [];
  for (const spec of REPOS) {
    process.stdout.write(`repo ${spec.name}: ${spec.commits} commits, ${spec.tags} version tags … `);
    const repo = ensureRepo(spec, WORK_ROOT);
    console.log(
      repo.reused
        ? `cached in ${path.relative(REPO_ROOT, repo.dir)}`
        : `generated in ${repo.meta.generationSeconds.toFixed(1)} s (not timed)`,
    );
    repos.push({ name: spec.name, repo });
  }

  const shim = buildGitShim();
  const rows: Row[] = [];
  const oursByRepo = new Map<string, { stats: Stats; gitProcesses: number }>();
  let outputsOk = true;

  for (const { name, repo } of repos) {
    const step = prepareStep('version', {
      workspace: repo.checkout,
      context: { sha: repo.meta.headSha, repository: 'acme/app', payload: { ref: 'refs/heads/main', after: repo.meta.headSha } },
    });
    const env: NodeJS.ProcessEnv = step.env;
    console.log(`\n${name}: ${describeRepo(repo)}`);

    const ours = (): SpawnSyncReturns<string> => {
      step.reset();
      return spawnSync(process.execPath, [options.bundle], {
        cwd: repo.checkout,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    };
    const gitEnv = cleanGitEnv();
    const inCheckout = (argv: string[]): SpawnSyncReturns<string> =>
      spawnSync(argv[0] ?? 'git', argv.slice(1), {
        cwd: repo.checkout,
        env: gitEnv,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });

    // What popular versioning actions do: list the merged v* tags newest first, take the first
    // release, read every message since it. Two git processes, no parsing of the messages.
    let shellBase = '';
    const workloads: Workload[] = [
      {
        workload: 'ours: node dist/version/index.js',
        gitProcesses: 0, // counted below with the shim
        run: ours,
        check: (result) => mustSucceed('node dist/version/index.js', result),
      },
      {
        workload: "baseline: git describe --tags --match 'v*' --abbrev=0",
        gitProcesses: 1,
        run: () => inCheckout(['git', 'describe', '--tags', '--match', 'v*', '--abbrev=0']),
        check: (result) => {
          mustSucceed('git describe', result);
          if (result.stdout.trim() !== repo.meta.lastTag) {
            throw new Error(`git describe found ${result.stdout.trim()}, expected ${repo.meta.lastTag}`);
          }
        },
      },
      {
        workload: 'baseline: node -e 0 (Node start)',
        gitProcesses: 0,
        run: () => inCheckout([process.execPath, '-e', '0']),
        check: (result) => mustSucceed('node -e 0', result),
      },
      {
        workload: 'shell baseline: tag list + log',
        gitProcesses: 2,
        run: () => {
          const tags = inCheckout(['git', 'tag', '--merged', 'HEAD', '--sort=-v:refname', '-l', 'v*']);
          mustSucceed('git tag --merged', tags);
          shellBase = tags.stdout.split('\n').find((tag) => STABLE_VERSION_TAG.test(tag)) ?? '';
          return inCheckout(['git', 'log', `${shellBase}..HEAD`, '--format=%B']);
        },
        check: (result) => {
          mustSucceed('git log', result);
          if (shellBase !== repo.meta.lastTag || !result.stdout.includes('feat(api): expose /healthz/ready')) {
            throw new Error(`shell baseline found base '${shellBase}', expected ${repo.meta.lastTag}`);
          }
        },
      },
    ];
    const stats = measureInterleaved(options.runs, workloads);

    // The last timed run of ours left its outputs behind.
    const outputs = step.outputs();
    const got = { version: outputs['version'], previous: outputs['previous-tag'] };
    const outputsMatch = got.version === repo.meta.expectedNextVersion && got.previous === repo.meta.lastTag;
    outputsOk &&= outputsMatch;
    console.log(
      `  outputs: version=${got.version ?? '(unset)'} previous-tag=${got.previous ?? '(unset)'} ` +
        `(expected ${repo.meta.expectedNextVersion} from ${repo.meta.lastTag}) ${outputsMatch ? 'OK' : 'MISMATCH'}`,
    );

    const counted = countGitProcesses(shim, env, ours);
    console.log(`  git processes of one run: ${counted.lines.length}`);
    for (const line of counted.lines) console.log(`    git ${line}`);
    const oursStats = stats[0] ?? { median: Number.NaN, min: Number.NaN, max: Number.NaN };
    oursByRepo.set(name, { stats: oursStats, gitProcesses: counted.lines.length });
    workloads.forEach((w, i) => {
      rows.push({
        repo: name,
        workload: w.workload,
        stats: stats[i] ?? oursStats,
        gitProcesses: i === 0 ? counted.lines.length : w.gitProcesses,
      });
    });
  }

  printTable(rows);

  const small = oursByRepo.get('small');
  const large = oursByRepo.get('large');
  console.log('');
  if (small && large) {
    const same = small.gitProcesses === large.gitProcesses && large.gitProcesses > 0;
    console.log(
      `${same ? 'PASS' : 'FAIL'}: git processes do not grow with tags/commits ` +
        `(small ${small.gitProcesses}, large ${large.gitProcesses}` +
        `${large.gitProcesses === 0 ? '; the shim saw no git at all: does the action run git from PATH?' : ''})`,
    );
    const met = large.stats.median < TARGET_MS;
    console.log(
      `${met ? 'PASS' : 'FAIL'}: large repo under the ${TARGET_MS} ms target ` +
        `(median ${large.stats.median.toFixed(1)} ms)`,
    );
    if (!same || !met) process.exitCode = 1;
  }
  console.log(`${outputsOk ? 'PASS' : 'FAIL'}: outputs match the generated history (version, previous-tag)`);
  if (!outputsOk) process.exitCode = 1;
}


interface Workload {
  workload: string;
  gitProcesses: number;
  run: () => SpawnSyncReturns<string>;
  /** Sees every result, outside the timing; throws to fail the benchmark. */
  check: (result: SpawnSyncReturns<string>) => void;
}

/**
 * One warm-up of each workload, then `runs` rounds that time each workload once in turn, so a
 * change of machine load during the run shifts ours and the baselines alike.
 */
function measureInterleaved(runs: number, workloads: readonly Workload[]): Stats[] {
  for (const w of workloads) w.check(w.run());
  const times: number[][] = workloads.map(() => []);
  for (let round = 0; round < runs; round++) {
    workloads.forEach((w, i) => {
      const started = process.hrtime.bigint();
      const result = w.run();
      times[i]?.push(Number(process.hrtime.bigint() - started) / 1e6);
      w.check(result);
    });
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    const mid = Math.floor(list.length / 2);
    const median = list.length % 2 === 1 ? (list[mid] ?? 0) : ((list[mid - 1] ?? 0) + (list[mid] ?? 0)) / 2;
    return { median, min: list[0] ?? 0, max: list[list.length - 1] ?? 0 };
  });
}

function mustSucceed(what: string, result: SpawnSyncReturns<string>): void {
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${what} exited with ${result.status ?? `signal ${result.signal}`}\n` +
        `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}

interface GitShim {
  dir: string;
  counter: string;
}

/** A `git` first on PATH that logs one line per process, then execs the real git with "$@". */
function buildGitShim(): GitShim {
  const which = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' });
  const realGit = which.stdout.trim();
  if (which.status !== 0 || !path.isAbsolute(realGit)) throw new Error('git not found on PATH');
  if (realGit.includes("'")) throw new Error(`cannot quote the git path ${realGit}`);
  const dir = path.join(WORK_ROOT, 'git-shim');
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'git');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      '# Written by bench/version.ts: one line per git process (newlines in args folded), then the real git.',
      'if [ -n "$BENCH_GIT_COUNTER" ]; then',
      '  line=$(printf \'%s \' "$@" | tr \'\\n\' \' \')',
      '  printf \'%s\\n\' "$line" >> "$BENCH_GIT_COUNTER"',
      'fi',
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return { dir, counter: path.join(WORK_ROOT, 'git-count.log') };
}

function countGitProcesses(
  shim: GitShim,
  env: NodeJS.ProcessEnv,
  run: () => SpawnSyncReturns<string>,
): { lines: string[] } {
  writeFileSync(shim.counter, '');
  const saved = { PATH: env['PATH'], BENCH_GIT_COUNTER: env['BENCH_GIT_COUNTER'] };
  env['PATH'] = `${shim.dir}${path.delimiter}${env['PATH'] ?? ''}`;
  env['BENCH_GIT_COUNTER'] = shim.counter;
  try {
    mustSucceed('node dist/version/index.js (with the git shim)', run());
  } finally {
    env['PATH'] = saved.PATH;
    if (saved.BENCH_GIT_COUNTER === undefined) delete env['BENCH_GIT_COUNTER'];
    else env['BENCH_GIT_COUNTER'] = saved.BENCH_GIT_COUNTER;
  }
  const lines = readFileSync(shim.counter, 'utf8').split('\n').filter((line) => line !== '');
  return { lines: lines.map((line) => line.trimEnd()) };
}

function describeRepo(repo: GeneratedRepo): string {
  const m = repo.meta;
  return (
    `${m.commits} commits (${m.mergeCommits} merges), ${m.versionTags} version tags ` +
    `(${m.annotatedVersionTags} annotated, ${m.lightweightVersionTags} lightweight) + ${m.otherTags.length} others; ` +
    `HEAD ${m.commitsSinceLastTag} commits past ${m.lastTag}`
  );
}

function printMachine(): void {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSyncSafe('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log('## version benchmark');
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- nproc: ${os.availableParallelism()}`);
  console.log(`- CPU: ${cpu}`);
  console.log(`- node: ${process.version}`);
  console.log(`- git: ${git}`);
  console.log('');
}

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function printTable(rows: Row[]): void {
  const ours = new Map(rows.filter((row) => row.workload.startsWith('ours')).map((row) => [row.repo, row.stats.median]));
  const header = ['repo', 'workload', 'median ms', 'min–max ms', 'ours / this', 'git processes'];
  const body = rows.map((row) => {
    const mine = ours.get(row.repo) ?? Number.NaN;
    return [
      row.repo,
      row.workload,
      row.stats.median.toFixed(1),
      `${row.stats.min.toFixed(1)}–${row.stats.max.toFixed(1)}`,
      row.workload.startsWith('ours') ? '1.00' : (mine / row.stats.median).toFixed(2),
      String(row.gitProcesses),
    ];
  });
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const cells of body) console.log(line(cells));
}
