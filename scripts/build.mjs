#!/usr/bin/env node
// Bundles every action into dist/<name>/index.js with ncc. The output is committed and
// CI rebuilds it and compares (scripts/check-dist.mjs), so it must be deterministic:
// no source maps (they carry absolute paths), no timestamps, a fixed build order.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '.bin', 'ncc');
const distDir = join(root, 'dist');

/** Actions that have both an action.yml and an entry point, sorted by name. */
function findActions() {
  const actionsDir = join(root, 'actions');
  return readdirSync(actionsDir)
    .filter(
      (name) => existsSync(join(actionsDir, name, 'action.yml')) && existsSync(join(actionsDir, name, 'src', 'main.ts')),
    )
    .sort();
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

const actions = findActions();
// Every bundle: each action, then the command-line tool.
const allEntries = [
  ...actions.map((name) => ({ name, entry: join('actions', name, 'src', 'main.ts') })),
  { name: 'cli', entry: join('packages', 'cli', 'src', 'main.ts') },
];
if (actions.length === 0) {
  console.error('build: no actions/<name>/ with both action.yml and src/main.ts');
  process.exit(1);
}

// `--only <name>` rebuilds one bundle while working on it; the committed dist always comes from a full build.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
const entries = only ? allEntries.filter((e) => e.name === only) : allEntries;
if (only && entries.length === 0) {
  console.error(`build: --only ${only}: no such bundle (have ${allEntries.map((e) => e.name).join(', ')})`);
  process.exit(1);
}

// A removed or renamed action must not leave its old bundle behind.
for (const target of only ? [join(distDir, only)] : [distDir]) rmSync(target, { recursive: true, force: true });

const sizes = [];
for (const { name, entry } of entries) {
  const out = join('dist', name);
  const argv = [
    'build',
    entry,
    '--out',
    out,
    '--minify',
    '--no-source-map-register',
    '--license',
    'licenses.txt',
    '--target',
    'es2022',
    '--quiet',
  ];
  console.log(`build: ${name} (ncc ${argv.join(' ')})`);
  const started = Date.now();
  // Relative paths and cwd = repo root keep the machine's absolute paths out of the bundle.
  const result = spawnSync(ncc, argv, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`build: ncc failed for ${name} (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }

  // ncc copies any file a literal path expression points at (resolve(dir, 'Dockerfile')) into the
  // bundle as an asset: a bundle must hold code only, or it ships files from this tree.
  const stray = readdirSync(join(root, out)).filter((f) => !/^(\d+\.)?index\.js$|^package\.json$|^licenses\.txt$/.test(f));
  if (stray.length) {
    console.error(`build: ${out} holds ${stray.join(', ')}: ncc relocated a file as an asset; use join() for paths built from a literal file name`);
    process.exit(1);
  }

  // A dynamic import() becomes a chunk file beside index.js (ncc minifies only index.js). The cap is on
  // the largest file, since each is loaded only when needed (the GitHub client only in pull-request mode).
  const files = readdirSync(join(root, out)).filter((f) => f.endsWith('.js'));
  const bytes = Math.max(...files.map((f) => statSync(join(root, out, f)).size));
  const total = files.reduce((sum, f) => sum + statSync(join(root, out, f)).size, 0);
  sizes.push({ name, bytes, total, seconds: (Date.now() - started) / 1000 });

  // Node 24 loads the ESM bundle only because ncc writes this package.json next to it.
  const pkgPath = join(root, out, 'package.json');
  const pkg = existsSync(pkgPath) ? JSON.parse(readFileSync(pkgPath, 'utf8')) : null;
  if (pkg?.type !== 'module') {
    console.error(`build: ${out}/package.json must say "type": "module" (got ${JSON.stringify(pkg)})`);
    process.exit(1);
  }
}

let tooBig = false;
console.log('\nbundle sizes:');
for (const { name, bytes, total, seconds } of sizes) {
  const over = bytes > MAX_BUNDLE_BYTES;
  tooBig ||= over;
  console.log(
    `  dist/${name}/  largest file ${formatBytes(bytes).padStart(10)}, all ${formatBytes(total).padStart(10)}  (${seconds.toFixed(1)} s)${over ? `  OVER THE ${formatBytes(MAX_BUNDLE_BYTES)} LIMIT` : ''}`,
  );
}
if (tooBig) {
  console.error(`build: a bundle file exceeds ${formatBytes(MAX_BUNDLE_BYTES)}; look for a dependency that should not be there`);
  process.exit(1);
}
