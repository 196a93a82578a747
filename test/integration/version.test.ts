import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRepo } from '../harness/git-repo.js';
import { versionOf } from './version-helpers.js';

function repoWith(messages: string[], tagFirstAs?: string): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: initial');
  if (tagFirstAs) repo.tag(tagFirstAs);
  for (const m of messages) repo.commit(m);
  return repo;
}

describe('bump rules from conventional commits', () => {
  test.each([
    [['fix: a bug'], '1.2.4', 'patch'],
    [['perf: faster'], '1.2.4', 'patch'],
    [['feat: a thing', 'fix: b'], '1.3.0', 'minor'],
    [['feat(api)!: drop v1'], '2.0.0', 'major'],
    [['fix: x\n\nBREAKING CHANGE: the config moved'], '2.0.0', 'major'],
    [['refactor: y\n\nBREAKING-CHANGE: renamed'], '2.0.0', 'major'],
    [['chore: deps', 'docs: readme'], '1.2.4', 'patch'],
    [['FEAT: shouting still counts'], '1.3.0', 'minor'],
  ])('%j from v1.2.3 → %s', async (messages, version, bump) => {
    const repo = repoWith(messages, 'v1.2.3');
    const r = await versionOf(repo.dir);
    expect(r).toMatchObject({ version, bump, tag: `v${version}`, previousVersion: '1.2.3', previousTag: 'v1.2.3', changed: true, isRelease: true });
  });

  test('"BREAKING CHANGE" in lower case or inside the subject is not a breaking change', async () => {
    const repo = repoWith(['fix: mention breaking change: nothing', 'fix: y\n\nbreaking change: lower case'], 'v1.0.0');
    expect((await versionOf(repo.dir)).version).toBe('1.0.1');
  });

  test('default-bump none: no releasing commit means no new version', async () => {
    const repo = repoWith(['chore: deps'], 'v1.2.3');
    const r = await versionOf(repo.dir, { defaultBump: 'none' });
    expect(r).toMatchObject({ version: '1.2.3', bump: 'none', changed: false, tag: 'v1.2.3' });
  });

  test('default-bump minor applies when no commit releases', async () => {
    const repo = repoWith(['chore: deps'], 'v1.2.3');
    expect((await versionOf(repo.dir, { defaultBump: 'minor' })).version).toBe('1.3.0');
  });

  test('below 1.0.0 a breaking change bumps minor unless major-on-zero', async () => {
    const repo = repoWith(['feat!: new api'], 'v0.4.2');
    expect((await versionOf(repo.dir)).version).toBe('0.5.0');
    expect((await versionOf(repo.dir, { majorOnZero: true })).version).toBe('1.0.0');
  });

  test('forced bump ignores the commits', async () => {
    const repo = repoWith(['fix: a'], 'v1.2.3');
    expect((await versionOf(repo.dir, { bump: 'major' })).version).toBe('2.0.0');
  });

  test('the log names the base tag, the number of commits and the deciding commit', async () => {
    const repo = repoWith(['fix: one', 'feat(ui): the decider', 'chore: three'], 'v1.2.3');
    const r = await versionOf(repo.dir);
    expect(r.logs.join('\n')).toMatch(/base tag v1\.2\.3 \([0-9a-f]{7}\).*3 commits since/);
    expect(r.logs.join('\n')).toMatch(/1\.3\.0: minor bump from feat commit [0-9a-f]{7,} "feat\(ui\): the decider", base tag v1\.2\.3/);
  });
});

