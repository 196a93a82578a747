import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { copyImage, retag } from '#core/registry/copy.js';
import { RegistryAuthError } from '#core/registry/registry-error.js';
import { RegistryClient, type RegistryClientOptions } from '#core/registry/registry-client.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { uploadMultiPlatformIndex } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';

/**
 * The challenge flow against the real registry: htpasswd (Basic) and token
 * auth (Bearer, with the harness's token server enforcing scopes).
 */

const USER = 'tester';
const PASSWORD = 'pa55word';
const GOOD = { username: USER, password: PASSWORD };
const WRONG_PASSWORD = 'wr0ng-Secret-value';
const BAD = { username: USER, password: WRONG_PASSWORD };

const clients: RegistryClient[] = [];
function client(host: string, extra: Partial<RegistryClientOptions> = {}): RegistryClient {
  const c = new RegistryClient({ registry: host, insecure: true, ...extra });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the operation to fail');
  return outcome;
}

afterAll(() => {
  for (const c of clients) c.close();
});

describe('htpasswd (Basic)', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    proxy = await startFaultProxy({ target: registry.url });
    digest = (await uploadMultiPlatformIndex(registry.url, 'team/app', 'v1', { credentials: GOOD })).indexDigest;
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  test('answers the Basic challenge: anonymous first, then the credentials on every request', async () => {
    const since = proxy.requests.length;
    const c = client(proxy.host, { credentials: GOOD });
    expect((await retag(c, 'team/app', 'v1', ['basic'])).digest).toBe(digest);
    const seen = proxy.requests.slice(since);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/', hasAuthorization: false, status: 401 });
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    expect(seen.slice(1).every((r) => r.headers.authorization === expected && r.status !== 401)).toBe(true);
  });

  test('a wrong password: one attempt, a message that says what to check, no secret in it', async () => {
    const since = proxy.requests.length;
    const error = await failure(client(proxy.host, { credentials: BAD, credentialsSource: "inputs 'username'/'password'" }).headManifest('team/app', 'v1'));
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `registry ${proxy.host} refused the credentials for repository team/app (401 Unauthorized) (credentials from inputs 'username'/'password'): check username/password`,
    );
    expect(error.message).not.toContain(WRONG_PASSWORD);
    expect(error.message).not.toContain(Buffer.from(`${USER}:${WRONG_PASSWORD}`).toString('base64'));
    expect(proxy.requests.slice(since).filter((r) => r.hasAuthorization)).toHaveLength(1);
  });

  test('no credentials: says they are needed', async () => {
    const error = await failure(client(registry.host).getManifest('team/app', 'v1'));
    expect(error.message).toBe(
      `registry ${registry.host} requires authentication to pull from repository team/app (401 UNAUTHORIZED: authentication required): provide a username and password for ${registry.host}`,
    );
  });
});

