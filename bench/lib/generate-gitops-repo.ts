/**
 * Generates a GitOps repository shaped like a busy one, for bench/commit: `apps` directories
 * in the canonical layout `<app>--<environment>/monochart/templates/{deployment,service,
 * configmap}.yaml` (render's output, provenance annotations included), and a history of
 * `commits` commits on `main` where each one deploys a new version of one app — what years of
 * pipelines leave behind. Written with `git fast-import`, repacked as a server keeps it, and
 * cached under the OS temp dir keyed by its parameters (generation is not timed).
 *
 * Layout of a cache entry, `<tmp>/gitops-actions-bench/gitops-<commits>-<apps>-v<N>/`:
 *   origin.git/   the bare repository (uploadpack.allowFilter on, as GitHub has it)
 *   meta.json     what was generated; written last, so its presence marks a complete entry
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanGitEnv } from './generate-repo.js';
import { mulberry32 } from './seeded-random.js';

/** Bump when the generated repository changes, so stale caches are rebuilt. */
const GENERATOR_VERSION = 1;
const ENVIRONMENTS = ['staging', 'production'] as const;
const BASE_TIME = 1_600_000_000;
const COMMIT_INTERVAL = 600;
const BOT = 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>';

export interface GitopsRepoSpec {
  commits: number;
  apps: number;
}

export interface GitopsRepoMeta {
  generatorVersion: number;
  commits: number;
  apps: number;
  /** App directories, e.g. `svc-0042--staging`. */
  appDirs: string[];
  /** Files below each app directory. */
  filesPerApp: number;
  /** The highest `1.0.N` any app reached; writers should deploy above it. */
  highestPatch: number;
  packBytes: number;
  headSha: string;
  generationSeconds: number;
}

export interface GeneratedGitopsRepo {
  dir: string;
  bare: string;
  meta: GitopsRepoMeta;
  reused: boolean;
}

export function appDirName(index: number): string {
  const app = `svc-${String(Math.floor(index / ENVIRONMENTS.length)).padStart(4, '0')}`;
  return `${app}--${ENVIRONMENTS[index % ENVIRONMENTS.length]}`;
}

/** The rendered files of one app directory at one version, as render writes them. */
export function appFiles(dir: string, version: string, commit = '0'.repeat(40)): Record<string, string> {
  const [app, environment] = dir.split('--') as [string, string];
  const meta = (kind: string) =>
    `apiVersion: ${kind === 'Deployment' ? 'apps/v1' : 'v1'}\nkind: ${kind}\nmetadata:\n  name: ${app}\n  namespace: ${environment}\n` +
    `  labels:\n    app.kubernetes.io/name: ${app}\n    app.kubernetes.io/instance: ${app}-${environment}\n    app.kubernetes.io/managed-by: gitops-actions\n` +
    `    app.kubernetes.io/version: ${version}\n  annotations:\n    gitops-actions.io/version: ${version}\n` +
    `    gitops-actions.io/source-repository: https://github.com/acme/${app}\n    gitops-actions.io/source-commit: ${commit}\n`;
  return {
    'monochart/templates/deployment.yaml':
      meta('Deployment') +
      `spec:\n  replicas: ${environment === 'production' ? 4 : 2}\n  selector:\n    matchLabels:\n      app.kubernetes.io/instance: ${app}-${environment}\n` +
      `  template:\n    metadata:\n      labels:\n        app.kubernetes.io/instance: ${app}-${environment}\n    spec:\n      containers:\n` +
      `        - name: ${app}\n          image: ghcr.io/acme/${app}@sha256:${sha256ish(`${dir}@${version}`)}\n          ports:\n            - name: http\n              containerPort: 8080\n` +
      `          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n`,
    'monochart/templates/service.yaml': meta('Service') + `spec:\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n  selector:\n    app.kubernetes.io/instance: ${app}-${environment}\n`,
    'monochart/templates/configmap.yaml': meta('ConfigMap') + `data:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: '${sha256ish(dir).slice(0, 16)}'\n`,
  };
}

/** 64 hex digits derived from the text: stands in for a digest, deterministic and cheap. */
function sha256ish(text: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const c of `${round}:${text}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, 'utf8')}\n${text}`;
}