describe('the base tag', () => {
  test('is the highest semver reachable, not the newest or the lexically largest', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.10.0');
    repo.commit('fix: a');
    repo.tag('v1.9.0'); // newer but lower
    repo.commit('fix: b');
    const r = await versionOf(repo.dir);
    expect(r.previousTag).toBe('v1.10.0');
    expect(r.version).toBe('1.10.1');
  });

  test('ignores tags that are not reachable from HEAD', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.0.0');
    repo.checkout('-b', 'other');
    repo.commit('feat: elsewhere');
    repo.tag('v5.0.0');
    repo.checkout('main');
    repo.commit('fix: here');
    expect((await versionOf(repo.dir)).version).toBe('1.0.1');
  });

  test('ignores other prefixes, non-semver and pre-release tags; annotated tags count', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.1.0', { annotated: true });
    repo.commit('fix: x');
    repo.tag('web/v9.0.0');
    repo.tag('v2.0.0-rc.1');
    repo.tag('v3');
    repo.tag('release-7');
    repo.tag('vfoo');
    repo.tag('v01.2.3');
    repo.commit('fix: y');
    const r = await versionOf(repo.dir);
    expect(r.previousTag).toBe('v1.1.0');
    expect(r.version).toBe('1.1.1');
  });

  test('a monorepo prefix with a slash selects its own tags', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('verity-api/v0.3.0');
    repo.tag('other/v7.0.0');
    repo.tag('v4.0.0');
    repo.commit('feat: api thing');
    const r = await versionOf(repo.dir, { tagPrefix: 'verity-api/v' });
    expect(r).toMatchObject({ version: '0.4.0', tag: 'verity-api/v0.4.0', previousTag: 'verity-api/v0.3.0' });
  });

  test('an empty prefix reads bare X.Y.Z tags', async () => {
    const repo = repoWith(['fix: a'], '2.0.0');
    expect((await versionOf(repo.dir, { tagPrefix: '' })).tag).toBe('2.0.1');
  });

  test('no tag at all gives initial-version', async () => {
    const repo = repoWith(['feat: a', 'fix: b']);
    const r = await versionOf(repo.dir);
    expect(r).toMatchObject({ version: '0.1.0', previousVersion: '', previousTag: '', bump: 'minor', changed: true });
    expect((await versionOf(repo.dir, { initialVersion: '1.0.0' })).version).toBe('1.0.0');
  });
});

describe('re-runs and HEAD tags', () => {
  test('HEAD already tagged gives that version with changed=false', async () => {
    const repo = repoWith(['feat: a'], 'v1.0.0');
    repo.tag('v1.1.0', { annotated: true });
    const r = await versionOf(repo.dir);
    expect(r).toMatchObject({ version: '1.1.0', tag: 'v1.1.0', changed: false, previousTag: 'v1.0.0', bump: 'minor', isRelease: true });
    const again = await versionOf(repo.dir);
    expect(again.version).toBe('1.1.0');
  });

  test('a tag-push run (refs/tags/…) on the tagged commit keeps the version', async () => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    repo.tag('v1.0.1');
    const r = await versionOf(repo.dir, { ref: 'refs/tags/v1.0.1' });
    expect(r).toMatchObject({ version: '1.0.1', changed: false, isRelease: true });
  });
});

describe('merge commits', () => {
  test('count the commits they bring in', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.0.0');
    repo.checkout('-b', 'feature');
    repo.commit('feat: from the branch');
    repo.commit('fix: also from the branch');
    repo.checkout('main');
    repo.commit('docs: main moved on');
    repo.merge('feature', 'Merge pull request #7 from acme/feature');
    const r = await versionOf(repo.dir);
    expect(r.version).toBe('1.1.0');
    expect(r.changelog).toContain('from the branch');
    expect(r.changelog).not.toContain('Merge pull request');
  });
});

describe('non-release branches and pull requests', () => {
  test('a feature branch gets X.Y.Z-<slug>.<n>, valid as a docker tag', async () => {
    const repo = repoWith(['feat: a', 'fix: b'], 'v1.2.3');
    const r = await versionOf(repo.dir, { ref: 'refs/heads/Feature/Login_Page#2' });
    expect(r.version).toBe('1.3.0-feature-login-page-2.2');
    expect(r.isRelease).toBe(false);
    expect(r.imageTags[0]).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });

  test('a pull request uses its head branch and is never a release, even from main', async () => {
    const repo = repoWith(['fix: b'], 'v1.2.3');
    const r = await versionOf(repo.dir, { ref: 'refs/pull/12/merge', headRef: 'main' });
    expect(r).toMatchObject({ version: '1.2.4-main.1', isRelease: false });
  });

  test('release-branches globs', async () => {
    const repo = repoWith(['fix: b'], 'v1.2.3');
    const r = await versionOf(repo.dir, { ref: 'refs/heads/release/2024-10', releaseBranches: ['main', 'release/*'] });
    expect(r).toMatchObject({ version: '1.2.4', isRelease: true });
    const deep = await versionOf(repo.dir, { ref: 'refs/heads/release/a/b', releaseBranches: ['release/*'] });
    expect(deep.isRelease).toBe(false);
    const any = await versionOf(repo.dir, { ref: 'refs/heads/release/a/b', releaseBranches: ['release/**'] });
    expect(any.isRelease).toBe(true);
  });

  test('outside a runner the checked-out branch decides', async () => {
    const repo = repoWith(['fix: b'], 'v1.2.3');
    repo.checkout('-b', 'topic');
    expect((await versionOf(repo.dir, { ref: '' })).version).toBe('1.2.4-topic.1');
    repo.checkout('main');
    expect((await versionOf(repo.dir, { ref: '' })).version).toBe('1.2.4');
  });

  test('numeric branch names stay valid semver', async () => {
    const repo = repoWith(['fix: b'], 'v1.2.3');
    expect((await versionOf(repo.dir, { ref: 'refs/heads/0123' })).version).toBe('1.2.4-b0123.1');
  });
});

