import { describe, expect, test } from 'vitest';
import { cloneOf, TestRepo } from '../harness/git-repo.js';
import { versionOf } from './version-helpers.js';

/** An origin with `releases` tagged releases of `between` commits each, then `after` commits. */
function originWithHistory(releases: number, between: number, after: string[]): { origin: TestRepo; url: string } {
  const origin = TestRepo.create();
  origin.commit('chore: init');
  for (let r = 0; r < releases; r++) {
    for (let c = 0; c < between; c++) origin.commit(`fix: change ${r}.${c}`);
    origin.tag(`v1.${r}.0`, { annotated: r % 2 === 0 });
  }
  for (const m of after) origin.commit(m);
  const { url } = origin.bareOrigin();
  return { origin, url };
}

describe('shallow and partial checkouts', () => {
  test('depth 1 (actions/checkout default): fetches only what it needs and gets the same answer as a full clone', async () => {
    const { url } = originWithHistory(5, 30, ['feat: new', 'fix: other']);
    const full = await versionOf(cloneOf(url).dir);
    const shallow = cloneOf(url, ['--depth=1', '--no-tags']);
    const r = await versionOf(shallow.dir);
    expect(full.version).toBe('1.5.0');
    expect(r).toMatchObject({ version: full.version, previousTag: 'v1.4.0', changelog: full.changelog });
    // Still shallow: it deepened just far enough, not the whole history.
    expect(shallow.git('rev-parse', '--is-shallow-repository')).toBe('true');
    expect(Number(shallow.git('rev-list', '--count', 'HEAD'))).toBeLessThan(100);
    expect(r.gitCommands.some((c) => c.includes('--unshallow'))).toBe(false);
  });

  test('a base tag deeper than the first step is found by deepening further', async () => {
    const { url } = originWithHistory(1, 10, Array.from({ length: 80 }, (_, i) => `chore: filler ${i}`).concat(['feat: x']));
    const shallow = cloneOf(url, ['--depth=1']);
    const r = await versionOf(shallow.dir);
    expect(r).toMatchObject({ version: '1.1.0', previousTag: 'v1.0.0' });
    expect(r.gitCommands.filter((c) => c[0] === 'fetch').length).toBeGreaterThanOrEqual(2);
  });

  test('a merged side branch longer than the depth is not cut off: its commits still count', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.checkout('-b', 'side');
    repo.commit('feat!: breaking change deep on the side branch');
    for (let i = 0; i < 70; i++) repo.commit(`chore: side ${i}`);
    repo.checkout('main');
    repo.commit('fix: on main');
    repo.tag('v2.0.0');
    repo.commit('fix: after tag');
    repo.merge('side');
    const { url } = repo.bareOrigin();
    const full = await versionOf(cloneOf(url).dir);
    expect(full.version).toBe('3.0.0');
    const r = await versionOf(cloneOf(url, ['--depth=1']).dir);
    expect(r.version).toBe('3.0.0');
  });

  test('a higher tag that is not reachable forces the whole history before answering', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: init');
    repo.tag('v1.0.0');
    repo.checkout('-b', 'hotfix');
    repo.commit('fix: unreachable');
    repo.tag('v9.0.0');
    repo.checkout('main');
    repo.commit('fix: on main');
    const { url } = repo.bareOrigin();
    const shallow = cloneOf(url, ['--depth=1', '--single-branch', '--branch=main']);
    const r = await versionOf(shallow.dir);
    expect(r.version).toBe('1.0.1');
    expect(shallow.git('rev-parse', '--is-shallow-repository')).toBe('false');
  });

  test('no tags on origin: the whole history is read and initial-version is used', async () => {
    const origin = TestRepo.create();
    origin.commit('chore: init');
    origin.commit('feat: a');
    const { url } = origin.bareOrigin();
    const r = await versionOf(cloneOf(url, ['--depth=1']).dir, { ref: 'refs/heads/topic' });
    expect(r.version).toBe('0.1.0-topic.2');
  });

  test('partial clone (--filter=blob:none) works and reads no blobs', async () => {
    const { url } = originWithHistory(3, 5, ['feat: y']);
    const partial = cloneOf(url, ['--filter=blob:none']);
    const r = await versionOf(partial.dir);
    expect(r.version).toBe('1.3.0');
  });

  test('partial and shallow together', async () => {
    const { url } = originWithHistory(3, 5, ['fix: y']);
    const r = await versionOf(cloneOf(url, ['--filter=blob:none', '--depth=1']).dir);
    expect(r.version).toBe('1.2.1');
  });

  test('a full clone without tags fetches them from origin', async () => {
    const { url } = originWithHistory(2, 2, ['fix: y']);
    const clone = cloneOf(url, ['--no-tags']);
    expect(clone.git('tag')).toBe('');
    expect((await versionOf(clone.dir)).version).toBe('1.1.1');
    expect(clone.git('tag', '--list', 'v*').split('\n')).toContain('v1.1.0');
  });

  test('a shallow clone whose origin is gone fails clearly instead of guessing', async () => {
    const { origin, url } = originWithHistory(1, 3, ['fix: y']);
    const shallow = cloneOf(url, ['--depth=1']);
    shallow.git('remote', 'set-url', 'origin', `${url}-moved`);
    void origin;
    await expect(versionOf(shallow.dir)).rejects.toThrow(/the checkout is shallow and its history could not be read from origin/);
  });

  test('a shallow clone without any remote fails clearly', async () => {
    const { url } = originWithHistory(1, 3, ['fix: y']);
    const shallow = cloneOf(url, ['--depth=1']);
    shallow.git('remote', 'remove', 'origin');
    await expect(versionOf(shallow.dir)).rejects.toThrow(/is shallow and has no remote 'origin' to deepen from/);
  });
});

test('a tag push checked out at depth 1 still finds the previous version below HEAD', async () => {
  const { origin } = originWithHistory(2, 3, ['feat: z']);
  origin.tag('v1.2.0');
  const { url } = origin.bareOrigin();
  const shallow = cloneOf(url, ['--depth=1', '--branch=v1.2.0']);
  const r = await versionOf(shallow.dir, { ref: 'refs/tags/v1.2.0' });
  expect(r).toMatchObject({ version: '1.2.0', changed: false, previousTag: 'v1.1.0', bump: 'minor', isRelease: true });
  expect(r.changelog).toContain('- z (');
});
