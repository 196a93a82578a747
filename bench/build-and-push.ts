/**
 * The build-and-push action's own overhead: the bundled dist/build-and-push/index.js run as a
 * whole process with a runner-faithful environment (buildah, a tiny FROM scratch + COPY
 * context, the real registry), minus the builder doing the same work on its own in the same
 * rounds: the `buildah build` and `buildah push` the action runs, with the same arguments
 * and store. Also times the skip-existing path (the same commit again: no build).
 *
 *   npm run bench -- build-and-push [--runs N]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBuildahStore, type BuildahStore } from '../test/harness/images.js';
import { startRegistry, type TestRegistry } from '../test/harness/registry-server.js';
import { prepareStep, type PreparedStep } from '../test/harness/run-bundle.js';
import {
  copyBundle,
  formatTable,
  headManifestDigest,
  ms,
  mustSucceed,
  parseBenchArgs,
  printMachine,
  range,
  removeDir,
  stats,
  tempDir,
  timeProcess,
  withCleanup,
  type BundleCopy,
} from './lib/measure.js';

const OVERHEAD_TARGET_MS = 300;
const REPOSITORY = 'bench/small';
const SHA = '5f3c1e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const REPOSITORY_SLUG = 'acme/verity-api'; // prepareStep's default github.repository
const CONTAINERFILE = 'FROM scratch\nCOPY hello.txt /hello.txt\n';

interface Series {
  name: string;
  times: number[];
}

export async function main(args: string[]): Promise<void> {
  const options = parseBenchArgs(args, 'build-and-push', { runs: 11, acceptsBundle: false });
  const work = tempDir('gha-bench-build-');
  const stepDirs: string[] = [];
  let registry: TestRegistry | undefined;
  let store: BuildahStore | undefined;

  await withCleanup(
    async () => {
      await store?.cleanup();
      await registry?.stop();
      for (const dir of stepDirs) removeDir(dir);
      removeDir(work);
    },
    async () => {
      await printMachine('build-and-push benchmark', [['buildah', '--version'], ['skopeo', '--version']]);
      const bundle = copyBundle('build-and-push', work);
      console.log(`- bundle: dist/build-and-push/index.js (${(bundle.bytes / 1024).toFixed(1)} kB, sha256 ${bundle.sha}…), run from a private copy`);
      registry = await startRegistry();
      store = createBuildahStore();
      const image = `${registry.host}/${REPOSITORY}`;

      // The build step, and a second step for the same commit (skip-existing on, its default).
      const build = prepareStep('build-and-push', {
        inputs: { image, tags: 'r0', insecure: 'true', 'skip-existing': 'false' },
        context: { sha: SHA },
        env: store.env,
      });
      const skip = prepareStep('build-and-push', {
        inputs: { image, tags: 'r0', insecure: 'true' },
        context: { sha: SHA },
        env: store.env,
        workspace: build.workspace, // the same checkout: the step validates the Dockerfile first
      });
      // prepareStep leaves its directories (workspace, runner-temp, home) for the caller to remove.
      stepDirs.push(path.dirname(build.workspace), path.dirname(path.dirname(skip.files.output)));
      writeFileSync(path.join(build.workspace, 'Dockerfile'), CONTAINERFILE);
      writeFileSync(path.join(build.workspace, 'hello.txt'), 'hello from the build-and-push benchmark\n');
      const ctx: Context = { work, bundle, registry, store, image, build, skip };

      console.log(`\nimage ${image}; context: ${CONTAINERFILE.trim().replace('\n', ' + ')} (${build.workspace})`);
      console.log(`1 warm-up round + ${options.runs} timed rounds, interleaved: action build, builder alone, action skip-existing`);

      const ours: Series = { name: 'ours: node dist/build-and-push/index.js (build + push)', times: [] };
      const builder: Series = { name: 'baseline: buildah build + buildah push', times: [] };
      const builderBuild: Series = { name: '  of which buildah build', times: [] };
      const builderPush: Series = { name: '  of which buildah push', times: [] };
      const builderRmi: Series = { name: 'buildah rmi (the action removes its local image too)', times: [] };
      const skipped: Series = { name: 'ours: skip-existing (same commit again, no build)', times: [] };
      const inspect: Series = { name: 'baseline: skopeo inspect (reads the same manifest + config)', times: [] };
      const nodeStart: Series = { name: 'baseline: node -e 0 (Node start)', times: [] };
      const dockerProbe: Series = { name: 'docker version (the action\'s docker probe; no daemon here)', times: [] };
      const buildahProbe: Series = { name: 'buildah --version (the action\'s buildah probe)', times: [] };
      const overhead: number[] = [];
      const overheadWithRmi: number[] = [];

      for (let round = 0; round <= options.runs; round++) {
        const a = await runAction(ctx, round);
        const b = await runBuilderAlone(ctx, round);
        const s = await runSkip(ctx, round, a.digest);
        const i = mustSucceed('skopeo inspect', await timeProcess(
          ['skopeo', 'inspect', '--tls-verify=false', `docker://${image}:r${round}`],
          { env: toolEnv(ctx), cwd: work },
        ));
        const label = (JSON.parse(i.stdout) as { Labels?: Record<string, string> }).Labels?.['org.opencontainers.image.revision'];
        if (label !== SHA) throw new Error(`skopeo inspect found revision label '${label}', expected ${SHA}`);
        const n = mustSucceed('node -e 0', await timeProcess([process.execPath, '-e', '0'], { env: toolEnv(ctx) }));
        // The two probes the action runs before building (select-builder.ts), alone, with its argv.
        const d = await timeProcess(['docker', 'version', '--format', '{{.Server.Version}}'], { env: toolEnv(ctx) }).catch(() => undefined);
        const v = mustSucceed('buildah --version', await timeProcess(['buildah', '--version'], { env: toolEnv(ctx) }));
        if (round === 0) {
          console.log('  warm-up: done');
          continue;
        }
        ours.times.push(a.ms);
        builder.times.push(b.build + b.push);
        builderBuild.times.push(b.build);
        builderPush.times.push(b.push);
        builderRmi.times.push(b.rmi);
        skipped.times.push(s);
        inspect.times.push(i.ms);
        nodeStart.times.push(n.ms);
        if (d) dockerProbe.times.push(d.ms);
        buildahProbe.times.push(v.ms);
        overhead.push(a.ms - (b.build + b.push));
        overheadWithRmi.push(a.ms - (b.build + b.push + b.rmi));
        console.log(
          `  round ${String(round).padStart(2)}: action ${a.ms.toFixed(0)}, builder ${(b.build + b.push).toFixed(0)} ` +
            `(build ${b.build.toFixed(0)} + push ${b.push.toFixed(0)}; rmi ${b.rmi.toFixed(0)}), ` +
            `overhead ${(a.ms - b.build - b.push).toFixed(0)}, skip ${s.toFixed(0)}, skopeo inspect ${i.ms.toFixed(0)}, node ${n.ms.toFixed(0)} ms`,
        );
      }

      const breakdown = await childProcessBreakdown(ctx, options.runs + 1);

      const base = stats(ours.times).median;
      const rows = [ours, builder, builderBuild, builderPush, builderRmi, dockerProbe, buildahProbe, skipped, inspect, nodeStart].map((series) => {
        const s = stats(series.times);
        return [series.name, ms(s.median), range(s)];
      });
      console.log(`\n${ours.times.length} rounds; wall time of each whole process (medians)\n`);
      console.log(formatTable(['workload', 'median ms', 'min–max ms'], rows, 1));
      const o = stats(overhead);
      const o2 = stats(overheadWithRmi);
      console.log(
        `\noverhead = action − (build + push), per round: median ${ms(o.median)} ms (${range(o)}); ` +
          `difference of the medians ${ms(base - stats(builder.times).median)} ms`,
      );
      console.log(`overhead = action − (build + push + rmi), per round: median ${ms(o2.median)} ms (${range(o2)})`);
      const probes = stats(dockerProbe.times).median + stats(buildahProbe.times).median;
      console.log(
        `of the overhead: buildah rmi ${ms(stats(builderRmi.times).median)}, the two builder probes ${ms(probes)}, ` +
          `Node start ${ms(stats(nodeStart.times).median)}; the rest (loading the bundle, spawning 5 children instead of 2, ` +
          `writing outputs) ${ms(o.median - stats(builderRmi.times).median - probes - stats(nodeStart.times).median)} ms`,
      );
      console.log(`\nwhere the action's time goes (one more run of each under strace, children timed from execve to exit_group):\n${breakdown}`);
      console.log('');
      const pass = o.median <= OVERHEAD_TARGET_MS;
      console.log(`${pass ? 'PASS' : 'FAIL'}: action overhead over the builder alone ≤ ${OVERHEAD_TARGET_MS} ms (median of per-round differences: ${ms(o.median)} ms)`);
      console.log(`PASS: every build's digest output matched the registry, and every second run of the commit skipped with that digest`);
      if (!pass) process.exitCode = 1;
    },
  );
}

interface Context {
  work: string;
  bundle: BundleCopy;
  registry: TestRegistry;
  store: BuildahStore;
  image: string;
  build: PreparedStep;
  skip: PreparedStep;
}

/** The builder alone gets what the action's children get: PATH, HOME and the store's storage.conf. */
function toolEnv(ctx: Context): NodeJS.ProcessEnv {
  return { PATH: ctx.build.env.PATH, HOME: ctx.build.env.HOME, LANG: 'C.UTF-8', ...ctx.store.env };
}

