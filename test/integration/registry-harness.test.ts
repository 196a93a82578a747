import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  refusingEndpoint,
  silentEndpoint,
  startFaultProxy,
  startRecordingServer,
  type FaultProxy,
  type RecordingServer,
} from '../harness/fault-proxy.js';
import {
  createBuildahStore,
  makeLayeredImage,
  MEDIA_TYPES,
  runCommand,
  uploadMultiPlatformIndex,
  writeAuthFile,
  type BuildahStore,
  type RegistryCredentials,
} from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';

// Proves the real-registry test infrastructure works against the real distribution server,
// buildah and skopeo, so tests of the registry client and build-and-push can lean on it.

const TESTER: RegistryCredentials = { username: 'tester', password: 'pa55word' };
const READER: RegistryCredentials = { username: 'reader', password: 'r3ader-pw' };
const WRONG: RegistryCredentials = { username: 'tester', password: 'not-the-password' };
const USERS = { [TESTER.username]: TESTER.password, [READER.username]: READER.password };

let anonymous: TestRegistry;
let htpasswd: TestRegistry;
let token: TestRegistry;
let store: BuildahStore;
let scratchImage: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  store = createBuildahStore();
  cleanups.push(() => store.cleanup());
  const started = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd', users: USERS }),
    startRegistry({
      auth: 'token',
      users: USERS,
      access: [
        { user: 'reader', repository: '*', actions: ['pull'] },
        { user: '*', repository: 'team/*', actions: ['pull', 'push', 'delete'] },
      ],
    }),
  ]);
  [anonymous, htpasswd, token] = started;
  for (const registry of started) cleanups.push(() => registry.stop());
  scratchImage = (
    await store.buildScratchImage({ files: { 'hello.txt': 'hello\n' }, labels: { 'org.opencontainers.image.title': 'harness test' } })
  ).image;
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function authHeader(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** skopeo with an auth file (never --creds), against plain-HTTP loopback registries. */
async function skopeo(args: string[], host: string, creds?: RegistryCredentials): Promise<string> {
  const authFile = writeAuthFile(join(store.dir, 'skopeo-auth'), creds ? { [host]: creds } : {});
  return (await runCommand(['skopeo', ...args, '--authfile', authFile])).stdout;
}

describe('registry server: three auth configurations', () => {
  test('anonymous: /v2/ answers 200 and a buildah push needs no credentials', async () => {
    const ping = await fetch(`${anonymous.url}/v2/`);
    expect(ping.status).toBe(200);
    const { digest } = await store.pushImage(scratchImage, `${anonymous.host}/team/app:1`);
    const manifest = await fetch(`${anonymous.url}/v2/team/app/manifests/1`, {
      headers: { accept: MEDIA_TYPES.oci.manifest },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);
    expect(sha256(Buffer.from(await manifest.arrayBuffer()))).toBe(digest);
  });

  test('htpasswd: Basic challenge; push works with the password and is refused without it', async () => {
    const ping = await fetch(`${htpasswd.url}/v2/`);
    expect(ping.status).toBe(401);
    expect(ping.headers.get('www-authenticate')).toBe('Basic realm="gitops-actions-test"');
    expect((await fetch(`${htpasswd.url}/v2/`, { headers: { authorization: authHeader(TESTER) } })).status).toBe(200);

    await expect(store.pushImage(scratchImage, `${htpasswd.host}/team/app:1`, { creds: WRONG })).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
    await expect(store.pushImage(scratchImage, `${htpasswd.host}/team/app:1`)).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
    const { digest } = await store.pushImage(scratchImage, `${htpasswd.host}/team/app:1`, { creds: TESTER });
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${htpasswd.host}/team/app:1`], htpasswd.host, TESTER);
    expect(sha256(raw)).toBe(digest);
    // The wrong password reached the registry and was refused there, by bcrypt.
    expect(htpasswd.logs()).toMatch(/authentication failure/);
    // pushImage's auth files are gone once it returns: no credentials left on disk.
    expect(readdirSync(join(store.dir, 'auth'))).toEqual([]);
  });

  test('token: Bearer challenge names the realm and service; tokens are verified by the registry', async () => {
    const server = token.tokenServer!;
    const ping = await fetch(`${token.url}/v2/`);
    expect(ping.status).toBe(401);
    expect(ping.headers.get('www-authenticate')).toBe(`Bearer realm="${server.realm}",service="${server.service}"`);

    const { digest } = await store.pushImage(scratchImage, `${token.host}/team/app:1`, { creds: TESTER });
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${token.host}/team/app:1`], token.host, TESTER);
    expect(sha256(raw)).toBe(digest);

    const pushRequests = server.requests.filter((r) => r.user === 'tester' && r.status === 200);
    expect(pushRequests[0]).toMatchObject({
      method: 'GET',
      service: server.service,
      scopes: ['repository:team/app:pull,push'],
      granted: [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }],
    });
  });

  test('token: wrong password → 401 from the token server, and the push fails', async () => {
    const server = token.tokenServer!;
    const before = server.requests.length;
    await expect(store.pushImage(scratchImage, `${token.host}/team/app:2`, { creds: WRONG })).rejects.toThrow(
      /unauthorized|authentication required|401/i,
    );
    const refused = server.requests.slice(before);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.status === 401 && r.granted.length === 0)).toBe(true);

    const direct = await fetch(`${server.realm}?service=${server.service}&scope=repository:team/app:pull`, {
      headers: { authorization: authHeader(WRONG) },
    });
    expect(direct.status).toBe(401);
    expect(direct.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    // Anonymous token requests are denied by default.
    expect((await fetch(`${server.realm}?service=${server.service}&scope=repository:team/app:pull`)).status).toBe(401);
  });

  test('token: the access map limits a pull-only user, and the registry enforces it', async () => {
    const server = token.tokenServer!;
    const before = server.requests.length;
    await expect(store.pushImage(scratchImage, `${token.host}/team/app:3`, { creds: READER })).rejects.toThrow();
    const asked = server.requests.slice(before).filter((r) => r.user === 'reader');
    expect(asked[0]?.scopes).toEqual(['repository:team/app:pull,push']);
    expect(asked[0]?.granted).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
    // Pulling is what the reader may do.
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${token.host}/team/app:1`], token.host, READER);
    expect(JSON.parse(raw)).toHaveProperty('schemaVersion', 2);
    // Outside team/*, tester is granted nothing.
    const outside = await fetch(`${server.realm}?service=${server.service}&scope=repository:other/app:pull,push`, {
      headers: { authorization: authHeader(TESTER) },
    });
    expect(outside.status).toBe(200);
    expect(server.requests.at(-1)?.granted).toEqual([]);
  });

  test('token: anonymous pull-only mode issues pull tokens to anonymous clients', async () => {
    const registry = await startRegistry({ auth: 'token', anonymous: 'pull' });
    try {
      const index = await uploadMultiPlatformIndex(registry.url, 'public/app', 'v1', { credentials: TESTER });
      const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/public/app:v1`], registry.host);
      expect(sha256(raw)).toBe(index.indexDigest);
      const anonymousRequest = registry.tokenServer!.requests.find((r) => r.user === null);
      expect(anonymousRequest?.granted).toEqual([{ type: 'repository', name: 'public/app', actions: ['pull'] }]);
      await expect(uploadMultiPlatformIndex(registry.url, 'public/app', 'v2')).rejects.toThrow(/401/);
    } finally {
      await registry.stop();
    }
  });
});