function git(args: string[], input?: Buffer): string {
  const result = spawnSync('git', args, { input, env: cleanGitEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} exited with ${result.status}\n${result.stderr}`);
  return result.stdout;
}

function packBytes(bare: string): number {
  const packDir = path.join(bare, 'objects', 'pack');
  return readdirSync(packDir).reduce((sum, f) => sum + statSync(path.join(packDir, f)).size, 0);
}

export function benchCacheRoot(): string {
  return path.join(os.tmpdir(), 'gitops-actions-bench');
}

/** The cached repository for `spec`, generated first when missing. */
export function ensureGitopsRepo(spec: GitopsRepoSpec, cacheRoot = benchCacheRoot()): GeneratedGitopsRepo {
  if (spec.apps < 1 || spec.commits < 1) throw new Error('need at least one app and one commit');
  const dir = path.join(cacheRoot, `gitops-${spec.commits}-${spec.apps}-v${GENERATOR_VERSION}`);
  const metaFile = path.join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as GitopsRepoMeta;
    return { dir, bare: path.join(dir, 'origin.git'), meta, reused: true };
  }
  const started = process.hrtime.bigint();
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const bare = path.join(tmp, 'origin.git');
  git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);

  const random = mulberry32(0x9170 + spec.commits * 7 + spec.apps);
  const appDirs = Array.from({ length: spec.apps }, (_, i) => appDirName(i));
  const patch = new Array<number>(spec.apps).fill(0);
  const out: string[] = [];
  // The first commit lays down every app; each later one deploys the next patch of one app.
  for (let i = 0; i < spec.commits; i++) {
    const when = BASE_TIME + i * COMMIT_INTERVAL;
    const changes: string[] = [];
    let message: string;
    if (i === 0) {
      message = `chore: bootstrap ${spec.apps} app directories`;
      changes.push(`M 100644 inline README.md\n${data('# Desired state of the fleet\n\nWritten by gitops-actions; Argo CD syncs each directory.\n')}`);
      for (const appDir of appDirs) {
        for (const [file, content] of Object.entries(appFiles(appDir, '1.0.0'))) changes.push(`M 100644 inline ${appDir}/${file}\n${data(content)}`);
      }
    } else {
      const index = Math.floor(random() * spec.apps);
      const appDir = appDirs[index]!;
      const version = `1.0.${++patch[index]!}`;
      const commit = sha256ish(`${i}`).slice(0, 40);
      const [app, environment] = appDir.split('--') as [string, string];
      message =
        `deploy(${app}): ${environment} ${version}\n\nSource-Repository: https://github.com/acme/${app}\nSource-Commit: ${commit}\n` +
        `Version: ${version}\nEnvironment: ${environment}\nWorkflow-Run: https://github.com/acme/${app}/actions/runs/${1_000_000 + i}`;
      for (const [file, content] of Object.entries(appFiles(appDir, version, commit))) changes.push(`M 100644 inline ${appDir}/${file}\n${data(content)}`);
    }
    out.push(`commit refs/heads/main\nmark :${i + 1}\nauthor ${BOT} ${when} +0000\ncommitter ${BOT} ${when} +0000\n${data(`${message}\n`)}${changes.join('')}\n`);
  }
  out.push('done\n');
  git(['-C', bare, 'fast-import', '--quiet', '--done'], Buffer.from(out.join(''), 'utf8'));
  // As a server keeps it: one pack with good deltas, refs packed, partial clone allowed.
  git(['-C', bare, 'repack', '-a', '-d', '-f', '--window=50', '--depth=50', '--quiet']);
  git(['-C', bare, 'pack-refs', '--all']);
  git(['-C', bare, 'config', 'uploadpack.allowFilter', 'true']);
  git(['-C', bare, 'config', 'uploadpack.allowAnySHA1InWant', 'true']);
  const meta: GitopsRepoMeta = {
    generatorVersion: GENERATOR_VERSION,
    commits: spec.commits,
    apps: spec.apps,
    appDirs,
    filesPerApp: Object.keys(appFiles(appDirs[0]!, '1.0.0')).length,
    highestPatch: Math.max(...patch),
    packBytes: packBytes(bare),
    headSha: git(['-C', bare, 'rev-parse', 'main']).trim(),
    generationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  writeFileSync(path.join(tmp, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, bare: path.join(dir, 'origin.git'), meta, reused: false };
}