async function runAction(ctx: Context, round: number): Promise<{ ms: number; digest: string }> {
  const tag = `r${round}`;
  ctx.build.reset();
  ctx.build.env.INPUT_TAGS = tag;
  const r = mustSucceed('dist/build-and-push/index.js', await timeProcess([process.execPath, ctx.bundle.file], { env: ctx.build.env, cwd: ctx.build.workspace }));
  const out = ctx.build.outputs();
  const digest = out.digest ?? '';
  if (out.skipped !== 'false' || out.builder !== 'buildah' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`unexpected outputs ${JSON.stringify(out)}\n${r.stdout}`);
  }
  const stored = await headManifestDigest(ctx.registry.url, REPOSITORY, tag);
  if (stored !== digest) throw new Error(`${ctx.image}:${tag} holds ${stored ?? 'nothing'}, the action reported ${digest}`);
  return { ms: r.ms, digest };
}

/** The same `buildah build` / `buildah push` / `buildah rmi` argv the action runs (buildah-builder.ts). */
async function runBuilderAlone(ctx: Context, round: number): Promise<{ build: number; push: number; rmi: number }> {
  const tag = `b${round}`;
  const local = `localhost/bench-builder-${process.pid}-${round}`;
  const labels: Record<string, string> = {
    'org.opencontainers.image.source': `https://github.com/${REPOSITORY_SLUG}`,
    'org.opencontainers.image.revision': SHA,
    'org.opencontainers.image.version': tag,
    'org.opencontainers.image.created': new Date().toISOString(),
    'org.opencontainers.image.title': path.basename(REPOSITORY),
  };
  const context = ctx.build.workspace;
  const env = toolEnv(ctx);
  const build = mustSucceed('buildah build', await timeProcess(
    [
      'buildah', 'build', '--file', path.join(context, 'Dockerfile'), '--tag', local, '--isolation', 'chroot',
      ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      '--layers', '--tls-verify=false', context,
    ],
    { env, cwd: context },
  ));
  const digestFile = path.join(ctx.work, `digest-${round}`);
  writeFileSync(digestFile, '', { mode: 0o600 });
  const push = mustSucceed('buildah push', await timeProcess(
    ['buildah', 'push', '--digestfile', digestFile, '--tls-verify=false', local, `docker://${ctx.image}:${tag}`],
    { env, cwd: ctx.work },
  ));
  const rmi = mustSucceed('buildah rmi', await timeProcess(['buildah', 'rmi', local], { env, cwd: ctx.work }));
  const pushed = readFileSync(digestFile, 'utf8').trim();
  const stored = await headManifestDigest(ctx.registry.url, REPOSITORY, tag);
  if (!pushed || stored !== pushed) throw new Error(`${ctx.image}:${tag} holds ${stored ?? 'nothing'}, buildah pushed ${pushed}`);
  return { build: build.ms, push: push.ms, rmi: rmi.ms };
}

