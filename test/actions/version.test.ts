import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cloneOf, TestRepo } from '../harness/git-repo.js';
import { runBundle } from '../harness/run-bundle.js';

const OUTPUTS = [
  'version', 'tag', 'previous-version', 'previous-tag', 'bump', 'is-release', 'changed',
  'sha', 'short-sha', 'changelog', 'image-tags', 'json',
];

function appRepo(): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: init');
  repo.tag('v1.3.2', { annotated: true });
  repo.commit('fix: a bug');
  repo.commit('feat(api): add login\n\nCloses #12');
  return repo;
}

describe('version bundle', () => {
  test('no inputs: our own input error and exit code 1, every output still set', async () => {
    const run = await runBundle('version');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`input 'path': . is not a git repository (run actions/checkout first)`]);
    expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUTS].sort());
    expect(Object.values(run.outputs).every((v) => v === '')).toBe(true);
  });

  test('a push to main: outputs, summary and log as a reviewer would want them', async () => {
    const repo = appRepo();
    const run = await runBundle('version', {
      workspace: repo.dir,
      inputs: { image: 'ghcr.io/acme/verity-api', 'moving-tags': 'staging' },
      context: { sha: repo.head() },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const short = repo.head().slice(0, 7);
    expect(run.outputs).toMatchObject({
      version: '1.4.0',
      tag: 'v1.4.0',
      'previous-version': '1.3.2',
      'previous-tag': 'v1.3.2',
      bump: 'minor',
      'is-release': 'true',
      changed: 'true',
      sha: repo.head(),
      'short-sha': short,
      'image-tags': `ghcr.io/acme/verity-api:1.4.0\nghcr.io/acme/verity-api:sha-${short}\nghcr.io/acme/verity-api:staging`,
    });
    expect(run.outputs.changelog).toMatch(/### Features\n\n- \*\*api:\*\* add login \([0-9a-f]+\)\n\n### Bug fixes\n\n- a bug/);
    const json = JSON.parse(run.outputs.json!);
    expect(json).toMatchObject({ version: '1.4.0', 'is-release': true, changed: true, 'image-tags': run.outputs['image-tags']!.split('\n') });
    expect(Object.keys(json).sort()).toEqual(OUTPUTS.filter((o) => o !== 'json').sort());
    expect(run.stdout).toContain('::group::Compute the version');
    expect(run.stdout).toMatch(/1\.4\.0: minor bump from feat commit [0-9a-f]+ "feat\(api\): add login", base tag v1\.3\.2/);
    expect(run.summary).toContain('## Version v1.4.0');
    expect(run.summary).toContain('`ghcr.io/acme/verity-api:1.4.0`');
  });

  test('a pull request: pre-release version from the head branch', async () => {
    const repo = appRepo();
    const run = await runBundle('version', {
      workspace: repo.dir,
      context: { eventName: 'pull_request', ref: 'refs/pull/3/merge', headRef: 'feat/Login' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.4.0-feat-login.2', 'is-release': 'false' });
  });

  test('the default shallow checkout works through the bundle', async () => {
    const repo = appRepo();
    const { url } = repo.bareOrigin();
    const shallow = cloneOf(url, ['--depth=1', '--no-tags']);
    const run = await runBundle('version', { workspace: shallow.dir });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.version).toBe('1.4.0');
  });

  test('create-tag pushes with no git identity configured (the runner has none)', async () => {
    const repo = appRepo();
    const { dir } = repo.bareOrigin();
    const clone = cloneOf(`file://${dir}`);
    const run = await runBundle('version', { workspace: clone.dir, inputs: { 'create-tag': 'true' } });
    expect(run.stdout + run.stderr).not.toMatch(/error/i);
    expect(run.exitCode).toBe(0);
    const tagger = TestRepo.prototype.git.call({ dir } as TestRepo, 'for-each-ref', '--format=%(taggername) %(taggeremail)', 'refs/tags/v1.4.0');
    expect(tagger).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
  });

  test.each([
    [{ bump: 'huge' }, "input 'bump' must be one of auto, major, minor, patch (got 'huge')"],
    [{ 'default-bump': 'auto' }, "input 'default-bump' must be one of major, minor, patch, none (got 'auto')"],
    [{ 'major-on-zero': 'yes' }, "input 'major-on-zero' must be true or false (got 'yes')"],
    [{ version: 'v2' }, "input 'version' must be a semantic version like 1.2.3 or 1.2.3-rc.1 (got 'v2'); leave out the prefix, tags get 'tag-prefix' ('v')"],
    [{ 'tag-prefix': 'v~' }, "input 'tag-prefix' ('v~') cannot form a git ref: it contains a space, a control character or one of ~ ^ : ? * [ \\"],
  ])('bad input %j → a clear message, exit 1', async (inputs, message) => {
    const repo = appRepo();
    const run = await runBundle('version', { workspace: repo.dir, inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([message]);
  });

  test('several bad inputs are reported together', async () => {
    const run = await runBundle('version', { inputs: { bump: 'x', 'create-tag': 'maybe' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toBe("2 inputs are wrong:\n- input 'bump' must be one of auto, major, minor, patch (got 'x')\n- input 'create-tag' must be true or false (got 'maybe')");
  });

  test('hostile commit messages cannot issue workflow commands or change outputs', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.0.0');
    repo.commit('fix: x ::set-output name=version::6.6.6\n\n::add-mask::secret\n::stop-commands::tok\n##[set-output name=tag;]bad');
    // The deciding commit's subject is logged: it carries the line breaks a runner might split on.
    repo.commit('feat: `id` $(touch /tmp/pwned) \u2028::error::fake %0A::warning::enc ##[error]legacy');
    const run = await runBundle('version', { workspace: repo.dir });
    expect(run.exitCode).toBe(0);
    for (const line of run.stdout.split(/\r\n|\n|\r|\u2028|\u2029/)) {
      if (line.trimStart().startsWith('::')) expect(line.trimStart()).toMatch(/^::(group|endgroup)::/);
      expect(line).not.toContain('##[');
    }
    expect(run.outputs.version).toBe('1.1.0');
    expect(run.outputs.tag).toBe('v1.1.0');
    expect(run.stdout).toContain('$(touch /tmp/pwned)  ⏎ :\u2060:error:\u2060:fake %0A:\u2060:warning:\u2060:enc #\u2060#[error]legacy');
    expect(run.outputs.changelog).toContain('$(touch /tmp/pwned)');
    expect(readFileSync(join(run.workspace, '.git', 'HEAD'), 'utf8')).toContain('refs/heads/main');
  });
});

describe('version bundle with config (gitops.yaml)', () => {
  /** A monorepo-style app: tags `verity-api/vX.Y.Z`, set in gitops.yaml rather than in the workflow. */
  function configuredRepo(version: string): TestRepo {
    const repo = TestRepo.create();
    repo.commit('chore: init', {
      'gitops.yaml': `app: verity-api\nimage: ghcr.io/acme/verity-api\nversion: ${version}\nenvironments:\n  staging: {}\n`,
    });
    repo.tag('verity-api/v2.0.0', { annotated: true });
    repo.commit('feat: search');
    return repo;
  }

  test('only config: the tag prefix, image and moving tags the file sets', async () => {
    const repo = configuredRepo('{ tag-prefix: verity-api/v, moving-tags: [staging] }');
    const run = await runBundle('version', { workspace: repo.dir, inputs: { config: 'gitops.yaml' }, context: { sha: repo.head() } });
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain('gitops.yaml: tag-prefix, image, moving-tags');
    const short = repo.head().slice(0, 7);
    expect(run.outputs).toMatchObject({
      version: '2.1.0',
      tag: 'verity-api/v2.1.0',
      'previous-tag': 'verity-api/v2.0.0',
      'image-tags': `ghcr.io/acme/verity-api:2.1.0\nghcr.io/acme/verity-api:sha-${short}\nghcr.io/acme/verity-api:staging`,
    });
  });

  test('an explicit input beats the file; the built-in default applies to what neither sets', async () => {
    const repo = configuredRepo('{ tag-prefix: verity-api/v, moving-tags: [staging] }');
    const run = await runBundle('version', { workspace: repo.dir, inputs: { config: 'gitops.yaml', image: 'registry.example.com/verity', 'moving-tags': 'latest' } });
    expect(run.errors).toEqual([]);
    expect(run.outputs['image-tags']!.split('\n')).toEqual(['registry.example.com/verity:2.1.0', expect.stringMatching(/^registry\.example\.com\/verity:sha-/), 'registry.example.com/verity:latest']);
    expect(run.outputs.tag).toBe('verity-api/v2.1.0');
    expect(run.stdout).toContain('(given as inputs, so not from the file: image, moving-tags)');
  });

  test('a broken gitops.yaml: the file and line, nothing computed', async () => {
    const repo = configuredRepo('{ default-bump: huge }');
    const run = await runBundle('version', { workspace: repo.dir, inputs: { config: 'gitops.yaml' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^gitops\.yaml:3:12: version\.default-bump: expected one of major, minor, patch, none, got 'huge'/);
    expect(run.outputs.version).toBe('');
  });
});
