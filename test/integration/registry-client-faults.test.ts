import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyImage } from '#core/registry/copy.js';
import { RegistryError } from '#core/registry/registry-error.js';
import { RegistryClient, type RegistryClientOptions } from '#core/registry/registry-client.js';
import {
  refusingEndpoint,
  silentEndpoint,
  startFaultProxy,
  startRecordingServer,
  type FaultProxy,
  type RecordingServer,
} from '../harness/fault-proxy.js';
import { makeLayeredImage, type LayeredImage } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';

/**
 * The real registry (htpasswd, so credentials are in play) behind the fault
 * proxy: rate limits, server errors, dropped connections, redirects to other
 * hosts, and registries that are down or silent. Waits between retries go
 * through an injected sleep that records them, so the tests assert the waits
 * the client chose without spending them.
 */

const CREDENTIALS = { username: 'tester', password: 'pa55word' };
const BASIC = `Basic ${Buffer.from('tester:pa55word').toString('base64')}`;

let registry: TestRegistry;
let proxy: FaultProxy;
let image: LayeredImage;
const clients: RegistryClient[] = [];

interface Watched {
  client: RegistryClient;
  waits: number[];
  logs: string[];
}

function watched(host: string, extra: Partial<RegistryClientOptions> = {}): Watched {
  const waits: number[] = [];
  const logs: string[] = [];
  const client = new RegistryClient({
    registry: host,
    insecure: true,
    credentials: CREDENTIALS,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: (m) => logs.push(m),
    ...extra,
  });
  clients.push(client);
  return { client, waits, logs };
}

/** What the proxy saw for paths matching `path` since `since`: status per request. */
function statuses(since: number, path: RegExp): (number | undefined)[] {
  return proxy.requests.slice(since).filter((r) => path.test(r.path)).map((r) => r.status);
}

beforeAll(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFaultProxy({ target: registry.url });
  image = await makeLayeredImage(registry.url, 'team/app', 'v1', { layers: 2, layerBytes: 100_000, credentials: CREDENTIALS });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await proxy?.close();
  await registry?.stop();
});

describe('retries', () => {
  test('429 with Retry-After (seconds): waits what the registry asks, then succeeds', async () => {
    const { client, waits, logs } = watched(proxy.host);
    const since = proxy.requests.length;
    proxy.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, method: 'GET', path: /\/manifests\/v1$/ });
    expect((await client.getManifest('team/app', 'v1')).digest).toBe(image.manifestDigest);
    expect(waits).toEqual([1000]);
    expect(statuses(since, /\/manifests\/v1$/)).toEqual([429, 200]);
    expect(logs).toEqual([
      `${proxy.host}: Basic authentication, with credentials`,
      `${proxy.host}: GET /v2/team/app/manifests/v1 answered 429; retrying in 1.0s as Retry-After asks (attempt 2 of 5)`,
    ]);
  });

  test('429 with Retry-After as an HTTP-date', async () => {
    const { client, waits } = watched(proxy.host);
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3000).toUTCString();
    proxy.inject({ kind: 'status', status: 429, headers: { 'Retry-After': at }, method: 'HEAD', path: /\/manifests\/v1$/ });
    expect((await client.headManifest('team/app', 'v1'))?.digest).toBe(image.manifestDigest);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1000);
    expect(waits[0]).toBeLessThanOrEqual(4000);
  });

  test('503 twice, then success, with exponential backoff and jitter', async () => {
    const { client, waits } = watched(proxy.host);
    const since = proxy.requests.length;
    proxy.inject({ kind: 'status', status: 503, times: 2, method: 'HEAD', path: /\/manifests\/v1$/ });
    expect((await client.headManifest('team/app', 'v1'))?.digest).toBe(image.manifestDigest);
    expect(statuses(since, /\/manifests\/v1$/)).toEqual([503, 503, 200]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeLessThanOrEqual(1000);
  });

  test('a registry that keeps failing: five attempts, then an error naming host, request and status', async () => {
    const { client, waits } = watched(proxy.host);
    const since = proxy.requests.length;
    proxy.inject({
      kind: 'status',
      status: 503,
      times: 10,
      method: 'GET',
      path: /\/manifests\/v1$/,
      body: JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'service unavailable' }] }),
    });
    const error = await client.getManifest('team/app', 'v1').catch((e: unknown) => e);
    proxy.clearFaults();
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(503);
    expect((error as Error).message).toBe(
      `registry ${proxy.host}: GET manifest team/app:v1 failed: 503 UNAVAILABLE: service unavailable after 5 attempts`,
    );
    expect(statuses(since, /\/manifests\/v1$/)).toHaveLength(5);
    expect(waits).toHaveLength(4);
  });

  test('404 and 401 are answers, not accidents: never retried', async () => {
    const { client, waits } = watched(proxy.host);
    const since = proxy.requests.length;
    expect(await client.headManifest('team/app', 'missing')).toBeUndefined();
    expect(statuses(since, /\/manifests\/missing$/)).toEqual([404]);
    const wrong = watched(proxy.host, { credentials: { username: 'tester', password: 'nope' } });
    await expect(wrong.client.headManifest('team/app', 'v1')).rejects.toThrow(/refused the credentials/);
    expect(proxy.requests.slice(since).filter((r) => r.hasAuthorization && r.status === 401)).toHaveLength(1);
    expect([...waits, ...wrong.waits]).toEqual([]);
  });

  test('a reset connection and a manifest cut off mid-body are retried', async () => {
    const { client, logs } = watched(proxy.host);
    proxy.inject({ kind: 'reset', method: 'GET', path: /\/manifests\/v1$/ });
    proxy.inject({ kind: 'truncate', afterBytes: 20, method: 'GET', path: /\/manifests\/v1$/ });
    const since = proxy.requests.length;
    expect((await client.getManifest('team/app', 'v1')).digest).toBe(image.manifestDigest);
    expect(proxy.requests.slice(since).filter((r) => /\/manifests\/v1$/.test(r.path)).map((r) => r.fault ?? 'ok')).toEqual(['reset', 'truncate', 'ok']);
    const retries = logs.filter((m) => m.includes('retrying'));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/ECONNRESET|socket hang up/);
    expect(retries[1]).toMatch(/the answer broke off/);
  });

  test('a blob cut off mid-stream during a copy is fetched again; the copy completes with the right digest', async () => {
    const other = await startRegistry({ auth: 'none' });
    try {
      const { client: src } = watched(proxy.host);
      const dst = watched(other.host, { credentials: undefined });
      const layer = image.layers[0]!;
      proxy.inject({ kind: 'truncate', afterBytes: 95_000, method: 'GET', path: new RegExp(`/blobs/${layer.digest}$`) });
      const logs: string[] = [];
      const result = await copyImage(
        { client: src, repository: 'team/app', ref: 'v1' },
        { client: dst.client, repository: 'mirror/app', tags: ['v1'] },
        { log: (m) => logs.push(m) },
      );
      expect(result).toMatchObject({ digest: image.manifestDigest, copied: 3 });
      const retry = logs.find((m) => m.startsWith(`copying blob ${layer.digest} failed`));
      expect(retry).toContain(`downloading blob ${layer.digest} from ${proxy.host} broke off`);
      expect(retry).toContain('trying again (attempt 2 of 3)');
      expect((await dst.client.headManifest('mirror/app', 'v1'))?.digest).toBe(image.manifestDigest);
    } finally {
      await other.stop();
    }
  });
});