async function runSkip(ctx: Context, round: number, digest: string): Promise<number> {
  ctx.skip.reset();
  ctx.skip.env.INPUT_TAGS = `r${round}`;
  const r = mustSucceed('dist/build-and-push/index.js (skip)', await timeProcess([process.execPath, ctx.bundle.file], { env: ctx.skip.env, cwd: ctx.skip.workspace }));
  const out = ctx.skip.outputs();
  if (out.skipped !== 'true' || out.digest !== digest) {
    throw new Error(`the second run of the commit did not skip with ${digest}: ${JSON.stringify(out)}\n${r.stdout}`);
  }
  return r.ms;
}

/**
 * One more run of the action (a build, then the skip-existing path) under `strace -f`, tracing
 * only execve and exit_group (seccomp-filtered, so nothing else stops): when each child
 * started and ended, and how long the action spent outside them (Node start, loading the
 * bundle, registry requests, spawning, writing outputs). strace makes every process a little
 * slower (~10 % here), so read the parts, not the sum, against the table.
 */
async function childProcessBreakdown(ctx: Context, round: number): Promise<string> {
  const probe = await timeProcess(['strace', '-V'], { env: { PATH: ctx.build.env.PATH } }).catch(() => undefined);
  if (probe?.code !== 0) return '  (strace is not installed: no breakdown)';
  const lines: string[] = [];
  for (const [label, step] of [['build', ctx.build], ['skip-existing', ctx.skip]] as const) {
    const log = path.join(ctx.work, `strace-${label}.log`);
    step.reset();
    step.env.INPUT_TAGS = `r${round}`;
    const r = mustSucceed(
      `action (${label}, under strace)`,
      await timeProcess(
        ['strace', '-f', '-ttt', '-qq', '--seccomp-bpf', '-e', 'trace=execve,exit_group', '-o', log, process.execPath, ctx.bundle.file],
        { env: step.env, cwd: step.workspace },
      ),
    );
    lines.push(`  ${label}: ${describeTrace(readFileSync(log, 'utf8'), r.ms)}`);
  }
  return lines.join('\n');
}

