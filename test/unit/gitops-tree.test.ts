import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { conePatterns, parseRawAndPatch } from '#core/gitops/gitops-clone.js';
import { objectId, parseLsTree, planAncestors, planSourceTrees, planTree, type PlannedTree, type TreeEntry } from '#core/gitops/git-tree.js';
import { commitBody, writeLooseObject } from '#core/gitops/loose-objects.js';

/** A scratch repository where git itself reads back what we compute and write. */
function scratch(): { dir: string; git: (args: string[], input?: string, env?: Record<string, string>) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-tree-'));
  execFileSync('git', ['init', '--quiet', '--bare', dir]);
  return {
    dir,
    git: (args, input, env = {}) =>
      execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', ...env } }).trimEnd(),
  };
}

describe('objects computed and written here are the ones git would write', () => {
  const { dir, git } = scratch();
  const blob = (text: string) => writeLooseObject(dir, 'blob', Buffer.from(text), 'sha1');
  const write = (...trees: PlannedTree[]) => trees.forEach((t) => writeLooseObject(dir, 'tree', t.body, 'sha1'));
  /** git's own check of every object in the store: well-formed, sorted, ids matching their content. */
  const fsck = () => git(['fsck', '--strict', '--no-dangling', '--no-progress']);

  test('blob ids and contents', () => {
    expect(blob('hello\n')).toBe(git(['hash-object', '--stdin'], 'hello\n'));
    expect(git(['cat-file', 'blob', blob('hello\n')])).toBe('hello');
    expect(objectId('blob', Buffer.from('x'), 'sha256')).toMatch(/^[0-9a-f]{64}$/);
  });

  test("git's entry order (a tree sorts as if its name ended in /), modes, odd names", () => {
    const b = blob('x\n');
    const sub = planTree([{ mode: '100644', type: 'blob', oid: b, name: 'f' }]);
    const entries: TreeEntry[] = [
      { mode: '100644', type: 'blob', oid: b, name: 'a.yaml' },
      { mode: '040000', type: 'tree', oid: sub.oid, name: 'a' },
      { mode: '100644', type: 'blob', oid: b, name: 'a-b' },
      { mode: '100755', type: 'blob', oid: b, name: 'run.sh' },
      { mode: '120000', type: 'blob', oid: b, name: 'link' },
      { mode: '100644', type: 'blob', oid: b, name: 'tab\there "quoted" \\ back' },
      { mode: '100644', type: 'blob', oid: b, name: 'üñïçødé.yaml' },
    ];
    const planned = planTree(entries);
    write(sub, planned);
    fsck();
    // mktree sorts what it is given: the same id means our order and bytes are git's.
    const viaGit = git(['mktree', '-z'], entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${e.name}\0`).join(''));
    expect(planned.oid).toBe(viaGit);
    expect(parseLsTree(git(['ls-tree', '-z', planned.oid])).map((e) => e.name)).toEqual(planned.entries.map((e) => e.name));
  });

  test('a source directory and the ancestors around it', () => {
    const blobs = ['monochart/templates/deployment.yaml', 'monochart/templates/service.yaml', 'monochart/Chart.yaml', 'kustomization.yaml'].map((path) => ({
      path,
      mode: '100644' as const,
      oid: blob(path),
    }));
    const source = planSourceTrees(blobs);
    expect(source).toHaveLength(3); // templates, monochart, the directory itself (deepest first)
    const sibling = planTree([{ mode: '100644', type: 'blob', oid: blob('other'), name: 'x.yaml' }]);
    const rootListing: TreeEntry[] = [
      { mode: '100644', type: 'blob', oid: blob('readme'), name: 'README.md' },
      { mode: '040000', type: 'tree', oid: sibling.oid, name: 'clusters' },
    ];
    const ancestors = planAncestors(['clusters', 'app--staging'], [rootListing, sibling.entries], source.at(-1)!.oid);
    write(sibling, ...source, ...ancestors);
    fsck();
    expect(git(['ls-tree', '-r', '--name-only', ancestors.at(-1)!.oid]).split('\n')).toEqual([
      'README.md',
      'clusters/app--staging/kustomization.yaml',
      'clusters/app--staging/monochart/Chart.yaml',
      'clusters/app--staging/monochart/templates/deployment.yaml',
      'clusters/app--staging/monochart/templates/service.yaml',
      'clusters/x.yaml',
    ]);
  });

  test('a directory that was there is replaced whole, not merged', () => {
    const old = planTree([{ mode: '100644', type: 'blob', oid: blob('stale'), name: 'stale.yaml' }]);
    const source = planSourceTrees([{ path: 'new.yaml', mode: '100644', oid: blob('new') }]);
    const [root] = planAncestors(['app--staging'], [[{ mode: '040000', type: 'tree', oid: old.oid, name: 'app--staging' }]], source[0]!.oid);
    write(old, ...source, root!);
    expect(git(['ls-tree', '-r', '--name-only', root!.oid])).toBe('app--staging/new.yaml');
  });

  test('a commit is byte for byte what git commit-tree writes at the same moment', () => {
    const tree = planTree([{ mode: '100644', type: 'blob', oid: blob('c'), name: 'c.yaml' }]);
    write(tree);
    const when = new Date('2026-11-26T03:00:00Z');
    const identity = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
    const message = 'deploy(api): staging 1.2.3\n\nVersion: 1.2.3\n';
    const parent = writeLooseObject(dir, 'commit', commitBody(tree.oid, [], identity, 'first\n', when), 'sha1');
    const ours = writeLooseObject(dir, 'commit', commitBody(tree.oid, [parent], identity, message, when), 'sha1');
    const stamp = '@1795662000 +0000';
    const theirs = git(['commit-tree', tree.oid, '-p', parent, '-F', '-'], message, {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_AUTHOR_DATE: stamp,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_COMMITTER_DATE: stamp,
    });
    expect(ours).toBe(theirs);
    fsck();
    expect(git(['log', '--format=%an <%ae> %at|%s|%(trailers:key=Version,valueonly)', ours]).split('\n')[0]).toBe(
      `${identity.name} <${identity.email}> 1795662000|deploy(api): staging 1.2.3|1.2.3`,
    );
  });

  test('writing an object twice leaves the first in place', () => {
    const oid = blob('twice');
    expect(blob('twice')).toBe(oid);
    expect(git(['cat-file', '-t', oid])).toBe('blob');
  });

  test('a name twice is a bug, not a tree', () => {
    expect(() => planTree([{ mode: '100644', type: 'blob', oid: 'a'.repeat(40), name: 'x' }, { mode: '040000', type: 'tree', oid: 'b'.repeat(40), name: 'x' }])).toThrow(
      "tree would have 'x' twice",
    );
  });
});

test('cone patterns for a nested directory', () => {
  expect(conePatterns('app--staging')).toBe('/*\n!/*/\n/app--staging/\n');
  expect(conePatterns('clusters/eu/app--prod')).toBe('/*\n!/*/\n/clusters/\n!/clusters/*/\n/clusters/eu/\n!/clusters/eu/*/\n/clusters/eu/app--prod/\n');
});

test('one diff-tree gives the file lists and the patch', () => {
  const raw = (status: string, path: string) => `:100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} ${status}\0${path}\0`;
  const patch = 'diff --git a/app/x.yaml b/app/x.yaml\n--- a/app/x.yaml\n+++ b/app/x.yaml\n@@ -1 +1 @@\n-a\n+b\n';
  expect(parseRawAndPatch(`${raw('A', 'app/new.yaml')}${raw('M', 'app/x.yaml')}${raw('T', 'app/link')}${raw('D', 'app/old yaml.yaml')}\0${patch}`)).toEqual({
    diff: { added: ['app/new.yaml'], changed: ['app/x.yaml', 'app/link'], removed: ['app/old yaml.yaml'] },
    patch,
  });
  expect(parseRawAndPatch('')).toEqual({ diff: { added: [], changed: [], removed: [] }, patch: '' });
});