describe('token auth (Bearer)', () => {
  let registry: TestRegistry;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry({
      auth: 'token',
      users: { [USER]: PASSWORD, reader: 'read-only-pw' },
      access: [
        { user: 'reader', repository: '*', actions: ['pull'] },
        { user: '*', repository: '*', actions: ['pull', 'push', 'delete'] },
      ],
    });
    digest = (await uploadMultiPlatformIndex(registry.url, 'staging/app', '1.4.0', { credentials: GOOD })).indexDigest;
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const tokenRequests = () => registry.tokenServer!.requests;

  test('a retag asks the realm once, for pull,push on the repository, with Basic credentials', async () => {
    const since = tokenRequests().length;
    const logs: string[] = [];
    const c = client(registry.host, { credentials: GOOD, credentialsSource: 'explicit username/password', log: (m) => logs.push(m) });
    expect((await retag(c, 'staging/app', '1.4.0', ['a', 'b', 'c'])).digest).toBe(digest);
    expect(tokenRequests().slice(since)).toEqual([
      {
        method: 'GET',
        user: USER,
        account: null,
        service: registry.tokenServer!.service,
        scopes: ['repository:staging/app:pull,push'],
        granted: [{ type: 'repository', name: 'staging/app', actions: ['pull', 'push'] }],
        status: 200,
      },
    ]);
    expect(logs).toEqual([`${registry.host}: token authentication via ${registry.tokenServer!.realm}, requested with credentials from explicit username/password`]);
  });

  test('a cross-repository mount asks for both scopes in one token', async () => {
    const since = tokenRequests().length;
    const c = client(registry.host, { credentials: GOOD });
    const result = await copyImage({ client: c, repository: 'staging/app', ref: '1.4.0' }, { client: c, repository: 'prod/app', tags: ['1.4.0'] });
    expect(result).toMatchObject({ digest, mounted: 4, copied: 0 });
    const scopes = tokenRequests().slice(since).map((r) => r.scopes);
    expect(scopes).toContainEqual(['repository:prod/app:pull,push', 'repository:staging/app:pull']);
    // Parallel mounts share one token request instead of each asking.
    expect(scopes.filter((s) => s.length === 2)).toHaveLength(1);
  });

  test('tokens are cached until they are about to expire', async () => {
    let now = Date.now();
    const c = client(registry.host, { credentials: GOOD, now: () => now });
    const since = tokenRequests().length;
    for (let i = 0; i < 3; i++) expect((await c.headManifest('staging/app', '1.4.0'))?.digest).toBe(digest);
    expect(tokenRequests().length - since).toBe(1);
    now += 299_000; // the harness issues 300 s tokens; we renew a little early
    expect((await c.headManifest('staging/app', '1.4.0'))?.digest).toBe(digest);
    expect(tokenRequests().length - since).toBe(2);
  });

  test('a wrong password: exactly one token request, refused, not retried', async () => {
    const since = tokenRequests().length;
    const error = await failure(client(registry.host, { credentials: BAD }).getManifest('staging/app', '1.4.0'));
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toBe(
      `registry ${registry.host} refused the credentials for repository staging/app (401 UNAUTHORIZED: incorrect username or password): check username/password`,
    );
    expect(error.message).not.toContain(WRONG_PASSWORD);
    expect(tokenRequests().slice(since).map((r) => r.status)).toEqual([401]);
  });

  test('credentials without push permission: says the account may not push there', async () => {
    const c = client(registry.host, { credentials: { username: 'reader', password: 'read-only-pw' } });
    expect((await c.headManifest('staging/app', '1.4.0'))?.digest).toBe(digest);
    const error = await failure(retag(c, 'staging/app', '1.4.0', ['nope']));
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toMatch(
      new RegExp(`^registry ${registry.host.replace(/\./g, '\\.')} denied the credentials permission to push to repository staging/app \\(401 UNAUTHORIZED: .*insufficient_scope.*\\): check that the account may push to staging/app$`),
    );
    expect(await c.headManifest('staging/app', 'nope')).toBeUndefined();
  });

  test('no credentials where the token server wants them', async () => {
    const error = await failure(client(registry.host).headManifest('staging/app', '1.4.0'));
    expect(error.message).toBe(
      `registry ${registry.host} requires authentication to pull from repository staging/app (401 UNAUTHORIZED: authentication required): provide a username and password for ${registry.host}`,
    );
  });
});

describe('token auth with anonymous pulls', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', anonymous: 'pull' });
    await uploadMultiPlatformIndex(registry.url, 'public/app', 'v1', { credentials: GOOD });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  test('pulls work with an anonymous token; a push is refused with a clear message', async () => {
    const c = client(registry.host);
    expect(await c.headManifest('public/app', 'v1')).toBeDefined();
    expect(registry.tokenServer!.requests.at(-1)).toMatchObject({ user: null, scopes: ['repository:public/app:pull'], status: 200 });
    const error = await failure(retag(c, 'public/app', 'v1', ['v2']));
    expect(error.message).toMatch(/requires authentication to push to repository public\/app \(401 UNAUTHORIZED: .*\): provide a username and password/);
  });
});
