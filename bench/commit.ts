/**
 * `npm run bench -- commit [--runs N] [--writers N]`: the bundled commit-to-gitops action as a
 * whole process, landing one app's new desired state in a large GitOps repository over file://,
 * against plain git doing the same work the usual way; then many pipelines landing at once.
 *
 * Workload (generated with git fast-import, cached under the OS temp dir, not timed): 20,000
 * commits on `main`, 1,000 app directories of three rendered manifests each (bench/lib/
 * generate-gitops-repo.ts). Each benchmark run works on its own copy of the bare repository.
 *
 * 1. One writer, every run deploying a new version of one app (so every run commits and pushes):
 *    - ours: `node dist/commit-to-gitops/index.js` with a runner-faithful environment;
 *    - baseline: `git clone` (full) + replace the directory + `git add -A` + `git commit` + `git push`;
 *    - reference: the same with a shallow, partial, sparse clone (git's floor for this work).
 *    Targets: ours ≤ 1 s (median), baseline / ours ≥ 10.
 * 2. Contention: N writers (default 20) for different apps started at once. Naive: shallow clone,
 *    commit, push, no retry. Ours: the bundle. Landed count, pushes, p50/p95 time-to-land.
 *    Target: ours lands N/N.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareStep } from '../test/harness/run-bundle.js';
import { appFiles, ensureGitopsRepo, type GeneratedGitopsRepo } from './lib/generate-gitops-repo.js';
import { cleanGitEnv } from './lib/generate-repo.js';
import { copyBundle, formatTable, ms, mustSucceed, printMachine, range, REPO_ROOT, removeDir, stats, tempDir, timeProcess, withCleanup, type Timed } from './lib/measure.js';

const SPEC = { commits: 20_000, apps: 1_000 };
const BUDGET_MS = 1000;
const MIN_RATIO = 10;

const IDENTITY = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
};

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function writeApp(root: string, appDir: string, version: string): string {
  const dir = path.join(root, appDir);
  rmSync(dir, { recursive: true, force: true });
  for (const [file, content] of Object.entries(appFiles(appDir, version, 'b'.repeat(40)))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** Runs the steps one after another; wall time of all of them, failing on the first error. */
