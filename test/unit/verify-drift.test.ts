import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunContext } from '#core/runtime/runtime.js';
import { mostCommon, readDeployedState } from '#core/verify/deployed-state.js';
import { splitPatch } from '#core/verify/file-drift.js';
import { provenanceContext, reRenderInputs } from '#core/verify/render-inputs.js';
import { unownedDirectories } from '#core/verify/unowned-directories.js';
import { mapInParallel } from '#core/verify/in-parallel.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function deployment(name: string, image: string, version: string, commit = 'c'.repeat(40)): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    gitops-actions.io/version: ${version}`,
    '    gitops-actions.io/source-repository: https://github.com/acme/verity-api',
    `    gitops-actions.io/source-commit: ${commit}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: app`,
    `          image: ${image}`,
    '',
  ].join('\n');
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-deployed-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('readDeployedState', () => {
  test('the provenance and the pinned digest a render recorded', () => {
    const dir = dirWith({ 'monochart/templates/deployment.yaml': deployment('api', `ghcr.io/acme/verity-api@${D1}`, '1.4.0') });
    expect(readDeployedState(dir, 'ghcr.io/acme/verity-api', 'staging')).toEqual({
      version: '1.4.0',
      sourceRepository: 'https://github.com/acme/verity-api',
      sourceCommit: 'c'.repeat(40),
      image: { digest: D1 },
      notes: [],
    });
  });

  test('a hand edit of one object: the majority is rendered, so the edited object shows as drift', () => {
    const dir = dirWith({
      'a.yaml': deployment('a', `ghcr.io/acme/verity-api@${D1}`, '1.4.0'),
      'b.yaml': deployment('b', `ghcr.io/acme/verity-api@${D1}`, '1.4.0'),
      'c.yaml': deployment('c', `ghcr.io/acme/verity-api@${D2}`, '9.9.9'),
    });
    const state = readDeployedState(dir, 'ghcr.io/acme/verity-api', 'staging');
    expect(state.version).toBe('1.4.0');
    expect(state.image).toEqual({ digest: D1 });
    expect(state.notes).toHaveLength(2);
  });

  test('by tag, other images, no image', () => {
    const tagged = dirWith({ 'd.yaml': deployment('d', 'ghcr.io/acme/verity-api:1.4.0', '1.4.0') });
    expect(readDeployedState(tagged, 'ghcr.io/acme/verity-api', 'x').image).toEqual({ tag: '1.4.0' });
    const other = dirWith({ 'd.yaml': deployment('d', 'docker.io/library/nginx:1', '1.4.0') });
    expect(readDeployedState(other, 'ghcr.io/acme/verity-api', 'x').image).toBeUndefined();
    expect(readDeployedState(other, '', 'x').image).toBeUndefined();
  });

  test('mostCommon: ties go to the first in sort order', () => {
    expect(mostCommon(['b', 'a', 'b', 'a'])).toBe('a');
    expect(mostCommon([])).toBe('');
  });
});

describe('rendering again as deployed', () => {
  const state = { version: '1.4.0', sourceRepository: 'https://github.example.com/acme/verity-api', sourceCommit: 'c'.repeat(40), notes: [] };

  test('the inputs the pipeline gave: version, the version as image tag, the digest', () => {
    const options = { config: 'gitops.yaml', environment: 'staging', output: '/tmp/out', image: 'ghcr.io/acme/verity-api' };
    expect(reRenderInputs(options, { ...state, image: { digest: D1 } })).toEqual({
      config: 'gitops.yaml',
      environment: 'staging',
      output: '/tmp/out',
      version: '1.4.0',
      image: 'ghcr.io/acme/verity-api',
      'image-tag': '1.4.0',
      'image-digest': D1,
    });
    expect(reRenderInputs(options, { ...state, image: { tag: 'edge' } })['image-tag']).toBe('edge');
    expect(reRenderInputs({ ...options, image: '' }, { ...state, image: undefined })).not.toHaveProperty('image-tag');
  });

  test('the context render writes the recorded source repository and commit from', () => {
    const context = { serverUrl: 'https://github.com', repository: 'acme/elsewhere', sha: 'f'.repeat(40) } as RunContext;
    const derived = provenanceContext(context, state);
    expect(`${derived.serverUrl}/${derived.repository}`).toBe(state.sourceRepository);
    expect(derived.sha).toBe(state.sourceCommit);
    expect(provenanceContext(context, { sourceRepository: '', sourceCommit: '' })).toMatchObject({ repository: '', sha: '' });
  });
});

describe('splitPatch', () => {
  test('one piece per file, by its header', () => {
    const patch = [
      'diff --git a/x--s/a.yaml b/x--s/a.yaml',
      'index 1..2 100644',
      '--- a/x--s/a.yaml',
      '+++ b/x--s/a.yaml',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/x--s/b c.yaml b/x--s/b c.yaml',
      'new file mode 100644',
      '',
    ].join('\n');
    const pieces = splitPatch(patch, ['x--s/a.yaml', 'x--s/b c.yaml']);
    expect([...pieces.keys()]).toEqual(['x--s/a.yaml', 'x--s/b c.yaml']);
    expect(pieces.get('x--s/a.yaml')).toMatch(/^diff --git[\s\S]*\+b$/);
  });
});

describe('unownedDirectories', () => {
  const tree = (name: string) => ({ mode: '040000', type: 'tree' as const, oid: '0'.repeat(40), name });
  test("the app's directories no environment writes; other apps', files and owned ones are not", () => {
    const listing = [tree('verity-api--staging'), tree('verity-api--qa'), tree('billing--qa'), tree('verity-api'), tree('verity-api-x--qa'), { ...tree('verity-api--old'), type: 'blob' as const }];
    expect(unownedDirectories({ app: 'verity-api', listing, parent: '', owned: new Set(['verity-api--staging']) })).toEqual(['verity-api--qa']);
    expect(unownedDirectories({ app: 'verity-api', listing, parent: 'clusters/eu', owned: new Set(['clusters/eu/verity-api--staging']) })).toEqual(['clusters/eu/verity-api--qa']);
    expect(unownedDirectories({ app: 'verity-api', listing: undefined, parent: '', owned: new Set() })).toEqual([]);
  });
});

test('mapInParallel keeps the order and the limit', async () => {
  let running = 0;
  let most = 0;
  const out = await mapInParallel([5, 1, 3, 2, 4], 2, async (n) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setImmediate(r));
    running--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 30, 20, 40]);
  expect(most).toBe(2);
});
