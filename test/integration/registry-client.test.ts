import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RegistryError } from '#core/registry/registry-error.js';
import { RegistryClient, type RegistryClientOptions } from '#core/registry/registry-client.js';
import { copyImage, retag } from '#core/registry/copy.js';
import { MEDIA_TYPE } from '#core/registry/manifest.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { createBuildahStore, makeLayeredImage, uploadMultiPlatformIndex, type BuildahStore } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';

/**
 * The client against the real distribution registry (anonymous here; auth
 * flows and faults have their own files), watched through the fault proxy's
 * request log so "no layer bytes moved" is an observation, not a hope.
 */

let registry: TestRegistry;
let proxy: FaultProxy;
let other: TestRegistry;
const clients: RegistryClient[] = [];

function client(host: string, extra: Partial<RegistryClientOptions> = {}): RegistryClient {
  const c = new RegistryClient({ registry: host, insecure: true, ...extra });
  clients.push(c);
  return c;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Requests that carried blob bytes to the registry: PATCH or PUT on an upload session. */
function blobUploads(p: FaultProxy, since: number) {
  return p.requests.slice(since).filter((r) => /\/blobs\/uploads\//.test(r.path) && (r.method === 'PUT' || r.method === 'PATCH'));
}

/** Methods sent since `since`, leaving out each new client's one-time GET /v2/ ping. */
function methods(since: number): string[] {
  return proxy.requests.slice(since).filter((r) => r.path !== '/v2/').map((r) => r.method);
}

beforeAll(async () => {
  [registry, other] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' })]);
  proxy = await startFaultProxy({ target: registry.url });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await proxy?.close();
  await Promise.all([registry?.stop(), other?.stop()]);
});

describe('manifests', () => {
  test('HEAD and GET agree with what was pushed; a missing tag is undefined on HEAD, a 404 error on GET', async () => {
    const pushed = await uploadMultiPlatformIndex(registry.url, 'team/head', 'v1');
    const c = client(registry.host);
    expect(await c.headManifest('team/head', 'v1')).toEqual({ digest: pushed.indexDigest, mediaType: MEDIA_TYPE.ociIndex, size: pushed.indexBytes.length });
    const manifest = await c.getManifest('team/head', 'v1');
    expect(manifest).toEqual({ digest: pushed.indexDigest, mediaType: MEDIA_TYPE.ociIndex, bytes: pushed.indexBytes });
    expect((await c.getManifest('team/head', pushed.indexDigest)).bytes).toEqual(pushed.indexBytes);
    expect(await c.headManifest('team/head', 'nope')).toBeUndefined();
    expect(await c.headManifest('team/never-pushed', 'v1')).toBeUndefined();
    const error = await c.getManifest('team/head', 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(404);
    expect((error as Error).message).toMatch(/^registry 127\.0\.0\.1:\d+: manifest team\/head:nope not found \(404 MANIFEST_UNKNOWN: manifest unknown/);
  });

  test('Docker media types come back as Docker media types', async () => {
    const pushed = await uploadMultiPlatformIndex(registry.url, 'team/docker-format', 'v1', { format: 'docker' });
    const manifest = await client(registry.host).getManifest('team/docker-format', 'v1');
    expect(manifest.mediaType).toBe(MEDIA_TYPE.dockerManifestList);
    expect(manifest.digest).toBe(pushed.indexDigest);
  });
});

describe('retag', () => {
  test('a multi-platform index keeps its digest and stays an index; no blob is uploaded', async () => {
    const pushed = await uploadMultiPlatformIndex(registry.url, 'team/multi', 'sha-abc1234');
    const c = client(proxy.host);
    const since = proxy.requests.length;
    const result = await retag(c, 'team/multi', 'sha-abc1234', ['1.4.0', 'staging', 'staging']);
    expect(result).toEqual({ digest: pushed.indexDigest, mediaType: MEDIA_TYPE.ociIndex, tags: ['1.4.0', 'staging'] });
    for (const tag of ['1.4.0', 'staging']) {
      const m = await c.getManifest('team/multi', tag);
      expect(m.digest).toBe(pushed.indexDigest);
      expect(m.bytes).toEqual(pushed.indexBytes);
    }
    const traffic = proxy.requests.slice(since).map((r) => `${r.method} ${r.path.replace(/sha256:[0-9a-f]{64}/, 'DIGEST')}`);
    expect(traffic.filter((t) => t.includes('/blobs/'))).toEqual([]);
    expect(traffic.filter((t) => t.startsWith('PUT'))).toEqual(['PUT /v2/team/multi/manifests/1.4.0', 'PUT /v2/team/multi/manifests/staging']);
    // The manifest is read once, however many tags.
    expect(traffic.filter((t) => t === 'GET /v2/team/multi/manifests/sha-abc1234')).toHaveLength(1);
  });

  test('retag by digest, single-platform Docker image', async () => {
    const image = await makeLayeredImage(registry.url, 'team/single', 'build-1', { layers: 2, layerBytes: 2048, format: 'docker' });
    const c = client(registry.host);
    const result = await retag(c, 'team/single', image.manifestDigest, ['latest']);
    expect(result.digest).toBe(image.manifestDigest);
    expect((await c.headManifest('team/single', 'latest'))?.digest).toBe(image.manifestDigest);
  });

  test('retagging a tag that does not exist is a 404 naming it', async () => {
    await expect(retag(client(registry.host), 'team/multi', 'missing', ['x'])).rejects.toThrow(/manifest team\/multi:missing not found/);
  });
});

describe('copy within a registry', () => {
  test('every blob is mounted from the source repository: digest unchanged, no layer bytes moved', async () => {
    const pushed = await uploadMultiPlatformIndex(registry.url, 'staging/app', '1.4.0');
    const c = client(proxy.host);
    const since = proxy.requests.length;
    const logs: string[] = [];
    const result = await copyImage(
      { client: c, repository: 'staging/app', ref: '1.4.0' },
      { client: c, repository: 'prod/app', tags: ['1.4.0', 'prod'] },
      { log: (m) => logs.push(m) },
    );
    // Two platforms × (config + layer), two child manifests.
    expect(result).toMatchObject({ digest: pushed.indexDigest, mounted: 4, copied: 0, skipped: 0, bytesCopied: 0, manifests: 2, manifestsSkipped: 0 });
    expect(blobUploads(proxy, since)).toEqual([]);
    const mounts = proxy.requests.slice(since).filter((r) => r.method === 'POST' && r.path.includes('mount='));
    expect(mounts).toHaveLength(4);
    expect(mounts.every((r) => r.path.includes('from=staging%2Fapp') && r.status === 201)).toBe(true);
    expect(logs.at(-1)).toContain('no layer bytes moved');
    expect((await c.getManifest('prod/app', 'prod')).bytes).toEqual(pushed.indexBytes);
    for (const digest of Object.values(pushed.manifestDigests)) expect(await c.headManifest('prod/app', digest)).toBeDefined();

    // A second copy finds everything in place.
    const again = await copyImage({ client: c, repository: 'staging/app', ref: '1.4.0' }, { client: c, repository: 'prod/app', tags: ['again'] });
    expect(again).toMatchObject({ digest: pushed.indexDigest, mounted: 0, copied: 0, manifests: 0, manifestsSkipped: 2 });
  });
});

describe('copy between registries', () => {
  test('blobs stream from source to destination; digests survive; a second copy skips them', async () => {
    const image = await makeLayeredImage(registry.url, 'team/layers', 'v1', { layers: 3, layerBytes: 300_000 });
    const src = client(proxy.host);
    const dst = client(other.host);
    const since = proxy.requests.length;
    const result = await copyImage({ client: src, repository: 'team/layers', ref: 'v1' }, { client: dst, repository: 'mirror/layers', tags: ['v1'] });
    expect(result).toMatchObject({ digest: image.manifestDigest, mounted: 0, copied: 4, skipped: 0 });
    expect(result.bytesCopied).toBeGreaterThan(image.totalBytes);
    expect((await dst.headManifest('mirror/layers', 'v1'))?.digest).toBe(image.manifestDigest);
    // The source only served reads.
    expect(proxy.requests.slice(since).every((r) => r.method === 'GET' || r.method === 'HEAD')).toBe(true);
    // Every blob arrived intact (the registry checked the digest on upload; read one back to be sure).
    const config = await dst.getBlob('mirror/layers', image.configDigest, 1 << 20);
    expect(sha256(config)).toBe(image.configDigest);

    const again = await copyImage({ client: src, repository: 'team/layers', ref: 'v1' }, { client: dst, repository: 'mirror/layers', tags: ['v2'] });
    expect(again).toMatchObject({ copied: 0, skipped: 4 });
  });

  test('a multi-platform index copies with its children', async () => {
    const pushed = await uploadMultiPlatformIndex(registry.url, 'team/multi-x', 'v1');
    const dst = client(other.host);
    const result = await copyImage({ client: client(registry.host), repository: 'team/multi-x', ref: 'v1' }, { client: dst, repository: 'x/multi', tags: [] });
    expect(result).toMatchObject({ digest: pushed.indexDigest, copied: 4, manifests: 2 });
    // No tags: stored by digest.
    expect((await dst.getManifest('x/multi', pushed.indexDigest)).bytes).toEqual(pushed.indexBytes);
    const arm = await dst.imageConfig('x/multi', pushed.indexDigest, { os: 'linux', architecture: 'arm64' });
    expect(arm).toMatchObject({ digest: pushed.indexDigest, manifestDigest: pushed.manifestDigests['linux/arm64'], platform: { os: 'linux', architecture: 'arm64' } });
    expect(arm.config).toMatchObject({ architecture: 'arm64', os: 'linux' });
    await expect(dst.imageConfig('x/multi', pushed.indexDigest, { os: 'windows', architecture: 'amd64' })).rejects.toThrow(
      /has no windows\/amd64 image \(it has linux\/amd64, linux\/arm64\)/,
    );
  });
});

describe('blob uploads', () => {
  test('one streamed PUT, or PATCH chunks when chunkSize says so; the registry checks the digest', async () => {
    const data = randomBytes(200_000);
    const digest = sha256(data);
    const mono = client(proxy.host);
    let since = proxy.requests.length;
    await mono.uploadBlob('team/uploads', digest, data.length, Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]));
    expect(methods(since)).toEqual(['POST', 'PUT']);
    expect(await mono.blobExists('team/uploads', digest)).toBe(true);

    const other = randomBytes(150_000);
    const chunked = client(proxy.host, { chunkSize: 64 * 1024 });
    since = proxy.requests.length;
    await chunked.uploadBlob('team/uploads', sha256(other), other.length, Readable.from([other]));
    expect(methods(since)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH', 'PUT']);
    const back = await chunked.getBlob('team/uploads', sha256(other), 1 << 20);
    expect(back).toEqual(other);
  });

  test('bytes that do not match the digest are refused and the session is cancelled', async () => {
    const c = client(proxy.host);
    const since = proxy.requests.length;
    const error = await c.uploadBlob('team/uploads', sha256(Buffer.from('expected')), 5, Readable.from([Buffer.from('other')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/upload blob sha256:[0-9a-f]{64} to team\/uploads failed: 400 DIGEST_INVALID/);
    expect(methods(since)).toEqual(['POST', 'PUT', 'DELETE']);
  });
});

describe('image config', () => {
  let store: BuildahStore;
  beforeAll(() => {
    store = createBuildahStore();
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  test('labels of an image buildah built and pushed', async () => {
    const labels = { 'org.opencontainers.image.revision': '3f2a1c9d', 'org.opencontainers.image.version': '1.4.0' };
    const { image } = await store.buildScratchImage({ files: { 'hello.txt': 'hi\n' }, labels });
    const { digest } = await store.pushImage(image, `${registry.host}/team/labelled:1.4.0`);
    const config = await client(registry.host).imageConfig('team/labelled', '1.4.0');
    expect(config.digest).toBe(digest);
    expect(config.manifestDigest).toBe(digest);
    expect(config.labels).toMatchObject(labels);
    expect(config.config).toMatchObject({ os: 'linux' });
  });
});

describe('https by default', () => {
  test('a plain-http registry without insecure fails at the TLS handshake, with a hint', async () => {
    const error = await new RegistryClient({ registry: registry.host, retry: { maxAttempts: 1 } }).headManifest('team/head', 'v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(new RegExp(`^registry ${registry.host}: cannot reach ${registry.host} \\(GET /v2/\\): .*; if this registry serves plain http \\(a local test registry\\), mark it insecure$`));
  });
});

describe('Docker Hub style names', () => {
  test('a client for docker.io talks to registry-1.docker.io (only its URL is checked; no network)', () => {
    expect(new RegistryClient({ registry: 'docker.io' }).baseUrl.href).toBe('https://registry-1.docker.io/');
    expect(new RegistryClient({ registry: 'localhost:5000', insecure: true }).baseUrl.href).toBe('http://localhost:5000/');
  });
});
