/**
 * Benchmark of `gitops-actions retag` (dist/cli/index.js) on a 20-layer, ~200 MB image in the
 * real distribution registry, as a whole process, next to skopeo copy and buildah
 * pull + tag + push doing the same job in the same interleaved rounds:
 *
 *   same repository      ours: retag <src> v1-r<N>                  (one manifest GET + PUT)
 *   another repository   ours: retag <src> <host>/bench/other-<N>:v1 (blob mounts)
 *   another registry     ours: retag <src> <host2>/bench/app-<N>:v1 (blobs streamed across)
 *
 *   npm run bench -- retag [--runs N] [--bundle path/to/cli/index.js]
 *
 * Every round writes to fresh tags / repositories, and skopeo and buildah get a fresh
 * blob-info cache (as on a new runner), so no run finds its work already done. Each result
 * is checked: the destination must answer a HEAD with the source's manifest digest.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../test/harness/fault-proxy.js';
import { createBuildahStore, makeLayeredImage, type BuildahStore, type LayeredImage } from '../test/harness/images.js';
import { startRegistry, type TestRegistry } from '../test/harness/registry-server.js';
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
  type Stats,
  type Timed,
} from './lib/measure.js';

const LAYERS = 20;
const LAYER_BYTES = 10 * 1024 * 1024;
const SOURCE_REPO = 'bench/app';
const SOURCE_TAG = 'v1';
const TARGET_VS_SKOPEO = 1.5;
const TARGET_VS_BUILDAH = 0.1;
/** Where containers/image keeps its blob-info cache when run as root. */
const SYSTEM_BLOB_INFO_CACHE = '/var/lib/containers/cache';

type CaseName = 'same repository' | 'another repository' | 'another registry';
const CASES: readonly CaseName[] = ['same repository', 'another repository', 'another registry'];

/** Where one workload writes in round `round`: registry, repository and tag. */
interface Destination {
  registry: TestRegistry;
  repository: string;
  tag: string;
}

interface Workload {
  case: CaseName;
  name: string;
  ours: boolean;
  /** Untimed set-up before the timed part (fresh caches). */
  before?: (round: number) => Promise<void>;
  /** The timed part: returns wall ms and the digest it reports (or '' when it reports none). */
  run: (round: number) => Promise<{ ms: number; steps?: Record<string, number> }>;
  /** Where it writes (checked after each run); none for the Node start floor. */
  destination?: (round: number) => Destination;
  /** Untimed clean-up after the check (removing pulled images). */
  after?: (round: number) => Promise<void>;
  times: number[];
  steps: Map<string, number[]>;
  /** Destination digests seen: the source's, or another (a rebuilt manifest). */
  digests: Set<string>;
}