describe('redirects', () => {
  let storage: RecordingServer;
  beforeAll(async () => {
    // Stands in for S3 or a CDN: a presigned URL carries its own authorization, never the registry's.
    storage = await startRecordingServer({ forwardTo: registry.url, forwardHeaders: { authorization: BASIC } });
  });
  afterAll(async () => {
    await storage?.close();
  });

  test.each([
    ['another host', () => storage.url],
    ['the same address under another name', () => storage.localhostUrl],
  ])('a blob download redirected to %s gets no Authorization header', async (_name, target) => {
    const { client } = watched(proxy.host);
    const since = storage.requests.length;
    proxy.inject({ kind: 'redirect', to: target(), status: 307, method: 'GET', path: /\/blobs\/sha256:/ });
    const config = await client.getBlob('team/app', image.configDigest, 1 << 20);
    expect(`sha256:${createHash('sha256').update(config).digest('hex')}`).toBe(image.configDigest);
    const seen = storage.requests.slice(since);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: `/v2/team/app/blobs/${image.configDigest}`, hasAuthorization: false });
    // The registry itself did get the credentials, before the redirect.
    expect(proxy.requests.filter((r) => r.fault === 'redirect').at(-1)?.headers.authorization).toBe(BASIC);
  });

  test('a redirect loop ends after a bounded number of hops', async () => {
    const { client } = watched(proxy.host);
    proxy.inject({ kind: 'redirect', to: proxy.url, times: 20, method: 'GET', path: /\/blobs\/sha256:/ });
    await expect(client.getBlob('team/app', image.configDigest, 1 << 20)).rejects.toThrow(/more than 5 redirects/);
    proxy.clearFaults();
  });
});

describe('a registry that is not there', () => {
  test('connection refused: a clear error naming the host, after bounded retries', async () => {
    const dead = await refusingEndpoint();
    const { client, waits } = watched(dead.host);
    const started = Date.now();
    const error = await client.headManifest('team/app', 'v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(
      new RegExp(`^registry ${dead.host}: cannot reach ${dead.host} \\(GET /v2/\\): connect ECONNREFUSED ${dead.host}; gave up after 5 attempts in \\d+\\.\\ds$`),
    );
    expect(waits).toHaveLength(4);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500 + 1000 + 2000 + 4000);
    // Without the waits (recorded, not spent) nothing else took long either.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a registry that accepts connections and never answers: the response timeout ends each attempt', async () => {
    const silent = await silentEndpoint();
    try {
      const { client } = watched(silent.host, { responseTimeoutMs: 300, retry: { maxAttempts: 2 } });
      const error = await client.headManifest('team/app', 'v1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as Error).message).toBe(`registry ${silent.host}: cannot reach ${silent.host} (GET /v2/): no answer within 0.3s; gave up after 2 attempts in ${(error as Error).message.match(/in (\S+)$/)![1]}`);
      expect(silent.connections()).toBe(2);
    } finally {
      await silent.close();
    }
  });
});
