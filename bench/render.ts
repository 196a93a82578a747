/**
 * `npm run bench -- render [--apps N] [--runs N] [--parallel N] [--batch N]`: the builtin monochart
 * rendering every app in every environment in one process, against `kubectl kustomize` building
 * equivalent overlays (the same objects), one process per app and environment.
 *
 * Workload (generated, not timed): N apps (default 200) × staging, qa, production; see
 * bench/lib/render-workload.ts. Ours: bench/lib/render-runner.ts bundled and minified with esbuild
 * (untimed, as the actions ship: one file, no TypeScript at run time) and run by plain `node`: wall
 * time of the whole process plus the runner's own load and render times. Baseline: `kubectl kustomize
 * <overlay>` for every pair, `--parallel` (default 2) at a time, stdout to /dev/null.
 * Targets: all renders ≤ 3 s (whole process, median), kustomize / ours ≥ 20.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build as bundle } from 'esbuild';
import { ENVIRONMENTS, generateRenderWorkload, type Workload } from './lib/render-workload.js';
import type { RenderJob, RunnerReport } from './lib/render-runner.js';
import { formatTable, ms, mustSucceed, printMachine, range, REPO_ROOT, removeDir, stats, tempDir, timeProcess, withCleanup } from './lib/measure.js';

const BUDGET_MS = 3000;
const MIN_RATIO = 20;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
}

/** One `kubectl kustomize` with stdout discarded; resolves to its exit code and stderr tail. */
function kustomize(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['kustomize', dir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Every overlay built once, `parallel` processes at a time; wall time of the whole set. */
async function kustomizeAll(dirs: readonly string[], parallel: number, env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (next < dirs.length) {
      const dir = dirs[next++]!;
      const r = await kustomize(dir, env);
      if (r.code !== 0) failures.push(`${dir}: exit ${r.code}\n${r.stderr}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (failures.length) throw new Error(`kubectl kustomize failed ${failures.length} times; first:\n${failures[0]}`);
  return elapsed;
}

/** Untimed: the kinds kustomize builds for a sample of pairs are the kinds the workload says both sides render. */
async function checkEquivalence(workload: Workload, env: NodeJS.ProcessEnv): Promise<number> {
  let checked = 0;
  for (const app of workload.apps.slice(0, 10)) {
    for (const e of ENVIRONMENTS) {
      const r = mustSucceed('kubectl kustomize', await timeProcess(['kubectl', 'kustomize', workload.overlay(app, e)], { env }));
      const kinds = [...r.stdout.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1]!).sort();
      if (kinds.join() !== workload.kinds(app).join()) {
        throw new Error(`${app.name}/${e}: kustomize builds ${kinds.join(', ')}, the values render ${workload.kinds(app).join(', ')}`);
      }
      checked++;
    }
  }
  return checked;
}

export async function main(args: string[]): Promise<void> {
  const appCount = option(args, '--apps', 200);
  const runs = option(args, '--runs', 3);
  const parallel = option(args, '--parallel', 2);
  const batch = option(args, '--batch', 50);
  const work = tempDir('bench-render-');
  await withCleanup(
    async () => removeDir(work),
    async () => {
      await printMachine('render', [['kubectl', 'version', '--client'], ['node', '--version']]);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work };

      const workspace = path.join(work, 'workspace');
      const generated = process.hrtime.bigint();
      const workload = generateRenderWorkload(workspace, appCount);
      const jobs: RenderJob[] = workload.apps.flatMap((app) =>
        ENVIRONMENTS.map((e) => ({ app: app.name, environment: e, values: workload.valuesFiles(app, e), namespace: workload.namespace(app, e), image: workload.image(app), imageTag: workload.tag })),
      );
      const jobsFile = path.join(work, 'jobs.json');
      writeFileSync(jobsFile, JSON.stringify({ workspace, jobs }));
      const overlays = workload.apps.flatMap((app) => ENVIRONMENTS.map((e) => workload.overlay(app, e)));
      const expectedObjects = workload.apps.reduce((sum, app) => sum + workload.kinds(app).length * ENVIRONMENTS.length, 0);
      console.log(`- workload: ${appCount} apps × ${ENVIRONMENTS.length} environments = ${jobs.length} renders, ${expectedObjects} objects (generated in ${ms(Number(process.hrtime.bigint() - generated) / 1e6)} ms, not timed)`);
      const sampled = await checkEquivalence(workload, env);
      console.log(`- equivalence: kustomize builds the same kinds as the values for ${sampled} sampled pairs`);

      const runner = path.join(work, 'render-runner.mjs');
      await bundle({
        entryPoints: [path.join(REPO_ROOT, 'bench', 'lib', 'render-runner.ts')],
        outfile: runner,
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'warning',
      });
      const ours = (out: string) => [process.execPath, runner, jobsFile, out, String(batch)];
      const times = { ours: [] as number[], loaded: [] as number[], render: [] as number[], node: [] as number[], kustomize: [] as number[] };
      let runIndex = 0;
      const runOurs = async (): Promise<{ report: RunnerReport; wallMs: number }> => {
        const out = path.join(work, `out-${runIndex++}`);
        const r = mustSucceed('render runner', await timeProcess(ours(out), { env, cwd: REPO_ROOT }));
        const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as RunnerReport;
        if (report.renders !== jobs.length || report.objects !== expectedObjects) {
          throw new Error(`runner rendered ${report.renders} pairs / ${report.objects} objects, expected ${jobs.length} / ${expectedObjects}`);
        }
        const missing = jobs.filter((j) => !existsSync(path.join(out, `${j.app}--${j.environment}`, 'monochart', 'templates', 'deployment.yaml')));
        if (missing.length) throw new Error(`${missing.length} renders have no deployment.yaml, e.g. ${missing[0]!.app}--${missing[0]!.environment}`);
        removeDir(out);
        return { report, wallMs: r.ms };
      };

      // Warm-up (page cache), not counted.
      await runOurs();
      for (let i = 0; i < runs; i++) {
        const { report, wallMs } = await runOurs();
        times.ours.push(wallMs);
        times.loaded.push(report.loadedMs);
        times.render.push(report.renderMs);
        times.node.push(mustSucceed('node', await timeProcess([process.execPath, '-e', '0'], { env })).ms);
        times.kustomize.push(await kustomizeAll(overlays, parallel, env));
        console.log(`- run ${i + 1}/${runs}: ours ${ms(times.ours.at(-1)!)} ms, kustomize ${ms(times.kustomize.at(-1)!)} ms`);
      }

      const s = { ours: stats(times.ours), loaded: stats(times.loaded), render: stats(times.render), node: stats(times.node), kustomize: stats(times.kustomize) };
      const ratio = (x: number) => (x / s.ours.median).toFixed(2);
      const n = jobs.length;
      const row = (name: string, st: (typeof s)['ours'], ratioCell: string) => [name, ms(st.median), range(st), ms(st.median / n), ratioCell];
      console.log(`\n${runs} runs, interleaved; ${n} renders per run; kustomize ${parallel} at a time\n`);
      console.log(
        formatTable(
          ['workload', 'median ms', 'min–max ms', 'ms per render', 'this / ours'],
          [
            row(`ours: node render-runner.mjs (${n} renders, whole process)`, s.ours, '1.00'),
            row('  of which: start, load render-app (in-process)', s.loaded, ratio(s.loaded.median)),
            row(`  of which: ${n} renderApp calls (in-process)`, s.render, ratio(s.render.median)),
            row('baseline: node -e 0 (Node start)', s.node, ratio(s.node.median)),
            row(`baseline: kubectl kustomize × ${n} (${parallel} in parallel)`, s.kustomize, ratio(s.kustomize.median)),
          ],
          1,
        ),
      );
      const fast = s.ours.median <= BUDGET_MS;
      const times20 = s.kustomize.median / s.ours.median >= MIN_RATIO;
      console.log(`\n${fast ? 'PASS' : 'FAIL'}: all ${n} builtin renders ≤ ${BUDGET_MS} ms (whole process, median ${ms(s.ours.median)} ms)`);
      console.log(`${times20 ? 'PASS' : 'FAIL'}: ≥ ${MIN_RATIO}× faster than kubectl kustomize (${(s.kustomize.median / s.ours.median).toFixed(1)}×)`);
      console.log(`PASS: ${n} deployment.yaml files and ${expectedObjects} objects every run; kubectl kustomize exited 0 ${n * runs} times`);
      if (!fast || !times20) process.exitCode = 1;
    },
  );
}