describe('images', () => {
  test('a multi-platform OCI index reads back byte for byte, with its digest unchanged', async () => {
    const index = await uploadMultiPlatformIndex(token.url, 'team/multi', 'v1', { credentials: TESTER });
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${token.host}/team/multi:v1`], token.host, TESTER);
    expect(Buffer.from(raw)).toEqual(index.indexBytes);
    expect(sha256(raw)).toBe(index.indexDigest);
    const parsed = JSON.parse(raw) as { mediaType: string; manifests: { digest: string; platform: { architecture: string } }[] };
    expect(parsed.mediaType).toBe(MEDIA_TYPES.oci.index);
    expect(parsed.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual([
      ['amd64', index.manifestDigests['linux/amd64']],
      ['arm64', index.manifestDigests['linux/arm64']],
    ]);
    const arm = await skopeo(
      ['inspect', '--tls-verify=false', `docker://${token.host}/team/multi@${index.manifestDigests['linux/arm64']}`],
      token.host,
      TESTER,
    );
    expect(JSON.parse(arm)).toMatchObject({ Architecture: 'arm64', Os: 'linux' });
  });

  test('a Docker manifest list over plain HTTP keeps its digest too', async () => {
    const index = await uploadMultiPlatformIndex(anonymous.url, 'team/multi-docker', 'v1', { format: 'docker' });
    const response = await fetch(`${anonymous.url}/v2/team/multi-docker/manifests/v1`, {
      headers: { accept: MEDIA_TYPES.docker.index },
    });
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.docker.index);
    expect(response.headers.get('docker-content-digest')).toBe(index.indexDigest);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(index.indexDigest);
  });

  test('a scratch image in Docker format pushes with Docker media types', async () => {
    const built = await store.buildScratchImage({ files: { 'etc/app.conf': 'x=1\n' }, format: 'docker' });
    const { digest } = await store.pushImage(built.image, `${anonymous.host}/team/docker-format:1`);
    const response = await fetch(`${anonymous.url}/v2/team/docker-format/manifests/${digest}`, {
      headers: { accept: MEDIA_TYPES.docker.manifest },
    });
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.docker.manifest);
    const manifest = (await response.json()) as { config: { mediaType: string } };
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.docker.config);
  });

  test('a busybox base runs RUN steps under chroot isolation, and the store env reaches other buildah runs', async () => {
    const base = await store.makeBusyboxBase();
    const built = await store.buildImage({
      containerfile: `FROM ${base}\nRUN echo "built by $(id -u)" > /built.txt && cat /built.txt\n`,
      labels: { 'org.opencontainers.image.version': '1.2.3' },
    });
    const { digest } = await store.pushImage(built.image, `${anonymous.host}/team/busybox-app:1`);
    const config = JSON.parse(await skopeo(['inspect', '--config', '--tls-verify=false', `docker://${anonymous.host}/team/busybox-app@${digest}`], anonymous.host)) as {
      config: { Labels: Record<string, string> };
      rootfs: { diff_ids: string[] };
    };
    expect(config.config.Labels['org.opencontainers.image.version']).toBe('1.2.3');
    expect(config.rootfs.diff_ids).toHaveLength(2);
    // Code under test runs buildah without --root; store.env points it at the same storage.
    const images = await runCommand(['buildah', 'images', '--format', '{{.Name}}'], { env: store.env });
    expect(images.stdout).toContain('localhost/gha-busybox-base');
  });

  test('a layered image of random layers is streamed up and copies with verified digests', async () => {
    const image = await makeLayeredImage(htpasswd.url, 'team/layered', 'v1', {
      layers: 3,
      layerBytes: 1024 * 1024 + 7,
      credentials: TESTER,
    });
    expect(image.layers).toHaveLength(3);
    expect(new Set(image.layers.map((l) => l.digest)).size).toBe(3);
    expect(image.totalBytes).toBeGreaterThan(3 * 1024 * 1024);
    // skopeo checks every blob against its digest (and the config's diff_ids) as it copies.
    const target = join(store.dir, 'layered-copy');
    await skopeo(['copy', '--src-tls-verify=false', `docker://${htpasswd.host}/team/layered:v1`, `dir:${target}`], htpasswd.host, TESTER);
    for (const layer of image.layers) {
      expect(statSync(join(target, layer.digest.replace('sha256:', ''))).size).toBe(layer.size);
    }
  });
});