export async function main(args: string[]): Promise<void> {
  const options = parseBenchArgs(args, 'retag', { runs: 11, acceptsBundle: true });
  const work = tempDir('gha-bench-retag-');
  let registry: TestRegistry | undefined;
  let registry2: TestRegistry | undefined;
  let store: BuildahStore | undefined;
  const proxies: FaultProxy[] = [];

  await withCleanup(
    async () => {
      for (const proxy of proxies) await proxy.close();
      await store?.cleanup();
      await registry?.stop();
      await registry2?.stop();
      removeDir(work);
    },
    async () => {
      await printMachine('retag benchmark', [['skopeo', '--version'], ['buildah', '--version'], ['docker-registry', '--version']]);
      const bundle = options.bundle ? copyBundleFile(options.bundle) : copyBundle('cli', work);
      console.log(`- bundle: ${options.bundle ?? 'dist/cli/index.js'} (${(bundle.bytes / 1024).toFixed(1)} kB, sha256 ${bundle.sha}…)${options.bundle ? '' : ', run from a private copy'}`);
      if (!existsSync(SYSTEM_BLOB_INFO_CACHE)) mkdirSync(SYSTEM_BLOB_INFO_CACHE, { recursive: true, mode: 0o700 });

      registry = await startRegistry();
      registry2 = await startRegistry();
      const src = registry;
      const dst2 = registry2;
      const started = performance.now();
      const image = await makeLayeredImage(src.url, SOURCE_REPO, SOURCE_TAG, { layers: LAYERS, layerBytes: LAYER_BYTES });
      console.log(
        `\nimage ${src.host}/${SOURCE_REPO}:${SOURCE_TAG}: ${image.layers.length} layers, ${(image.totalBytes / 1e6).toFixed(1)} MB ` +
          `compressed, ${image.manifestDigest} (uploaded in ${((performance.now() - started) / 1000).toFixed(1)} s, not timed)`,
      );
      console.log(`another registry: ${dst2.host}`);
      store = createBuildahStore();

      const home = path.join(work, 'home');
      const caches = path.join(work, 'caches');
      mkdirSync(home);
      mkdirSync(caches);
      const ctx: Context = { work, home, caches, bundle, image, src, dst2, store };
      const workloads = makeWorkloads(ctx);

      const sourceRef = `${src.host}/${SOURCE_REPO}:${SOURCE_TAG}`;
      console.log(`\n1 warm-up round + ${options.runs} timed rounds, interleaved; source ${sourceRef}`);
      for (let round = 0; round <= options.runs; round++) {
        const line: string[] = [];
        for (const w of workloads) {
          await w.before?.(round);
          const { ms: took, steps } = await w.run(round);
          const dest = w.destination?.(round);
          const digest = dest && (await headManifestDigest(dest.registry.url, dest.repository, dest.tag));
          if (dest && !digest) throw new Error(`${w.case} / ${w.name}: ${dest.registry.host}/${dest.repository}:${dest.tag} does not exist after the run`);
          if (w.ours && digest !== image.manifestDigest) {
            throw new Error(`${w.case} / ${w.name}: the destination holds ${digest}, not the source's ${image.manifestDigest}`);
          }
          await w.after?.(round);
          if (round === 0) continue; // warm-up
          w.times.push(took);
          if (digest) w.digests.add(digest);
          for (const [step, value] of Object.entries(steps ?? {})) {
            const list = w.steps.get(step) ?? [];
            list.push(value);
            w.steps.set(step, list);
          }
          line.push(`${w.ours ? 'ours' : w.name.split(' ')[w.name.startsWith('floor') ? 1 : 0]} ${took.toFixed(0)}`);
        }
        console.log(round === 0 ? '  warm-up: done' : `  round ${String(round).padStart(2)}: ${line.join(', ')} ms`);
      }

      const wrapper = await measureCacheWrapper(ctx, options.runs);
      const requests = await countRequests(ctx, proxies);
      report(workloads, image, wrapper, requests);
    },
  );
}

interface Context {
  work: string;
  home: string;
  caches: string;
  bundle: BundleCopy;
  image: LayeredImage;
  src: TestRegistry;
  dst2: TestRegistry;
  store: BuildahStore;
}

