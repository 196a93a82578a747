/**
 * Child process of `npm run bench -- render`: renders every (app, environment) pair listed in
 * `<jobs.json>` with the builtin monochart, in one process, `batch` renders at a time through
 * Promise.all, into `<output>`. Prints one JSON line with its own timings:
 *   loadedMs  process start (performance.timeOrigin) to render-app and its imports loaded
 *   renderMs  the renders alone
 * bench/render.ts bundles it with esbuild and runs `node render-runner.mjs <jobs.json> <output> [batch]`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface RenderJob {
  app: string;
  environment: string;
  values: string[];
  namespace: string;
  image: string;
  imageTag: string;
}

export interface RunnerReport {
  loadedMs: number;
  renderMs: number;
  renders: number;
  files: number;
  objects: number;
}

const [jobsFile, output, batchArg] = process.argv.slice(2);
if (!jobsFile || !output) throw new Error('usage: render-runner.ts <jobs.json> <output> [batch]');
const batch = Number(batchArg ?? 50);
const { workspace, jobs } = JSON.parse(readFileSync(jobsFile, 'utf8')) as { workspace: string; jobs: RenderJob[] };

const { renderApp } = await import('../../packages/core/src/render/render-app.js');
const loadedMs = performance.now();

const started = performance.now();
let files = 0;
let objects = 0;
for (let i = 0; i < jobs.length; i += batch) {
  const results = await Promise.all(
    jobs.slice(i, i + batch).map((job) =>
      renderApp(
        {
          app: job.app,
          environment: job.environment,
          values: job.values,
          chart: 'builtin:monochart',
          engine: 'auto',
          version: '',
          image: job.image,
          imageTag: job.imageTag,
          imageDigest: '',
          namespace: job.namespace,
          set: [],
          output,
          kubeVersion: '1.32',
          helmVersion: '3.19.0',
          toolCache: output,
          validate: true,
          timeoutSeconds: 90,
          workspace,
          tempDir: output,
          sourceRepository: 'https://github.com/acme/deployments',
          sourceCommit: 'c'.repeat(40),
        },
        () => {},
      ),
    ),
  );
  for (const r of results) {
    files += r.files.length;
    objects += r.resources.length;
  }
}
const renderMs = performance.now() - started;

const report: RunnerReport = { loadedMs, renderMs, renders: jobs.length, files, objects };
process.stdout.write(`${JSON.stringify(report)}\n`);
