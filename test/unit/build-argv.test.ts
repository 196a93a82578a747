import { describe, expect, test } from 'vitest';
import type { BuildSpec } from '#core/build/build-spec.js';
import { dockerBuildxArgv } from '#core/build/docker-builder.js';
import { buildahBuildArgv, buildahPushArgv } from '#core/build/buildah-builder.js';
import { imageLabels } from '#core/build/oci-labels.js';
import { selectBuilder } from '#core/build/select-builder.js';

// docker buildx has no daemon to talk to here (DESIGN §4): its argv is tested exhaustively instead.
const base: BuildSpec = {
  context: '/ws/app',
  file: '/ws/app/Dockerfile',
  platforms: [],
  buildArgs: {},
  secretFiles: {},
  labels: {},
  target: '',
  refs: ['ghcr.io/acme/api:1.4.0'],
  push: true,
  cache: 'none',
  image: 'ghcr.io/acme/api',
  insecure: false,
};

describe('docker buildx argv', () => {
  const argv = (spec: Partial<BuildSpec>) => dockerBuildxArgv({ ...base, ...spec }, { metadataFile: '/tmp/p/metadata.json' });

  test('minimal push', () => {
    expect(argv({})).toEqual([
      'docker', 'buildx', 'build', '--file', '/ws/app/Dockerfile', '--metadata-file', '/tmp/p/metadata.json',
      '--tag', 'ghcr.io/acme/api:1.4.0', '--no-cache', '--output', 'type=image,push=true', '/ws/app',
    ]);
  });

  test('everything at once, in a stable order, context last', () => {
    expect(
      argv({
        platforms: ['linux/amd64', 'linux/arm64'],
        buildArgs: { NODE_ENV: 'production', EMPTY: '', 'WITH=EQ': 'a=b' },
        secretFiles: { npmrc: '/tmp/p/secret-npmrc' },
        labels: { 'org.opencontainers.image.revision': 'abc', team: 'payments' },
        target: 'runtime',
        refs: ['ghcr.io/acme/api:1.4.0', 'ghcr.io/acme/api:sha-abc1234'],
        cache: 'registry',
        insecure: true,
      }),
    ).toEqual([
      'docker', 'buildx', 'build', '--file', '/ws/app/Dockerfile', '--metadata-file', '/tmp/p/metadata.json',
      '--platform', 'linux/amd64,linux/arm64',
      '--build-arg', 'NODE_ENV=production', '--build-arg', 'EMPTY=', '--build-arg', 'WITH=EQ=a=b',
      '--secret', 'id=npmrc,src=/tmp/p/secret-npmrc',
      '--label', 'org.opencontainers.image.revision=abc', '--label', 'team=payments',
      '--target', 'runtime',
      '--tag', 'ghcr.io/acme/api:1.4.0', '--tag', 'ghcr.io/acme/api:sha-abc1234',
      '--cache-from', 'type=registry,ref=ghcr.io/acme/api:buildcache',
      '--cache-to', 'type=registry,ref=ghcr.io/acme/api:buildcache,mode=max',
      '--output', 'type=image,push=true,registry.insecure=true',
      '/ws/app',
    ]);
  });

  test('GitHub Actions cache', () => {
    expect(argv({ cache: 'gha' })).toEqual(expect.arrayContaining(['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']));
  });

  test('local cache adds no flags', () => {
    const a = argv({ cache: 'local' });
    expect(a.some((x) => x.startsWith('--cache') || x === '--no-cache')).toBe(false);
  });

  test('without push: --load for one platform, nothing for several (the daemon cannot load an index)', () => {
    expect(argv({ push: false })).toContain('--load');
    expect(argv({ push: false })).not.toContain('--output');
    expect(argv({ push: false, platforms: ['linux/amd64', 'linux/arm64'] })).not.toContain('--load');
  });

  test('secret values never appear in argv, only the paths of private files', () => {
    const a = argv({ secretFiles: { token: '/tmp/p/secret-token' } }).join(' ');
    expect(a).toContain('id=token,src=/tmp/p/secret-token');
  });

  test('values that look like options stay values', () => {
    const a = argv({ buildArgs: { X: '--push' }, labels: { y: '--rm' } });
    expect(a).toEqual(expect.arrayContaining(['--build-arg', 'X=--push', '--label', 'y=--rm']));
  });
});