async function sequence(steps: ReadonlyArray<{ what: string; argv?: string[]; cwd?: string; fn?: () => void }>, env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  for (const step of steps) {
    if (step.fn) step.fn();
    else mustSucceed(step.what, await timeProcess(step.argv!, { env, ...(step.cwd ? { cwd: step.cwd } : {}) }));
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function main(args: string[]): Promise<void> {
  const runs = option(args, '--runs', 7);
  const writers = option(args, '--writers', 20);
  const work = tempDir('bench-commit-');
  await withCleanup(
    async () => removeDir(work),
    async () => {
      await printMachine('commit-to-gitops', [['git', '--version']]);
      process.stdout.write(`- workload: ${SPEC.commits} commits, ${SPEC.apps} app directories … `);
      const repo: GeneratedGitopsRepo = ensureGitopsRepo(SPEC);
      console.log(
        `${(repo.meta.packBytes / 1e6).toFixed(1)} MB packed, ` +
          (repo.reused ? `cached in ${repo.dir}` : `generated in ${repo.meta.generationSeconds.toFixed(1)} s (not timed)`),
      );
      const bundle = copyBundle('commit-to-gitops', work);
      console.log(`- bundle: dist/commit-to-gitops/index.js ${(bundle.bytes / 1024).toFixed(0)} kB, sha256 ${bundle.sha}`);
      // The runner's view of the action, pointing at the private copy: a rebuild of dist/ meanwhile changes nothing here.
      const actionDir = path.join(work, 'action');
      mkdirSync(actionDir, { recursive: true });
      const yml = readFileSync(path.join(REPO_ROOT, 'actions', 'commit-to-gitops', 'action.yml'), 'utf8');
      writeFileSync(path.join(actionDir, 'action.yml'), yml.replace(/main: .*dist\/commit-to-gitops\/index\.js/, `main: ${path.relative(actionDir, bundle.file)}`));

      const freshOrigin = (name: string): string => {
        const dir = path.join(work, name);
        cpSync(repo.bare, dir, { recursive: true });
        return dir;
      };
      const gitEnv = cleanGitEnv({ ...IDENTITY, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
      let version = 0;
      const nextVersion = () => `2.${version++}.0`;

      // ---- 1. one writer
      const origin = freshOrigin('origin.git');
      const url = `file://${origin}`;
      const target = repo.meta.appDirs[42]!;
      let scratch = 0;

      const ours = async (): Promise<number> => {
        const src = writeApp(path.join(work, `src-${scratch++}`), target, nextVersion());
        const step = prepareStep('commit-to-gitops', {
          actionDir,
          inputs: { repository: url, source: src },
          context: { repository: 'acme/svc-0021', sha: 'b'.repeat(40), runId: '777' },
        });
        const r = mustSucceed('ours', await timeProcess([process.execPath, bundle.file], { env: step.env, cwd: step.workspace }));
        const out = step.outputs();
        if (out.changed !== 'true' || out.attempts !== '1') throw new Error(`ours did not commit once: ${JSON.stringify(out)}\n${r.stdout}`);
        removeDir(path.dirname(src));
        return r.ms;
      };
      const fullClone = async (): Promise<number> => {
        const dir = path.join(work, `full-${scratch++}`);
        const elapsed = await sequence(
          [
            { what: 'git clone', argv: ['git', 'clone', '--quiet', url, dir] },
            { what: 'replace', fn: () => writeApp(dir, target, nextVersion()) },
            { what: 'git add', argv: ['git', 'add', '--all', '--', target], cwd: dir },
            { what: 'git commit', argv: ['git', 'commit', '--quiet', '-m', `deploy(${target})`], cwd: dir },
            { what: 'git push', argv: ['git', 'push', '--quiet', 'origin', 'HEAD:main'], cwd: dir },
          ],
          gitEnv,
        );
        removeDir(dir);
        return elapsed;
      };
      const cheapClone = async (): Promise<number> => {
        const dir = path.join(work, `cheap-${scratch++}`);
        const elapsed = await sequence(
          [
            { what: 'git clone', argv: ['git', 'clone', '--quiet', '--depth=1', '--filter=blob:none', '--sparse', '--no-tags', url, dir] },
            { what: 'git sparse-checkout', argv: ['git', 'sparse-checkout', 'set', '--cone', target], cwd: dir },
            { what: 'replace', fn: () => writeApp(dir, target, nextVersion()) },
            { what: 'git add', argv: ['git', 'add', '--all', '--', target], cwd: dir },
            { what: 'git commit', argv: ['git', 'commit', '--quiet', '-m', `deploy(${target})`], cwd: dir },
            { what: 'git push', argv: ['git', 'push', '--quiet', 'origin', 'HEAD:main'], cwd: dir },
          ],
          gitEnv,
        );
        removeDir(dir);
        return elapsed;
      };
      const node = async () => mustSucceed('node', await timeProcess([process.execPath, '-e', '0'], { env: gitEnv })).ms;

      const workloads = [
        { name: 'ours: node dist/commit-to-gitops/index.js', run: ours },
        { name: 'baseline: git clone (full) + commit + push', run: fullClone },
        { name: 'reference: git clone --depth=1 --filter=blob:none --sparse + commit + push', run: cheapClone },
        { name: 'reference: node -e 0 (Node start)', run: node },
      ];
      for (const w of workloads) await w.run(); // warm-up: page cache, not counted
      const times = workloads.map(() => [] as number[]);
      for (let round = 0; round < runs; round++) {
        for (const [i, w] of workloads.entries()) times[i]!.push(await w.run());
        console.log(`- run ${round + 1}/${runs}: ${workloads.map((w, i) => `${w.name.split(':')[0]} ${ms(times[i]!.at(-1)!)}`).join(', ')} ms`);
      }
      const s = times.map(stats);
      const oursMedian = s[0]!.median;
      console.log(`\n${runs} runs, interleaved; each deploys a new version of ${target} and pushes it\n`);
      console.log(
        formatTable(
          ['workload', 'median ms', 'min–max ms', 'this / ours'],
          workloads.map((w, i) => [w.name, ms(s[i]!.median), range(s[i]!), (s[i]!.median / oursMedian).toFixed(2)]),
          1,
        ),
      );

      // ---- 2. contention
      const contenders = repo.meta.appDirs.slice(100, 100 + writers);
      const naiveOrigin = freshOrigin('naive.git');
      const oursOrigin = freshOrigin('contention.git');

      const naiveWriter = async (appDir: string): Promise<{ ok: boolean; ms: number; attempts: number }> => {
        const dir = path.join(work, `naive-${appDir}`);
        const started = process.hrtime.bigint();
        let ok = true;
        try {
          await sequence(
            [
              { what: 'git clone', argv: ['git', 'clone', '--quiet', '--depth=1', `file://${naiveOrigin}`, dir] },
              { what: 'replace', fn: () => writeApp(dir, appDir, '3.0.0') },
              { what: 'git add', argv: ['git', 'add', '--all', '--', appDir], cwd: dir },
              { what: 'git commit', argv: ['git', 'commit', '--quiet', '-m', `deploy(${appDir})`], cwd: dir },
              { what: 'git push', argv: ['git', 'push', '--quiet', 'origin', 'HEAD:main'], cwd: dir },
            ],
            gitEnv,
          );
        } catch {
          ok = false;
        }
        return { ok, ms: Number(process.hrtime.bigint() - started) / 1e6, attempts: 1 };
      };
      const oursWriter = async (appDir: string): Promise<{ ok: boolean; ms: number; attempts: number; run: Timed }> => {
        const src = writeApp(path.join(work, `contender-${appDir}`), appDir, '3.0.0');
        const step = prepareStep('commit-to-gitops', { actionDir, inputs: { repository: `file://${oursOrigin}`, source: src } });
        const run = await timeProcess([process.execPath, bundle.file], { env: step.env, cwd: step.workspace });
        const attempts = Number(step.outputs().attempts ?? '0');
        return { ok: run.code === 0, ms: run.ms, attempts, run };
      };

      const contention = async <T extends { ok: boolean; ms: number; attempts: number }>(writer: (a: string) => Promise<T>) => {
        const results = await Promise.all(contenders.map((a) => writer(a)));
        const landed = results.filter((r) => r.ok);
        return { results, landed: landed.length, pushes: results.reduce((n, r) => n + r.attempts, 0), maxAttempts: Math.max(...results.map((r) => r.attempts)), times: landed.map((r) => r.ms) };
      };
      console.log(`\ncontention: ${writers} writers for different apps started at once\n`);
      const naive = await contention(naiveWriter);
      const mine = await contention(oursWriter);
      // What is in the repositories afterwards, read from git, not from the writers' exit codes.
      const inRepo = (bare: string) =>
        contenders.filter((a) => {
          const r = readGit(['git', '-C', bare, 'show', `main:${a}/monochart/templates/deployment.yaml`], gitEnv);
          return r.includes('gitops-actions.io/version: 3.0.0');
        }).length;
      const naiveInRepo = inRepo(naiveOrigin);
      const oursInRepo = inRepo(oursOrigin);
      const row = (name: string, c: Awaited<ReturnType<typeof contention>>, inRepoCount: number) => [
        name,
        `${c.landed}/${writers}`,
        `${inRepoCount}/${writers}`,
        `${c.pushes} (max ${c.maxAttempts})`,
        ms(percentile(c.times, 50)),
        ms(percentile(c.times, 95)),
      ];
      console.log(
        formatTable(
          ['writers', 'landed', 'in main afterwards', 'pushes (max per writer)', 'p50 time-to-land ms', 'p95 time-to-land ms'],
          [row('naive: shallow clone + commit + push, no retry', naive, naiveInRepo), row('ours: node dist/commit-to-gitops/index.js', mine, oursInRepo)],
          1,
        ),
      );
      const failed = mine.results.filter((r) => !r.ok);
      if (failed.length) console.log(`\nours failed ${failed.length} times; first:\n${failed[0]!.run.stdout.split('\n').slice(-15).join('\n')}`);

      const fast = oursMedian <= BUDGET_MS;
      const ratio = s[1]!.median / oursMedian;
      const all = mine.landed === writers && oursInRepo === writers;
      console.log(`\n${fast ? 'PASS' : 'FAIL'}: ours ≤ ${BUDGET_MS} ms as a whole process (median ${ms(oursMedian)} ms)`);
      console.log(`${ratio >= MIN_RATIO ? 'PASS' : 'FAIL'}: ≥ ${MIN_RATIO}× faster than a full clone + commit + push (${ratio.toFixed(1)}×)`);
      console.log(`${all ? 'PASS' : 'FAIL'}: ${mine.landed}/${writers} concurrent writers landed (naive: ${naive.landed}/${writers})`);
      if (!fast || ratio < MIN_RATIO || !all) process.exitCode = 1;
    },
  );
}

/** A read after the timing is over. */
function readGit(argv: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}