function makeWorkloads(ctx: Context): Workload[] {
  const { src, dst2, image } = ctx;
  const workloads: Workload[] = [];
  const add = (w: Omit<Workload, 'times' | 'steps' | 'digests'>) => workloads.push({ ...w, times: [], steps: new Map(), digests: new Set() });
  const ref = (d: Destination) => `${d.registry.host}/${d.repository}:${d.tag}`;
  const sourceRef = `${src.host}/${SOURCE_REPO}:${SOURCE_TAG}`;

  for (const caseName of CASES) {
    const dest = (suffix: string) => (round: number): Destination => {
      if (caseName === 'same repository') return { registry: src, repository: SOURCE_REPO, tag: `v1-${suffix}${round}` };
      if (caseName === 'another repository') return { registry: src, repository: `bench/other-${suffix}${round}`, tag: 'v1' };
      return { registry: dst2, repository: `bench/app-${suffix}${round}`, tag: 'v1' };
    };

    // ours: the bundled CLI, a fresh process per run, no credentials anywhere (anonymous registry).
    const oursDest = dest(caseName === 'same repository' ? 'r' : '');
    const oursTarget = { 'same repository': 'v1-r<N>', 'another repository': '<host>/bench/other-<N>:v1', 'another registry': '<host2>/bench/app-<N>:v1' }[caseName];
    add({
      case: caseName,
      name: `ours: retag --insecure <src> ${oursTarget}`,
      ours: true,
      destination: oursDest,
      run: async (round) => {
        const d = oursDest(round);
        const target = caseName === 'same repository' ? d.tag : ref(d);
        const r = mustSucceed('retag', await timeProcess([process.execPath, ctx.bundle.file, 'retag', '--insecure', sourceRef, target], { env: cleanEnv(ctx.home), cwd: ctx.work }));
        const expected = `${ref(d)}@${image.manifestDigest}`;
        if (r.stdout.trim() !== expected) throw new Error(`retag printed '${r.stdout.trim()}', expected '${expected}'`);
        return { ms: r.ms };
      },
    });

    // The floor of any Node CLI, for reading the same-repository figures.
    if (caseName === 'same repository') {
      add({
        case: caseName,
        name: 'floor: node -e 0 (Node start)',
        ours: false,
        run: async () => ({ ms: mustSucceed('node -e 0', await timeProcess([process.execPath, '-e', '0'], { env: cleanEnv(ctx.home), cwd: ctx.work })).ms }),
      });
    }

    // skopeo copy with a fresh blob-info cache per run: what a new runner's first copy does.
    const skopeoDest = dest('s');
    add({
      case: caseName,
      name: 'skopeo copy (fresh blob-info cache)',
      ours: false,
      destination: skopeoDest,
      before: async (round) => {
        mkdirSync(path.join(ctx.caches, `skopeo-${slug(caseName)}-${round}`));
      },
      run: async (round) => {
        const r = mustSucceed('skopeo copy', await skopeoCopy(ctx, path.join(ctx.caches, `skopeo-${slug(caseName)}-${round}`), sourceRef, ref(skopeoDest(round))));
        return { ms: r.ms };
      },
      after: async (round) => removeDir(path.join(ctx.caches, `skopeo-${slug(caseName)}-${round}`)),
    });

    // Within a registry, skopeo mounts only blobs its cache has seen in that registry: measure
    // that too, with one cache kept across rounds (primed by the warm-up round).
    if (caseName === 'another repository') {
      const warmDest = dest('w');
      const warmCache = path.join(ctx.caches, 'skopeo-warm');
      add({
        case: caseName,
        name: 'skopeo copy (blob-info cache kept across rounds)',
        ours: false,
        destination: warmDest,
        before: async () => {
          mkdirSync(warmCache, { recursive: true });
        },
        run: async (round) => {
          const r = mustSucceed('skopeo copy', await skopeoCopy(ctx, warmCache, sourceRef, ref(warmDest(round))));
          return { ms: r.ms };
        },
      });
    }

    // buildah pull + tag + push, in a private store, with a fresh blob-info cache per round;
    // the pulled image is removed afterwards (untimed), so every pull is real.
    const buildahDest = dest('b');
    add({
      case: caseName,
      name: 'buildah pull + tag + push',
      ours: false,
      destination: buildahDest,
      before: async (round) => {
        mkdirSync(path.join(ctx.caches, `buildah-${slug(caseName)}-${round}`));
      },
      run: async (round) => {
        const cache = path.join(ctx.caches, `buildah-${slug(caseName)}-${round}`);
        const target = ref(buildahDest(round));
        const started = process.hrtime.bigint();
        const pull = mustSucceed('buildah pull', await buildah(ctx, cache, ['pull', '--tls-verify=false', `docker://${sourceRef}`]));
        const tag = mustSucceed('buildah tag', await buildah(ctx, cache, ['tag', sourceRef, target]));
        const push = mustSucceed('buildah push', await buildah(ctx, cache, ['push', '--tls-verify=false', target, `docker://${target}`]));
        const total = Number(process.hrtime.bigint() - started) / 1e6;
        return { ms: total, steps: { pull: pull.ms, tag: tag.ms, push: push.ms } };
      },
      after: async (round) => {
        mustSucceed('buildah rmi', await buildah(ctx, undefined, ['rmi', '--all', '--force']));
        removeDir(path.join(ctx.caches, `buildah-${slug(caseName)}-${round}`));
      },
    });
  }
  return workloads;
}

