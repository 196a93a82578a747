import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { computeDigest, DigestMismatchError, DigestVerifier } from '#core/registry/digest.js';
import { isForeignLayer, MEDIA_TYPE, parseManifest, parsePlatform, selectPlatform, type Descriptor } from '#core/registry/manifest.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

describe('manifests', () => {
  test('an image manifest: config and layers', () => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE.dockerManifest,
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: d(1), size: 10 },
        layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: d(2), size: 20 }],
      }),
    );
    const parsed = parseManifest(bytes, 'text/plain', 'm');
    expect(parsed).toMatchObject({ kind: 'image', mediaType: MEDIA_TYPE.dockerManifest, config: { digest: d(1), size: 10 }, layers: [{ digest: d(2) }] });
  });

  test('an index without a mediaType field takes the Content-Type', () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPE.ociManifest, digest: d(3), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] }));
    const parsed = parseManifest(bytes, `${MEDIA_TYPE.ociIndex}; charset=utf-8`, 'i');
    expect(parsed).toEqual({ kind: 'index', mediaType: MEDIA_TYPE.ociIndex, manifests: [{ mediaType: MEDIA_TYPE.ociManifest, digest: d(3), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] });
  });

  test('schema 1 and malformed content are refused with a reason', () => {
    expect(() => parseManifest(Buffer.from('{"schemaVersion":1,"fsLayers":[]}'), undefined, 'm')).toThrow(/schema 1/);
    expect(() => parseManifest(Buffer.from('not json'), undefined, 'm')).toThrow(/not JSON/);
    expect(() => parseManifest(Buffer.from('{"config":{"digest":"sha256:x","size":1}}'), undefined, 'm')).toThrow(/invalid digest/);
    expect(() => parseManifest(Buffer.from(`{"config":{"digest":"${d(1)}","size":-1}}`), undefined, 'm')).toThrow(/invalid size/);
  });

  test('foreign layers are recognised', () => {
    expect(isForeignLayer({ mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', digest: d(1), size: 1, urls: ['https://x'] })).toBe(true);
    expect(isForeignLayer({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d(1), size: 1 })).toBe(false);
  });
});

describe('platforms', () => {
  const entries: Descriptor[] = [
    { mediaType: '', digest: d(1), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: '', digest: d(2), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { mediaType: '', digest: d(3), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { mediaType: '', digest: d(4), size: 1, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
  ];

  test('selection', () => {
    expect(selectPlatform(entries, { os: 'linux', architecture: 'amd64' })?.digest).toBe(d(1));
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm64' })?.digest).toBe(d(2));
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBeUndefined();
    expect(selectPlatform(entries, { os: 'windows', architecture: 'amd64' })).toBeUndefined();
    expect(selectPlatform(entries, { os: 'unknown', architecture: 'unknown' })).toBeUndefined();
  });

  test('parsing', () => {
    expect(parsePlatform('linux/arm64/v8', 'p')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(() => parsePlatform('linux', "input 'platform'")).toThrow("input 'platform' must be a platform like linux/amd64");
  });
});

describe('digest verification', () => {
  const content = Buffer.from('layer bytes');
  const digest = computeDigest(content);

  async function drain(stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  test('matching bytes pass through', async () => {
    expect(await drain(Readable.from([content.subarray(0, 3), content.subarray(3)]).pipe(new DigestVerifier(digest, content.length, 'blob')))).toEqual(content);
  });

  test('other bytes end in an error, never a clean end', async () => {
    await expect(drain(Readable.from([Buffer.from('layer bytez')]).pipe(new DigestVerifier(digest, content.length, 'blob')))).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(drain(Readable.from([content.subarray(0, 4)]).pipe(new DigestVerifier(digest, content.length, 'blob')))).rejects.toThrow(/ended after 4 of 11 bytes/);
    await expect(drain(Readable.from([content, content]).pipe(new DigestVerifier(digest, content.length, 'blob')))).rejects.toThrow(/more than the expected 11 bytes/);
  });
});