interface TraceEvent {
  tid: number;
  t: number;
  kind: 'exec' | 'exit';
  /** argv[0..2] of an execve. */
  what: string;
}

/**
 * Reads `strace -f -ttt` lines. The children run one after another, so the last exit_group
 * before the next child's execve ends the previous child (threads of a Go program exit the
 * group from any thread id; buildah's own helpers exit before it does).
 */
function describeTrace(text: string, wallMs: number): string {
  const events: TraceEvent[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)\s+(\d+\.\d+)\s+(execve|exit_group)\((.*)$/.exec(line);
    if (!m) continue;
    const [, tid, t, call, rest] = m;
    const argv = [...(rest ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].slice(1, 4).map((x) => x[1] ?? '');
    events.push({ tid: Number(tid), t: Number(t) * 1000, kind: call === 'execve' ? 'exec' : 'exit', what: argv.join(' ') });
  }
  const node = events[0];
  const end = events.filter((e) => e.kind === 'exit').at(-1);
  if (!node || !end) return 'no trace';
  // A child's start is its first execve attempt (spawn walks PATH); helpers re-exec /proc/self/exe.
  const starts: TraceEvent[] = [];
  for (const e of events.slice(1)) {
    if (e.kind !== 'exec' || e.what.startsWith('buildah-copier') || e.what.startsWith('storage-')) continue;
    if (/proc\/self\/exe/.test(e.what)) continue;
    if (starts.at(-1)?.tid === e.tid) continue; // the same spawn trying the next PATH entry
    starts.push(e);
  }
  const children = starts.map((start, i) => {
    const next = starts[i + 1]?.t ?? end.t;
    const exits = events.filter((e) => e.kind === 'exit' && e.t >= start.t && e.t < next && e !== end);
    return { what: start.what, start: start.t, end: exits.at(-1)?.t ?? start.t };
  });
  const inChildren = children.reduce((sum, c) => sum + (c.end - c.start), 0);
  const first = children[0];
  const last = children.at(-1);
  const parts = children.map((c) => `${c.what} ${(c.end - c.start).toFixed(0)}`);
  const traced = end.t - node.t;
  return (
    `${wallMs.toFixed(0)} ms wall (${traced.toFixed(0)} from exec to exit) = children ${inChildren.toFixed(0)} ms ` +
    `[${parts.join(', ') || 'none'}] + the action's own ${(traced - inChildren).toFixed(0)} ms` +
    (first && last
      ? ` (exec to the first child ${(first.start - node.t).toFixed(0)}, between children ${(last.end - first.start - inChildren).toFixed(0)} ` +
        `over ${children.length - 1} gaps, last child to exit ${(end.t - last.end).toFixed(0)})`
      : '')
  );
}

