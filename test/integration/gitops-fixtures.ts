import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitToGitopsOptions } from '#core/gitops/commit-to-gitops.js';
import { VERSION_ANNOTATION } from '#core/render/provenance.js';
import { gitIn, TestRepo } from '../harness/git-repo.js';

/** A rendered manifest as render writes it: the version in a provenance annotation on the object's metadata. */
export function manifest(kind: string, name: string, version: string, body = ''): string {
  return (
    `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n` +
    (version ? `  annotations:\n    ${VERSION_ANNOTATION}: ${version}\n` : '') +
    body
  );
}

/** The files render would write for one app and environment, at a given version. */
export function renderedFiles(app: string, version: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'monochart/templates/deployment.yaml': manifest('Deployment', app, version, `spec:\n  replicas: 2\n`),
    'monochart/templates/service.yaml': manifest('Service', app, version, `spec:\n  ports:\n    - port: 80\n`),
    ...extra,
  };
}

/** `<base>/<name>/…` written from `files`; returns the directory `<base>/<name>`. */
export function writeDir(files: Record<string, string>, name = 'verity-api--staging', base = mkdtempSync(join(tmpdir(), 'gitops-src-'))): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A bare GitOps repository with `files` committed on `main`, serving partial clones as GitHub does. */
export function gitopsOrigin(files: Record<string, string> = defaultGitopsFiles(), options: { root?: string; name?: string } = {}): { dir: string; url: string; seed: TestRepo } {
  const seed = TestRepo.create();
  seed.commit('chore: initial desired state', files);
  const dir = options.root ? join(options.root, options.name ?? 'acme/gitops.git') : mkdtempSync(join(tmpdir(), 'gitops-origin-'));
  mkdirSync(dir, { recursive: true });
  gitIn(dir, ['clone', '--quiet', '--bare', '--no-local', seed.dir, '.']);
  gitIn(dir, ['config', 'uploadpack.allowFilter', 'true']);
  gitIn(dir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  gitIn(dir, ['config', 'http.receivepack', 'true']);
  return { dir, url: `file://${dir}`, seed };
}

export function defaultGitopsFiles(): Record<string, string> {
  const out: Record<string, string> = { 'README.md': '# GitOps desired state\n' };
  for (const app of ['billing--staging', 'billing--production', 'web--staging']) {
    for (const [path, content] of Object.entries(renderedFiles(app.split('--')[0]!, '2.0.0'))) out[`${app}/${path}`] = content;
  }
  return out;
}

/** Every entry of a commit's tree as `mode type oid\tpath` lines: equal lines mean byte-identical files. */
export function treeListing(bare: string, ref = 'main'): string[] {
  return gitIn(bare, ['ls-tree', '-r', '--full-tree', ref]).split('\n').filter(Boolean);
}

/** Files below `path` at `ref`, with their contents. */
export function filesAt(bare: string, path: string, ref = 'main'): Record<string, string> {
  const out: Record<string, string> = {};
  const names = gitIn(bare, ['ls-tree', '-r', '--name-only', ref, '--', path]).split('\n').filter(Boolean);
  for (const name of names) out[name.slice(path.length + 1)] = execFileSync('git', ['cat-file', 'blob', `${ref}:${name}`], { cwd: bare, encoding: 'utf8' });
  return out;
}

/** Every file below a directory on disk, relative to it. */
export function filesIn(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else out[rel] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** Every file below `dir` (recursively, following nothing) whose bytes contain any of `needles`. */
export function filesContaining(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 64 * 1024 * 1024) {
        const bytes = readFileSync(p);
        if (needles.some((n) => bytes.includes(n))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

export function subjects(bare: string, ref = 'main'): string[] {
  return gitIn(bare, ['log', '--format=%s', ref]).split('\n').filter(Boolean);
}

/** Options for the step with everything a test does not care about filled in. */
export function stepOptions(overrides: Partial<CommitToGitopsOptions> & Pick<CommitToGitopsOptions, 'repository' | 'source'>): CommitToGitopsOptions {
  return {
    branch: 'main',
    createBranch: false,
    token: '',
    sshKey: '',
    sshKnownHosts: '',
    path: '',
    version: '',
    message: '',
    authorName: 'github-actions[bot]',
    authorEmail: '41898282+github-actions[bot]@users.noreply.github.com',
    mode: 'push',
    prTitle: '',
    prLabels: [],
    prBase: '',
    autoMerge: false,
    maxAttempts: 10,
    allowDowngrade: false,
    dryRun: false,
    workspace: tmpdir(),
    tempDir: mkdtempSync(join(tmpdir(), 'gitops-runner-temp-')),
    homeDir: mkdtempSync(join(tmpdir(), 'gitops-home-')),
    serverUrl: 'https://github.com',
    sourceRepository: 'https://github.com/acme/verity-api',
    sourceCommit: 'e'.repeat(40),
    workflowRun: 'https://github.com/acme/verity-api/actions/runs/4242',
    ...overrides,
  };
}