describe('buildah argv', () => {
  const opts = { localName: 'localhost/build-1', isolation: 'chroot', authFile: '/tmp/p/auth.json', removeLocalImage: true };

  test('single platform build and push', () => {
    expect(buildahBuildArgv({ ...base, cache: 'local', buildArgs: { A: '1' }, secretFiles: { s: '/tmp/p/secret-s' } }, opts)).toEqual([
      'buildah', 'build', '--file', '/ws/app/Dockerfile', '--tag', 'localhost/build-1', '--isolation', 'chroot',
      '--build-arg', 'A=1', '--secret', 'id=s,src=/tmp/p/secret-s', '--layers', '--authfile', '/tmp/p/auth.json', '/ws/app',
    ]);
    expect(buildahPushArgv({ ...base, insecure: true }, opts, 'ghcr.io/acme/api:1.4.0', '/tmp/p/d')).toEqual([
      'buildah', 'push', '--digestfile', '/tmp/p/d', '--authfile', '/tmp/p/auth.json', '--tls-verify=false',
      'localhost/build-1', 'docker://ghcr.io/acme/api:1.4.0',
    ]);
  });

  test('several platforms build a manifest list and push it with all its images', () => {
    const spec = { ...base, platforms: ['linux/amd64', 'linux/arm64'] };
    expect(buildahBuildArgv(spec, { ...opts, isolation: '' })).toEqual([
      'buildah', 'build', '--file', '/ws/app/Dockerfile', '--manifest', 'localhost/build-1', '--platform', 'linux/amd64,linux/arm64',
      '--authfile', '/tmp/p/auth.json', '/ws/app',
    ]);
    expect(buildahPushArgv(spec, opts, 'ghcr.io/acme/api:1.4.0', '/tmp/p/d').slice(0, 4)).toEqual(['buildah', 'manifest', 'push', '--all']);
  });

  test('registry cache lives in a repository next to the image', () => {
    expect(buildahBuildArgv({ ...base, cache: 'registry' }, opts)).toEqual(
      expect.arrayContaining(['--cache-from', 'ghcr.io/acme/api-buildcache', '--cache-to', 'ghcr.io/acme/api-buildcache']),
    );
  });
});

describe('OCI labels', () => {
  test('added automatically; the user wins; empty ones are left out', () => {
    const labels = imageLabels(
      { sourceUrl: 'https://github.com/acme/api', revision: 'f'.repeat(40), version: '1.4.0', title: 'api', created: new Date('2026-01-02T03:04:05Z') },
      { 'org.opencontainers.image.title': 'Verity API' },
    );
    expect(labels).toEqual({
      'org.opencontainers.image.source': 'https://github.com/acme/api',
      'org.opencontainers.image.revision': 'f'.repeat(40),
      'org.opencontainers.image.version': '1.4.0',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.title': 'Verity API',
    });
    expect(imageLabels({ sourceUrl: '', revision: '', version: 'x', title: 't', created: new Date(0) }, {})).not.toHaveProperty(
      'org.opencontainers.image.source',
    );
  });
});

describe('builder selection', () => {
  const probe = (docker: boolean, buildah: boolean) => ({ docker: async () => docker, buildah: async () => buildah });

  test('auto prefers a docker daemon, then buildah, else a clear error', async () => {
    expect(await selectBuilder('auto', probe(true, true))).toEqual({ builder: 'docker', reason: 'a docker daemon with buildx answers' });
    expect(await selectBuilder('auto', probe(false, true))).toEqual({ builder: 'buildah', reason: 'no docker daemon answers; buildah is installed' });
    await expect(selectBuilder('auto', probe(false, false))).rejects.toThrow(/no image builder here: no docker daemon answers and buildah is not installed/);
  });

  test('an explicit builder that is missing says how to get it', async () => {
    await expect(selectBuilder('docker', probe(false, true))).rejects.toThrow("input 'builder' is 'docker' but no docker daemon with buildx answers here");
    await expect(selectBuilder('buildah', probe(true, false))).rejects.toThrow("input 'builder' is 'buildah' but buildah is not installed");
  });
});

test('buildah multi-platform builds go without --layers (buildah 1.28 would collapse the platforms)', () => {
  const spec: BuildSpec = { ...base, cache: 'local', platforms: ['linux/amd64', 'linux/arm64'] };
  expect(buildahBuildArgv(spec, { localName: 'l', isolation: '', removeLocalImage: false })).not.toContain('--layers');
});
