import { describe, expect, test } from 'vitest';
import { cloneOf, gitIn, TestRepo } from '../harness/git-repo.js';
import { versionOf } from './version-helpers.js';

function released(): { origin: string; clone: TestRepo } {
  const repo = TestRepo.create();
  repo.commit('chore: init');
  repo.tag('v1.0.0');
  repo.commit('feat: shiny');
  const { dir } = repo.bareOrigin();
  return { origin: dir, clone: cloneOf(`file://${dir}`) };
}

describe('create-tag', () => {
  test('creates an annotated tag with the changelog on HEAD and pushes it', async () => {
    const { origin, clone } = released();
    const r = await versionOf(clone.dir, { createTag: true });
    expect(r).toMatchObject({ version: '1.1.0', tagCreated: true });
    expect(gitIn(origin, ['rev-parse', 'v1.1.0^{commit}'])).toBe(clone.head());
    expect(gitIn(origin, ['cat-file', '-t', 'v1.1.0'])).toBe('tag');
    expect(gitIn(origin, ['tag', '-l', '--format=%(contents)', 'v1.1.0'])).toContain('- shiny (');
  });

  test('is idempotent: a re-run on the same commit succeeds and changes nothing', async () => {
    const { origin, clone } = released();
    await versionOf(clone.dir, { createTag: true });
    const again = await versionOf(clone.dir, { createTag: true });
    expect(again).toMatchObject({ version: '1.1.0', changed: false, tagCreated: false });
    expect(gitIn(origin, ['tag', '--list'])).toBe('v1.0.0\nv1.1.0');
  });

  test('the same tag on another commit of origin is a clear error and the local tag is not left behind', async () => {
    const { origin, clone } = released();
    const other = cloneOf(`file://${origin}`);
    other.commit('fix: raced');
    other.git('tag', 'v1.1.0');
    other.git('push', '--quiet', 'origin', 'HEAD:refs/heads/other', 'refs/tags/v1.1.0');
    await expect(versionOf(clone.dir, { createTag: true })).rejects.toThrow(
      /tag v1\.1\.0 already exists on origin at commit [0-9a-f]{7}, not on HEAD [0-9a-f]{7}/,
    );
    expect(clone.git('tag', '--list', 'v1.1.0')).toBe('');
  });

  test('the same tag locally on another commit is a clear error', async () => {
    const { clone } = released();
    clone.git('tag', 'v1.1.0', 'HEAD~1');
    // v1.1.0 now sits on the base commit, so it becomes the base; force the collision with an explicit version.
    await expect(versionOf(clone.dir, { createTag: true, version: '1.1.0' })).rejects.toThrow(
      /tag v1\.1\.0 already exists on commit [0-9a-f]{7}, not on HEAD [0-9a-f]{7}; tags are never moved/,
    );
  });

  test('not on a release branch: no tag, and the log says why', async () => {
    const { origin, clone } = released();
    const r = await versionOf(clone.dir, { createTag: true, ref: 'refs/heads/feature' });
    expect(r.tagCreated).toBe(false);
    expect(r.logs.join('\n')).toContain('not creating v1.1.0-feature.1: branch feature is not a release branch');
    expect(gitIn(origin, ['tag', '--list'])).toBe('v1.0.0');
  });
});

test('a tag left unpushed by an earlier run is pushed on the re-run', async () => {
  const { origin, clone } = released();
  clone.git('tag', '--annotate', '--message', 'v1.1.0', 'v1.1.0');
  const r = await versionOf(clone.dir, { createTag: true });
  expect(r).toMatchObject({ version: '1.1.0', changed: false, tagCreated: false });
  expect(gitIn(origin, ['rev-parse', 'v1.1.0^{commit}'])).toBe(clone.head());
});
