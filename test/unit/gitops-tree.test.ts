import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { conePatterns, parseRawAndPatch } from '#core/gitops/gitops-clone.js';
import { mktreeInput, mktreeName, objectId, parseLsTree, planAncestors, planSourceTrees, planTree, type TreeEntry } from '#core/gitops/git-tree.js';

/** A scratch repository where git itself checks what we compute. */
function scratch(): (args: string[], input?: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-tree-'));
  execFileSync('git', ['init', '--quiet', '--bare', dir]);
  return (args, input) => execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).trimEnd();
}

describe('tree objects computed here agree with git', () => {
  const git = scratch();
  const blob = (text: string) => git(['hash-object', '-w', '--stdin'], text);

  test('blob ids', () => {
    expect(objectId('blob', Buffer.from('hello\n'))).toBe(blob('hello\n'));
  });

  test('git\'s entry order (a tree sorts as if its name ended in /), modes, odd names', () => {
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
    const written = git(['mktree', '--missing', '--batch'], mktreeInput([sub, planned])).split('\n');
    expect(written).toEqual([sub.oid, planned.oid]);
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
    const written = git(['mktree', '--missing', '--batch'], mktreeInput([sibling, ...source, ...ancestors])).split('\n');
    expect(written).toEqual([sibling.oid, ...source.map((t) => t.oid), ...ancestors.map((t) => t.oid)]);
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
    git(['mktree', '--missing', '--batch'], mktreeInput([old, ...source, root!]));
    expect(git(['ls-tree', '-r', '--name-only', root!.oid])).toBe('app--staging/new.yaml');
  });

  test('a name twice is a bug, not a tree', () => {
    expect(() => planTree([{ mode: '100644', type: 'blob', oid: 'a'.repeat(40), name: 'x' }, { mode: '040000', type: 'tree', oid: 'b'.repeat(40), name: 'x' }])).toThrow(
      "tree would have 'x' twice",
    );
  });

  test('names mktree reads back', () => {
    expect(mktreeName('plain name.yaml')).toBe('plain name.yaml');
    expect(mktreeName('a"b\\c\td\ne\u0001')).toBe('"a\\"b\\\\c\\td\\ne\\001"');
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
