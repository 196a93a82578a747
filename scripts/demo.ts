// npm run demo: the whole product in one command, on this machine, touching nothing outside a
// temp directory. It runs `gitops-actions pipeline` (the root action, through the CLI bundle)
// on examples/verity-api against local stand-ins for everything a real setup reaches over the
// network:
//
//   app repository   a fresh git repository with examples/verity-api and a conventional-commit
//                    history since v1.3.0 (a feature and a fix: 1.4.0 next)
//   GitOps repos     bare repositories for staging and production, already holding another app
//   registry         the CNCF registry (Debian's docker-registry) on a loopback port, and buildah
//                    to build the image; without them the build is skipped (one line says so)
//   Slack            the message is printed instead of sent (no Slack credentials are given)
//
// staging gets the whole pipeline; production then gets the same image digest (render, commit,
// notify), as a promotion would. It prints both GitOps trees and their new commits.
//   --keep   keep the temp directory to look around in
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBuildahStore, type BuildahStore } from '../test/harness/images.js';
import { startRegistry, type TestRegistry } from '../test/harness/registry-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'verity-api');
const cli = join(root, 'dist', 'cli', 'index.js');
const keep = process.argv.includes('--keep');
const started = performance.now();

const say = (line = '') => process.stdout.write(`${line}\n`);
const heading = (title: string) => say(`\n━━ ${title} ${'━'.repeat(Math.max(0, 76 - title.length))}`);

/** A fixed identity and no global git config, so the demo behaves the same on every machine. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dana Developer',
  GIT_AUTHOR_EMAIL: 'dana@acme.example',
  GIT_COMMITTER_NAME: 'Dana Developer',
  GIT_COMMITTER_EMAIL: 'dana@acme.example',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}:\n${r.stderr}`);
  return r.stdout.trimEnd();
}

function installed(command: string, args = ['--version']): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`demo: examples/verity-api/gitops.yaml no longer contains '${from}'; update scripts/demo.ts`);
  return text.replace(from, to);
}

/** A bare GitOps repository whose main branch already holds another team's app. */
function gitopsRepository(dir: string, environment: string): string {
  const seed = join(dir, `${environment}-seed`);
  git(dir, 'init', '--quiet', '--initial-branch=main', seed);
  writeFileSync(join(seed, 'README.md'), `# ${environment} cluster: desired state, synced by Argo CD\n`);
  const other = join(seed, `billing-api--${environment}`, 'monochart', 'templates');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing-api\n');
  git(seed, 'add', '--all');
  git(seed, 'commit', '--quiet', '--message', 'chore: billing-api is already here');
  const bare = join(dir, `va-verity-eks-${environment === 'staging' ? 'stage' : 'prod'}-gitops.git`);
  git(dir, 'clone', '--quiet', '--bare', seed, bare);
  rmSync(seed, { recursive: true, force: true });
  return bare;
}

/** The app repository a team would have: the example, and the history the version step reads. */
function appRepository(dir: string, config: (text: string) => string): string {
  const app = join(dir, 'verity-api');
  cpSync(example, app, { recursive: true, filter: (src) => !src.startsWith(join(example, '.github')) });
  writeFileSync(join(app, 'gitops.yaml'), config(readFileSync(join(app, 'gitops.yaml'), 'utf8')));
  git(dir, 'init', '--quiet', '--initial-branch=main', app);
  const commit = (message: string, files: Record<string, string> = {}) => {
    for (const [path, content] of Object.entries(files)) writeFileSync(join(app, path), content);
    git(app, 'add', '--all');
    git(app, 'commit', '--quiet', '--allow-empty', '--message', message);
  };
  commit('chore: scaffold verity-api');
  git(app, 'tag', '--annotate', '--message', 'verity-api 1.3.0', 'v1.3.0');
  commit('feat(api): describe the service at /index.json', { 'public/index.json': '{"service": "verity-api", "version": "1.4"}\n' });
  commit('fix(deploy): readiness probe on /healthz');
  commit('docs: how verity-api is deployed');
  return app;
}