describe('paths', () => {
  test('only commits touching the paths count; n still counts every commit', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init', { 'services/api/a.txt': '1', 'services/web/a.txt': '1' });
    repo.tag('v1.0.0');
    repo.commit('feat(web): web only', { 'services/web/a.txt': '2' });
    repo.commit('fix(api): api fix', { 'services/api/a.txt': '2' });
    const r = await versionOf(repo.dir, { paths: ['services/api'] });
    expect(r.version).toBe('1.0.1');
    expect(r.changelog).not.toContain('web only');
    const branch = await versionOf(repo.dir, { paths: ['services/api'], ref: 'refs/heads/x' });
    expect(branch.version).toBe('1.0.1-x.2');
  });

  test('no commit touching the paths: no new version', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init', { 'services/api/a.txt': '1', 'docs/x.md': '1' });
    repo.tag('v1.0.0');
    repo.commit('feat: docs', { 'docs/x.md': '2' });
    const r = await versionOf(repo.dir, { paths: ['services/api'] });
    expect(r).toMatchObject({ version: '1.0.0', changed: false, bump: 'none' });
  });
});

describe('explicit version', () => {
  test('overrides the computation', async () => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    expect(await versionOf(repo.dir, { version: '3.0.0-rc.1' })).toMatchObject({ version: '3.0.0-rc.1', bump: 'major', changed: true });
  });

  test('build metadata is kept in the version but not in image tags', async () => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    const r = await versionOf(repo.dir, { version: '1.0.1+build.5' });
    expect(r.version).toBe('1.0.1+build.5');
    expect(r.imageTags[0]).toBe('1.0.1-build.5');
  });
});

describe('image tags', () => {
  test('version first, then sha-<short>, then moving tags; full references with image', async () => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    const r = await versionOf(repo.dir, { image: 'registry.local:5000/acme/api', movingTags: ['staging', 'latest'] });
    expect(r.imageTags).toEqual([
      'registry.local:5000/acme/api:1.0.1',
      `registry.local:5000/acme/api:sha-${r.shortSha}`,
      'registry.local:5000/acme/api:staging',
      'registry.local:5000/acme/api:latest',
    ]);
    expect(r.shortSha).toBe(repo.head().slice(0, 7));
    expect(r.sha).toBe(repo.head());
  });
});

describe('untrusted commit messages', () => {
  test('workflow commands, $(...), backticks and U+2028 are logged harmlessly and do not change outputs', async () => {
    const evil = 'feat: ::set-output name=version::9.9.9 $(rm -rf /) `id` \u2028::add-mask::x\n\n::stop-commands::abc';
    const repo = repoWith([evil], 'v1.0.0');
    const r = await versionOf(repo.dir);
    expect(r.version).toBe('1.1.0');
    for (const line of r.logs.join('\n').split(/[\n\r\u2028\u2029]/)) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(r.logs.join('\n')).not.toMatch(/::(set-output|add-mask|stop-commands)/);
    expect(r.changelog).toContain('$(rm -rf /)');
  });
});