/** PATH and an empty HOME: no docker config, no containers auth or registries.conf of the user. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

/**
 * skopeo with its blob-info cache in `cacheDir`. As root, containers/image always uses
 * /var/lib/containers/cache; `_CONTAINERS_ROOTLESS_UID` (containers/image's own override of the
 * effective uid) makes it use $XDG_DATA_HOME/containers/cache instead, at no cost. Nothing else
 * changes for a docker:// to docker:// copy with no credentials.
 */
function skopeoCopy(ctx: Context, cacheDir: string, from: string, to: string, extra: string[] = []): Promise<Timed> {
  return timeProcess(
    ['skopeo', ...extra, 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${from}`, `docker://${to}`],
    { env: { ...cleanEnv(ctx.home), _CONTAINERS_ROOTLESS_UID: '65534', XDG_DATA_HOME: cacheDir }, cwd: ctx.work },
  );
}

/**
 * buildah in the private store (through its storage.conf, `store.env`). With `cacheDir`, in a
 * private mount namespace with that directory bound over /var/lib/containers/cache, so the
 * round's pull and push share a blob-info cache no other round (or test on this machine) sees;
 * buildah as root has no other way to move it. The wrapper costs a few ms (measured, reported).
 */
function buildah(ctx: Context, cacheDir: string | undefined, args: readonly string[]): Promise<Timed> {
  const env = { ...cleanEnv(ctx.home), ...ctx.store.env };
  const argv = cacheDir ? [...cacheWrapper(cacheDir), 'buildah', ...args] : ['buildah', ...args];
  return timeProcess(argv, { env, cwd: ctx.work });
}

function cacheWrapper(cacheDir: string): string[] {
  return [
    'unshare', '--mount', '--propagation', 'private',
    'sh', '-c', `mount --bind "$0" ${SYSTEM_BLOB_INFO_CACHE} && exec "$@"`, cacheDir,
  ];
}

/** The cost of the mount-namespace wrapper alone (`… exec true`), paid once per buildah step. */
async function measureCacheWrapper(ctx: Context, runs: number): Promise<Stats> {
  const dir = path.join(ctx.caches, 'wrapper');
  mkdirSync(dir, { recursive: true });
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const r = mustSucceed('unshare wrapper', await timeProcess([...cacheWrapper(dir), 'true'], { env: cleanEnv(ctx.home) }));
    if (i > 0) times.push(r.ms);
  }
  return stats(times);
}

interface RequestCount {
  case: CaseName;
  workload: string;
  summary: string;
}

/**
 * One more, untimed run of each workload through a pass-through proxy in front of each
 * registry, counting the requests by kind: what each tool actually does (mounts, uploads,
 * existence checks). The warm-cache skopeo variant is left out: its cache knows the
 * registries by their own addresses, not the proxies'.
 */
