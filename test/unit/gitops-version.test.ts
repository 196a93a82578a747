import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decideVersion, readDirectoryVersion } from '#core/gitops/deployed-version.js';
import { VERSION_ANNOTATION } from '#core/render/provenance.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-version-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const object = (kind: string, version?: string, quoted = false) =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: verity-api\n` +
  (version ? `  annotations:\n    ${VERSION_ANNOTATION}: ${quoted ? `'${version}'` : version}\n` : '');

describe('the version in place, from provenance annotations', () => {
  test('read from every object of every manifest, highest by semver', () => {
    const dir = dirWith({
      'monochart/templates/deployment.yaml': object('Deployment', '1.10.0'),
      'monochart/templates/service.yaml': `${object('Service', '1.9.0', true)}---\n${object('ConfigMap')}`,
      'monochart/templates/extra.json': JSON.stringify({ kind: 'Secret', metadata: { annotations: { [VERSION_ANNOTATION]: '1.2.0' } } }),
      'README.md': `${VERSION_ANNOTATION}: 99.0.0`,
    });
    expect(readDirectoryVersion(dir)).toEqual({ version: '1.10.0', versions: ['1.2.0', '1.9.0', '1.10.0'], unreadable: [] });
  });

  test('no annotations, no directory: no version', () => {
    expect(readDirectoryVersion(dirWith({ 'a.yaml': object('Service') })).version).toBe('');
    expect(readDirectoryVersion('/nonexistent/dir')).toEqual({ version: '', versions: [], unreadable: [] });
  });

  test('unreadable YAML is reported, not fatal; symbolic links are not followed', () => {
    const dir = dirWith({ 'ok.yaml': object('Service', '2.0.0'), 'broken.yaml': `${VERSION_ANNOTATION}: [\n` });
    const outside = dirWith({ 'x.yaml': object('Deployment', '9.0.0') });
    symlinkSync(join(outside, 'x.yaml'), join(dir, 'link.yaml'));
    symlinkSync(outside, join(dir, 'linked-dir'));
    expect(readDirectoryVersion(dir)).toEqual({ version: '2.0.0', versions: ['2.0.0'], unreadable: ['broken.yaml'] });
  });
});

describe('never go backwards', () => {
  test('upgrade, same version, first version, nothing to compare', () => {
    expect(decideVersion('1.5.0', '1.4.0', false, 'main:app--staging')).toEqual({
      proceed: true,
      reason: '1.5.0 replaces 1.4.0 in main:app--staging (upgrade)',
    });
    expect(decideVersion('1.5.0', '1.5.0', false, 'x').proceed).toBe(true);
    expect(decideVersion('1.5.0', '', false, 'x').reason).toBe('1.5.0: x has no version yet');
    expect(decideVersion('', '2.0.0', false, 'x').reason).toMatch(/check is skipped/);
  });

  test('semver precedence, not text order; a leading v is accepted', () => {
    expect(decideVersion('1.10.0', '1.9.0', false, 'x').proceed).toBe(true);
    expect(decideVersion('v1.10.0', '1.9.0', false, 'x').proceed).toBe(true);
    expect(decideVersion('1.0.0', '1.0.0-rc.1', false, 'x').proceed).toBe(true);
    expect(decideVersion('1.0.0-rc.1', '1.0.0', false, 'x').proceed).toBe(false);
  });

  test('a downgrade is refused with what to do, unless allowed', () => {
    expect(decideVersion('1.4.0', '1.5.0', false, 'main:verity-api--staging')).toEqual({
      proceed: false,
      reason:
        'refusing to replace version 1.5.0 in main:verity-api--staging with the lower 1.4.0: a newer deployment is already in place. ' +
        "For an intended rollback, set 'allow-downgrade: true'.",
    });
    expect(decideVersion('1.4.0', '1.5.0', true, 'x')).toMatchObject({ proceed: true, downgrade: true });
  });

  test('versions that are not semver are not compared', () => {
    expect(decideVersion('sha-3f2a1c9', '1.5.0', false, 'x')).toMatchObject({ proceed: true, reason: expect.stringMatching(/not a semantic version/) });
  });
});