describe('bad input', () => {
  test('path that is not a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    await expect(versionOf(dir)).rejects.toThrow(`input 'path': ${dir} is not a git repository (run actions/checkout first)`);
  });

  test('path that does not exist', async () => {
    await expect(versionOf('/nonexistent/dir')).rejects.toThrow(/input 'path': \/nonexistent\/dir does not exist or is not a directory/);
  });

  test('a repository without commits', async () => {
    const repo = TestRepo.create();
    await expect(versionOf(repo.dir)).rejects.toThrow(/has no commits yet/);
  });

  test.each([
    ['v1.2.3', /input 'version' must be a semantic version like 1\.2\.3 or 1\.2\.3-rc\.1 \(got 'v1\.2\.3'\); leave out the prefix/],
    ['1.2', /input 'version' must be a semantic version .*\(got '1\.2'\)$/],
    ['01.2.3', /got '01\.2\.3'/],
  ])('invalid version %s', async (version, message) => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    await expect(versionOf(repo.dir, { version })).rejects.toThrow(message);
  });

  test.each([
    ['v ', /input 'tag-prefix' \('v '\) cannot form a git ref: it contains a space/],
    ['v..', /cannot form a git ref: it contains '\.\.'/],
    ['a:b/', /cannot form a git ref/],
    ['/v', /cannot form a git ref: it starts or ends with '\/'/],
    ['x.lock/v', /a component ends with '\.lock'/],
  ])('tag-prefix %j', async (tagPrefix, message) => {
    const repo = repoWith(['fix: a'], 'v1.0.0');
    await expect(versionOf(repo.dir, { tagPrefix })).rejects.toThrow(message);
  });

  test('invalid initial-version, image, moving tag and paths', async () => {
    const repo = repoWith(['fix: a']);
    await expect(versionOf(repo.dir, { initialVersion: 'one' })).rejects.toThrow("input 'initial-version' must be a semantic version like 0.1.0 (got 'one')");
    await expect(versionOf(repo.dir, { image: 'GHCR.io/Acme/App:latest' })).rejects.toThrow(/input 'image' must be an image name without tag or digest/);
    await expect(versionOf(repo.dir, { movingTags: ['-bad'] })).rejects.toThrow(/input 'moving-tags': '-bad' must be a valid image tag/);
    await expect(versionOf(repo.dir, { paths: ['../elsewhere'] })).rejects.toThrow("input 'paths': '../elsewhere' must be a path inside the repository, relative to 'path'");
    await expect(versionOf(repo.dir, { paths: ['/etc'] })).rejects.toThrow(/input 'paths': '\/etc'/);
  });
});

describe('finding the base without walking all history', () => {
  function withDecoys(decoys: number): TestRepo {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.0.0', { annotated: true });
    repo.checkout('-b', 'next');
    for (let i = 0; i < decoys; i++) {
      repo.commit(`feat: next ${i}`);
      repo.tag(`v2.${i}.0`, { annotated: i % 2 === 0 });
    }
    repo.checkout('main');
    repo.commit('fix: on main');
    return repo;
  }

  test('higher tags on an unmerged branch are checked one by one, without a full walk', async () => {
    const r = await versionOf(withDecoys(3).dir);
    expect(r).toMatchObject({ version: '1.0.1', previousTag: 'v1.0.0' });
    expect(r.gitCommands.some((c) => c.includes('--merged=HEAD'))).toBe(false);
    expect(r.gitCommands.filter((c) => c[0] === 'merge-base')).toHaveLength(4);
  });

  test('when none of the highest few is reachable, one full walk decides', async () => {
    const r = await versionOf(withDecoys(10).dir);
    expect(r).toMatchObject({ version: '1.0.1', previousTag: 'v1.0.0' });
    expect(r.gitCommands.some((c) => c.includes('--merged=HEAD'))).toBe(true);
    expect(r.gitCommands.length).toBeLessThanOrEqual(13);
  });

  test('the number of git processes does not depend on the number of tags or commits', async () => {
    const small = TestRepo.create();
    small.commit('chore: init');
    small.tag('v1.0.0');
    small.commit('feat: x');
    const large = TestRepo.create();
    for (let i = 0; i < 40; i++) {
      large.commit(`fix: ${i}`);
      large.tag(`v1.0.${i}`, { annotated: i % 2 === 0 });
    }
    large.commit('feat: x');
    const a = await versionOf(small.dir);
    const b = await versionOf(large.dir);
    expect(a.gitCommands.map((c) => c[0])).toEqual(b.gitCommands.map((c) => c[0]));
  });
});