async function countRequests(ctx: Context, proxies: FaultProxy[]): Promise<RequestCount[]> {
  const p1 = await startFaultProxy({ target: ctx.src.url });
  proxies.push(p1);
  const p2 = await startFaultProxy({ target: ctx.dst2.url });
  proxies.push(p2);
  const from = `${p1.host}/${SOURCE_REPO}:${SOURCE_TAG}`;
  const out: RequestCount[] = [];
  for (const caseName of CASES) {
    const to = (suffix: string) =>
      caseName === 'same repository'
        ? { short: `v1-diag-${suffix}`, full: `${p1.host}/${SOURCE_REPO}:v1-diag-${suffix}` }
        : caseName === 'another repository'
          ? { short: '', full: `${p1.host}/bench/diag-${suffix}:v1` }
          : { short: '', full: `${p2.host}/bench/diag-${suffix}:v1` };
    const take = (): ProxiedRequest[] => {
      const all = [...p1.requests.splice(0), ...p2.requests.splice(0)];
      return all;
    };
    take();
    const oursTarget = to('ours');
    mustSucceed('retag (diagnostic)', await timeProcess([process.execPath, ctx.bundle.file, 'retag', '--insecure', from, oursTarget.short || oursTarget.full], { env: cleanEnv(ctx.home) }));
    out.push({ case: caseName, workload: 'ours', summary: summarize(take()) });

    const cache = path.join(ctx.caches, `diag-skopeo-${slug(caseName)}`);
    mkdirSync(cache);
    mustSucceed('skopeo copy (diagnostic)', await skopeoCopy(ctx, cache, from, to('skopeo').full));
    out.push({ case: caseName, workload: 'skopeo copy (fresh cache)', summary: summarize(take()) });

    const bcache = path.join(ctx.caches, `diag-buildah-${slug(caseName)}`);
    mkdirSync(bcache);
    const target = to('buildah').full;
    mustSucceed('buildah pull (diagnostic)', await buildah(ctx, bcache, ['pull', '--tls-verify=false', `docker://${from}`]));
    const pulled = summarize(take());
    mustSucceed('buildah tag (diagnostic)', await buildah(ctx, bcache, ['tag', from, target]));
    mustSucceed('buildah push (diagnostic)', await buildah(ctx, bcache, ['push', '--tls-verify=false', target, `docker://${target}`]));
    out.push({ case: caseName, workload: 'buildah pull + tag + push', summary: `pull: ${pulled}; push: ${summarize(take())}` });
    mustSucceed('buildah rmi', await buildah(ctx, undefined, ['rmi', '--all', '--force']));
  }
  // The warm skopeo variant: its own debug log says whether it mounted.
  const warm = path.join(ctx.caches, 'skopeo-warm');
  if (readdirSync(warm).length > 0) {
    const r = mustSucceed(
      'skopeo copy --debug (diagnostic)',
      await skopeoCopy(ctx, warm, `${ctx.src.host}/${SOURCE_REPO}:${SOURCE_TAG}`, `${ctx.src.host}/bench/diag-warm:v1`, ['--debug']),
    );
    const mounted = (r.stderr.match(/mount OK/g) ?? []).length;
    const patches = (r.stderr.match(/msg="PATCH /g) ?? []).length;
    out.push({ case: 'another repository', workload: 'skopeo copy (kept cache; from its debug log)', summary: `${mounted} blobs mounted, ${patches} uploaded` });
  }
  return out;
}

/** e.g. "ping 2, manifest GET 1, blob HEAD 21, mount 21 (21 mounted), manifest PUT 1". */
function summarize(requests: readonly ProxiedRequest[]): string {
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const r of requests) {
    const url = new URL(r.path, 'http://x');
    if (url.pathname === '/v2/' || url.pathname === '/v2') bump(`ping ${r.method}`);
    else if (/\/manifests\//.test(url.pathname)) bump(`manifest ${r.method}`);
    else if (/\/blobs\/uploads\/?$/.test(url.pathname) && r.method === 'POST' && url.searchParams.has('mount')) {
      bump(r.status === 201 ? 'mount (201 mounted)' : `mount (${r.status ?? '?'})`);
    } else if (/\/blobs\/uploads\//.test(url.pathname)) bump(`upload ${r.method}`);
    else if (/\/blobs\/sha256:/.test(url.pathname)) bump(`blob ${r.method}`);
    else bump(`other ${r.method} ${url.pathname}`);
  }
  return [...counts].map(([k, v]) => `${k} ×${v}`).join(', ') || 'no requests';
}

function report(workloads: readonly Workload[], image: LayeredImage, wrapper: Stats, requests: readonly RequestCount[]): void {
  const oursMedian = new Map<CaseName, number>();
  for (const w of workloads) if (w.ours) oursMedian.set(w.case, stats(w.times).median);
  const oursTimes = new Map<CaseName, number[]>();
  for (const w of workloads) if (w.ours) oursTimes.set(w.case, w.times);
  /** Median over rounds of ours(round) / this(round): steadier than the ratio of medians when load shifts mid-run. */
  const perRound = (w: Workload): number => {
    const mine = oursTimes.get(w.case) ?? [];
    return stats(w.times.map((t, i) => (mine[i] ?? Number.NaN) / t)).median;
  };
  const rows = workloads.map((w) => {
    const s = stats(w.times);
    const mine = oursMedian.get(w.case) ?? Number.NaN;
    const kept = w.digests.size === 0 ? '–' : [...w.digests].every((d) => d === image.manifestDigest) ? 'yes' : `no (${[...w.digests].map((d) => d.slice(7, 19)).join(', ')}…)`;
    return [w.case, w.name, ms(s.median), range(s), w.ours ? '1.00' : ratio(mine / s.median), w.ours ? '1.00' : ratio(perRound(w)), kept];
  });
  console.log(
    `\n${workloads[0]?.times.length ?? 0} rounds; wall time of each whole workload (buildah: the three processes in sequence); ` +
      `ours / this = ratio of the medians; per-round ratio = median of ours / this within each round\n`,
  );
  console.log(formatTable(['case', 'workload', 'median ms', 'min–max ms', 'ours / this', 'per-round ratio', 'digest kept'], rows, 2));

  console.log('\nbuildah steps (median ms):');
  for (const w of workloads.filter((x) => x.steps.size > 0)) {
    console.log(`  ${w.case}: ${[...w.steps].map(([k, v]) => `${k} ${ms(stats(v).median)}`).join(', ')}`);
  }
  console.log(`  (each buildah step includes the blob-info cache wrapper: unshare + bind mount, median ${ms(wrapper.median)} ms, ${range(wrapper)})`);

  console.log('\nrequests per run (one untimed run of each through a pass-through proxy):');
  for (const r of requests) console.log(`  ${r.case} / ${r.workload}: ${r.summary}`);

  console.log('');
  let ok = true;
  for (const caseName of CASES) {
    const mine = oursMedian.get(caseName) ?? Number.NaN;
    const skopeo = workloads.find((w) => w.case === caseName && w.name.startsWith('skopeo copy (fresh'));
    const buildahW = workloads.find((w) => w.case === caseName && w.name.startsWith('buildah'));
    const vsSkopeo = mine / stats(skopeo?.times ?? []).median;
    const vsBuildah = mine / stats(buildahW?.times ?? []).median;
    const roundS = skopeo ? ratio(perRound(skopeo)) : '–';
    const roundB = buildahW ? ratio(perRound(buildahW)) : '–';
    const target = caseName === 'same repository';
    const a = vsSkopeo <= TARGET_VS_SKOPEO;
    const b = vsBuildah <= TARGET_VS_BUILDAH;
    if (target) ok &&= a && b;
    const label = (pass: boolean) => (target ? (pass ? 'PASS' : 'FAIL') : pass ? 'met (no target)' : 'not met (no target)');
    console.log(`${label(a)}: ${caseName}: ours ≤ ${TARGET_VS_SKOPEO}× skopeo copy (${vsSkopeo.toFixed(2)}×: ${ms(mine)} vs ${ms(stats(skopeo?.times ?? []).median)} ms; per-round ${roundS}×)`);
    console.log(`${label(b)}: ${caseName}: ours ≤ ${TARGET_VS_BUILDAH}× buildah pull + tag + push (${vsBuildah.toFixed(3)}×: ${ms(mine)} vs ${ms(stats(buildahW?.times ?? []).median)} ms; per-round ${roundB}×)`);
  }
  console.log('PASS: every destination of ours answered HEAD with the source digest, every round');
  if (!ok) process.exitCode = 1;
}

/** Two decimals, three below 0.1 (where the 0.1× target is judged). */
function ratio(value: number): string {
  return value < 0.1 ? value.toFixed(3) : value.toFixed(2);
}

function slug(caseName: CaseName): string {
  return caseName.replace(/ /g, '-');
}

function copyBundleFile(file: string): BundleCopy {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new Error(`${file} not found`);
  // A bundle given by path is run where it is (the package.json next to it decides ESM).
  const bytes = readFileSync(resolved);
  return { file: resolved, dir: path.dirname(resolved), sha: createHash('sha256').update(bytes).digest('hex').slice(0, 12), bytes: bytes.length };
}