describe('fault proxy', () => {
  let proxy: FaultProxy;
  let recorder: RecordingServer;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: htpasswd.url });
    // The redirect target: blob storage that serves with its own credential, never the client's.
    recorder = await startRecordingServer({ forwardTo: htpasswd.url, forwardHeaders: { authorization: authHeader(TESTER) } });
    cleanups.push(() => proxy.close(), () => recorder.close());
  });

  test('passes a real push and pull through, keeping WWW-Authenticate and rewriting Location', async () => {
    const challenge = await fetch(`${proxy.url}/v2/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe('Basic realm="gitops-actions-test"');

    const upload = await fetch(`${proxy.url}/v2/team/proxied/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: authHeader(TESTER) },
    });
    expect(upload.status).toBe(202);
    expect(upload.headers.get('location')).toMatch(new RegExp(`^${proxy.url}/v2/team/proxied/blobs/uploads/`));

    const { digest } = await store.pushImage(scratchImage, `${proxy.host}/team/proxied:1`, { creds: TESTER });
    expect(proxy.requests.some((r) => r.method === 'PUT' && r.path === '/v2/team/proxied/manifests/1' && r.status === 201)).toBe(true);
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${htpasswd.host}/team/proxied:1`], htpasswd.host, TESTER);
    expect(sha256(raw)).toBe(digest);
  });

  test('injects 429 with Retry-After, then 503 twice, then lets requests through', async () => {
    const limited = proxy.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, method: 'GET', path: /^\/v2\/$/ });
    const unavailable = proxy.inject({ kind: 'status', status: 503, path: /^\/v2\/$/, times: 2 });
    const auth = { headers: { authorization: authHeader(TESTER) } };
    const first = await fetch(`${proxy.url}/v2/`, auth);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${proxy.url}/v2/`, auth)).status).toBe(503);
    expect((await fetch(`${proxy.url}/v2/`, auth)).status).toBe(503);
    expect((await fetch(`${proxy.url}/v2/`, auth)).status).toBe(200);
    expect([limited.hits, limited.remaining, unavailable.hits, unavailable.remaining]).toEqual([1, 0, 2, 0]);
    expect(proxy.requests.slice(-4).map((r) => [r.fault, r.status])).toEqual([
      ['status', 429],
      ['status', 503],
      ['status', 503],
      [undefined, 200],
    ]);
  });

  test('redirects blob downloads to another host, which sees no registry credentials', async () => {
    proxy.inject({ kind: 'redirect', to: recorder.url, method: 'GET', path: /\/blobs\/sha256:/, times: 100 });
    const target = join(store.dir, 'redirected-copy');
    await skopeo(['copy', '--src-tls-verify=false', `docker://${proxy.host}/team/proxied:1`, `dir:${target}`], proxy.host, TESTER);
    proxy.clearFaults();
    const blobGets = recorder.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
    expect(blobGets.length).toBeGreaterThanOrEqual(2); // config + layer
    expect(blobGets.every((r) => !r.hasAuthorization)).toBe(true);
    expect(proxy.requests.filter((r) => r.fault === 'redirect').every((r) => r.hasAuthorization && r.status === 307)).toBe(true);
  });

  test('hangs, closes, resets and truncates on request; close() ends hung connections', async () => {
    const separate = await startFaultProxy({ target: anonymous.url });
    try {
      separate.inject({ kind: 'hang', path: /^\/v2\/$/ });
      await expect(fetch(`${separate.url}/v2/`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|aborted/i);

      separate.inject({ kind: 'close', path: /^\/v2\/$/ });
      await expect(fetch(`${separate.url}/v2/`)).rejects.toThrow(/fetch failed/);

      separate.inject({ kind: 'reset', path: /^\/v2\/$/ });
      const reset = await fetch(`${separate.url}/v2/`).catch((error: Error) => error);
      expect(reset).toBeInstanceOf(Error);
      expect(String((reset as Error & { cause?: unknown }).cause)).toMatch(/ECONNRESET|other side closed|socket/i);

      const index = await uploadMultiPlatformIndex(anonymous.url, 'team/truncated', 'v1');
      const manifestPath = `/v2/team/truncated/manifests/${index.indexDigest}`;
      separate.inject({ kind: 'truncate', afterBytes: 20, path: new RegExp(`^${manifestPath}$`) });
      const truncated = await fetch(`${separate.url}${manifestPath}`, { headers: { accept: MEDIA_TYPES.oci.index } });
      expect(truncated.status).toBe(200);
      await expect(truncated.arrayBuffer()).rejects.toThrow();
      const whole = await fetch(`${separate.url}${manifestPath}`, { headers: { accept: MEDIA_TYPES.oci.index } });
      expect(Buffer.from(await whole.arrayBuffer())).toEqual(index.indexBytes);

      // A hung request is still open here; close() must not wait for it.
      separate.inject({ kind: 'hang' });
      const pending = fetch(`${separate.url}/v2/`).catch((error: unknown) => error);
      await expect.poll(() => separate.requests.at(-1)?.fault, { timeout: 5000 }).toBe('hang');
      await separate.close();
      expect(await pending).toBeInstanceOf(Error);
    } finally {
      await separate.close();
    }
  });

  test('"registry down": a refusing port and a silent one', async () => {
    const refusing = await refusingEndpoint();
    const refused = await fetch(`${refusing.url}/v2/`).catch((error: Error & { cause?: { code?: string } }) => error);
    expect((refused as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');

    const silent = await silentEndpoint();
    try {
      await expect(fetch(`${silent.url}/v2/`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|aborted/i);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });
});

test('stop() ends the registry process and removes its storage', async () => {
  const registry = await startRegistry({ auth: 'htpasswd' });
  await uploadMultiPlatformIndex(registry.url, 'x/y', 'v1', { credentials: TESTER });
  expect(readdirSync(registry.storageDir)).toContain('docker');
  await registry.stop();
  await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow(/fetch failed/);
  expect(() => statSync(registry.storageDir)).toThrow(/ENOENT/);
});