/** Runs the CLI in the app repository, its progress shown indented; returns its `name=value` outputs. */
async function pipeline(app: string, args: string[], env: Record<string, string>): Promise<Record<string, string>> {
  say(`$ gitops-actions pipeline ${args.join(' ')}`);
  // The demo is its own world: a CI job's GITHUB_* variables (this may run inside one) must not leak in.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('GITOPS_ACTIONS_') && !k.startsWith('RUNNER_')));
  const child = spawn(process.execPath, [cli, 'pipeline', ...args], { cwd: app, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let pending = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    pending += c.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) say(`  │ ${line}`);
  });
  const code: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (pending) say(`  │ ${pending}`);
  const outputs: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (code !== 0) throw new Error(`gitops-actions pipeline ${args.join(' ')} exited with ${code}`);
  return outputs;
}

/** `git ls-tree -r` of main, drawn as a tree. */
function drawTree(bare: string): string[] {
  const paths = git(bare, 'ls-tree', '-r', '--name-only', 'main').split('\n').filter(Boolean);
  interface Node { [name: string]: Node }
  const top: Node = {};
  for (const path of paths) {
    let node = top;
    for (const part of path.split('/')) node = node[part] ??= {};
  }
  const lines: string[] = [];
  const walk = (node: Node, prefix: string) => {
    const names = Object.keys(node).sort();
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const child = node[name]!;
      const isDir = Object.keys(child).length > 0;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${name}${isDir ? '/' : ''}`);
      if (isDir) walk(child, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(top, '');
  return lines;
}

let registry: TestRegistry | undefined;
let store: BuildahStore | undefined;
const work = mkdtempSync(join(tmpdir(), 'gitops-demo-'));
try {
  if (!installed('git')) throw new Error('demo: git is not installed (apt-get install git)');
  heading('setting the stage');
  const staging = gitopsRepository(work, 'staging');
  const production = gitopsRepository(work, 'production');
  say(`GitOps repository for staging:     ${staging}`);
  say(`GitOps repository for production:  ${production}`);

  const canBuild = installed('buildah') && installed('/usr/bin/docker-registry', ['--version']);
  let image = 'ghcr.io/acme/verity-api';
  const env: Record<string, string> = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  if (canBuild) {
    [registry, store] = await Promise.all([startRegistry(), Promise.resolve(createBuildahStore())]);
    image = `${registry.host}/acme/verity-api`;
    Object.assign(env, store.env);
    say(`image registry:                    ${registry.url} (docker-registry), builds with buildah`);
  } else {
    say('build: skipped — buildah and docker-registry are not both installed here (apt-get install buildah docker-registry), so the manifests name the image by its version tag');
  }
  const app = appRepository(work, (text) => {
    let out = replaceOnce(text, 'image: ghcr.io/acme/verity-api', `image: ${image}`);
    out = replaceOnce(out, 'repository: acme/va-verity-eks-stage-gitops', `repository: file://${staging}`);
    // A local repository has no pull requests to open: production takes a direct push here.
    out = replaceOnce(out, 'repository: acme/va-verity-eks-prod-gitops, branch: main, mode: pull-request', `repository: file://${production}, branch: main, mode: push`);
    return out;
  });
  say(`app repository:                    ${app}`);
  for (const line of git(app, 'log', '--format=%h %s%d', '--decorate=short').split('\n')) say(`  ${line}`);
  say('Slack: no credentials given, so the message is printed instead of sent');

  heading('deploy to staging: the whole pipeline');
  const stagingRun = await pipeline(
    app,
    ['--environment', 'staging', ...(canBuild ? ['--registry-insecure'] : ['--steps', 'version,render,commit,notify'])],
    env,
  );

  heading('promote to production: the same image');
  const promoted = ['--environment', 'production', '--steps', 'render,commit,notify', '--version', stagingRun.version!];
  if (stagingRun.digest) promoted.push('--image-digest', stagingRun.digest);
  const productionRun = await pipeline(app, promoted, env);

  for (const [environment, bare, run] of [
    ['staging', staging, stagingRun],
    ['production', production, productionRun],
  ] as const) {
    heading(`GitOps repository for ${environment}`);
    say(`${bare.split('/').at(-1)} (main)`);
    for (const line of drawTree(bare)) say(line);
    say();
    say(`$ git log -1 --stat main`);
    say(git(bare, 'log', '-1', '--stat=120', 'main'));
    say(`outputs: version=${run.version} image-ref=${run['image-ref']} changed=${run.changed}`);
  }
  heading(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (keep) say(`everything is in ${work}`);
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  await registry?.stop();
  await store?.cleanup();
  if (!keep) rmSync(work, { recursive: true, force: true });
}
