#!/usr/bin/env node
// CI's guard on the committed bundles: rebuild, fail if dist/ differs from git, then run each
// bundle once the way a runner would with no inputs, to catch bundles that cannot even load
// (a missing module, a dynamic require, an ESM/CJS mix-up) before a user's workflow does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE_TIMEOUT_MS = 60_000;

/** Output that means the bundle failed to load or hit a bug, never an expected failure. */
const LOAD_FAILURES = [
  /Cannot find (module|package)/,
  /\bERR_[A-Z0-9_]+/,
  /\bSyntaxError\b/,
  /\bReferenceError\b/,
  /\bTypeError\b/,
  /Dynamic require of/,
];

function fail(message) {
  console.error(`check-dist: ${message}`);
  process.exit(1);
}

// 1. Rebuild.
console.log('check-dist: npm run build');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.error) throw build.error;
if (build.status !== 0) fail('the build failed');

// 2. The rebuilt dist/ must be what is committed.
const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], {
  cwd: root,
  encoding: 'utf8',
});
if (status.error) throw status.error;
if (status.status !== 0) fail(`git status failed: ${status.stderr.trim()}`);
if (status.stdout.trim() !== '') {
  console.error(status.stdout.trimEnd());
  fail('dist/ is stale: run npm run build and commit dist/');
}
console.log('check-dist: dist/ matches the committed bundles');

// 3. Smoke-run each bundle in a clean, runner-like environment with no inputs.
const bundles = readdirSync(join(root, 'dist'))
  .filter((name) => existsSync(join(root, 'dist', name, 'index.js')))
  .sort();
let failures = 0;
for (const name of bundles) {
  const work = mkdtempSync(join(tmpdir(), `check-dist-${name}-`));
  try {
    const workspace = join(work, 'workspace'); // empty, and not a git repository
    const runnerTemp = join(work, 'runner-temp');
    mkdirSync(workspace);
    mkdirSync(runnerTemp);
    const files = {};
    for (const file of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE']) {
      files[file] = join(work, file.toLowerCase());
      writeFileSync(files[file], '');
    }
    // Only what a runner always sets; deliberately no INPUT_* and nothing from this shell.
    const env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: work,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      // Keep git from finding a repository above the temporary directory.
      GIT_CEILING_DIRECTORIES: work,
      ...files,
    };
    const run = spawnSync(process.execPath, [join(root, 'dist', name, 'index.js')], {
      cwd: workspace,
      env,
      encoding: 'utf8',
      timeout: SMOKE_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (run.error) throw run.error;
    const output = `${run.stdout}${run.stderr}`;
    const loadFailure = LOAD_FAILURES.find((pattern) => pattern.test(output));
    // Actions fail on their inputs with exit 1 and an ::error:: line; the CLI prints its usage with exit 2.
    const cli = name === 'cli';
    const expectedStatus = cli ? 2 : 1;
    const errorLine = output.split('\n').find((line) => (cli ? line.startsWith('usage:') : line.startsWith('::error')));
    const problem =
      run.signal !== null
        ? `was killed by ${run.signal} (timeout ${SMOKE_TIMEOUT_MS / 1000} s?)`
        : loadFailure
          ? `printed ${loadFailure} — the bundle failed to load or hit a bug`
          : run.status !== expectedStatus
            ? `exited ${run.status}, expected ${expectedStatus} (${cli ? 'no command' : 'no inputs and no git repository'})`
            : !errorLine
              ? `exited ${expectedStatus} without ${cli ? 'its usage' : 'an ::error:: line'}`
              : null;
    if (problem) {
      failures += 1;
      console.error(`check-dist: dist/${name}/index.js ${problem}. Its output:`);
      console.error(output.trimEnd().replace(/^/gm, '    '));
    } else {
      console.log(`check-dist: dist/${name}/index.js loads and fails as expected: ${errorLine}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
if (failures > 0) fail(`${failures} bundle(s) failed the smoke run`);
console.log(`check-dist: ${bundles.length} bundle(s) OK`);
