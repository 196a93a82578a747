import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

/**
 * The real CNCF distribution registry (Debian's `docker-registry`, 2.8) on a loopback port,
 * in one of the three configurations the registry client meets in the wild: anonymous,
 * htpasswd Basic auth, and Docker token auth with a test token server next to it.
 */

export type RegistryAuthMode = 'none' | 'htpasswd' | 'token';

/** What a token grants on one resource, exactly as it appears in the JWT `access` claim. */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/**
 * One line of the token server's access policy. The first rule that matches the user and the
 * resource decides; a request for a resource no rule matches is granted nothing (the token is
 * still issued, as Docker Hub does, and the registry then answers 401/403).
 */
export interface AccessRule {
  /** A user name, or '*' for any authenticated user. */
  user: string;
  /** Repository name: exact, a glob where `*` matches anything (including '/'), or a RegExp. */
  repository: string | RegExp;
  actions: ('pull' | 'push' | 'delete' | '*')[];
  /** Resource type; 'repository' unless given ('registry' for `registry:catalog:*`). */
  type?: string;
}

export interface RegistryOptions {
  auth?: RegistryAuthMode;
  /** user → password; default `{ tester: 'pa55word' }`. Used by htpasswd and token modes. */
  users?: Record<string, string>;
  /** Token mode: who may do what. Default: every user may pull, push and delete everything. */
  access?: AccessRule[];
  /** Token mode: requests without credentials get pull-only tokens ('pull') or a 401 ('deny', default). */
  anonymous?: 'deny' | 'pull';
  /** Token mode: lifetime of issued tokens; default 300 s. Short values let tests exercise re-auth. */
  tokenTtlSeconds?: number;
}

/** One request the token server saw, for assertions about what a client asked for. */
export interface TokenRequestRecord {
  method: string;
  /** The Basic-auth user name, or null for an anonymous request. */
  user: string | null;
  /** The `account` query parameter, which Docker clients send alongside Basic auth. */
  account: string | null;
  service: string | null;
  /** Every scope the client asked for, as sent (`repository:app:pull,push`). */
  scopes: string[];
  /** What the issued token grants; empty when the request was refused. */
  granted: TokenAccess[];
  /** 200 when a token was issued, 401 for bad or missing credentials, 400 for a wrong service. */
  status: number;
}

export interface TokenServer {
  /** Base URL of the token server. */
  url: string;
  /** The realm the registry advertises in its Bearer challenge (`${url}/token`). */
  realm: string;
  service: string;
  issuer: string;
  requests: TokenRequestRecord[];
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  auth: RegistryAuthMode;
  /** The filesystem storage root (`docker/registry/v2/...` below it). */
  storageDir: string;
  users: Record<string, string>;
  tokenServer?: TokenServer;
  /** The registry's own stdout/stderr so far (log level warn), for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const DEFAULT_USERS: Record<string, string> = { tester: 'pa55word' };
const REALM = 'gitops-actions-test';
const SERVICE = 'gitops-actions-test-registry';
const ISSUER = 'gitops-actions-test-token-server';
const START_DEADLINE_MS = 20_000;
const PORT_ATTEMPTS = 5;
const MAX_LOG_CHARS = 256 * 1024;

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const users = { ...(options.users ?? DEFAULT_USERS) };
  const dir = mkdtempSync(join(tmpdir(), 'gha-registry-'));
  const storageDir = join(dir, 'storage');
  mkdirSync(storageDir);
  let token: RunningTokenServer | undefined;
  try {
    let authConfig: Record<string, unknown> | undefined;
    if (auth === 'htpasswd') {
      authConfig = { htpasswd: { realm: REALM, path: writeHtpasswd(dir, users) } };
    } else if (auth === 'token') {
      token = await startTokenServer(dir, users, options);
      authConfig = {
        token: { realm: token.info.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: token.certPath },
      };
    }

    // distribution cannot listen on port 0 and report the port, so pick a free one and
    // retry on the (rare) race where something else takes it before the registry binds.
    let lastFailure = '';
    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      const port = await freeLoopbackPort();
      const configPath = join(dir, 'config.yml');
      writeFileSync(configPath, registryConfig(port, storageDir, authConfig));
      const child = spawnRegistry(configPath);
      const url = `http://127.0.0.1:${port}`;
      const ready = await waitUntilServing(url, child);
      if (ready === 'ready') {
        const runningToken = token;
        const stop = once(async () => {
          await stopChild(child.process);
          await runningToken?.close();
          rmSync(dir, { recursive: true, force: true });
        });
        return {
          host: `127.0.0.1:${port}`,
          url,
          auth,
          storageDir,
          users,
          ...(runningToken ? { tokenServer: runningToken.info } : {}),
          logs: child.logs,
          stop,
        };
      }
      await stopChild(child.process);
      lastFailure = child.logs();
      if (!/address already in use/i.test(lastFailure)) break;
    }
    throw new Error(`docker-registry did not start:\n${lastFailure}`);
  } catch (error) {
    await token?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A port that was free a moment ago on 127.0.0.1 (bound to port 0, then released). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** JSON is YAML, so the config needs no YAML writer and no quoting rules. */
function registryConfig(port: number, storageDir: string, auth: Record<string, unknown> | undefined): string {
  return JSON.stringify(
    {
      version: '0.1',
      log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        // No background purge walking the storage while tests inspect or tamper with it.
        maintenance: { uploadpurging: { enabled: false } },
      },
      // A fixed secret silences the "generated random secret" warning; it signs upload state.
      http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
      ...(auth ? { auth } : {}),
    },
    null,
    2,
  );
}

interface RunningChild {
  process: ChildProcess;
  /** Set when the process could not be started at all (no 'exit' follows then). */
  spawnError(): Error | undefined;
  logs(): string;
}

function spawnRegistry(configPath: string): RunningChild {
  // A clean environment: distribution reads REGISTRY_* variables as config overrides.
  const child = spawn('/usr/bin/docker-registry', ['serve', configPath], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let spawnError: Error | undefined;
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (error) => {
    spawnError = error;
    collect(Buffer.from(`spawn failed: ${error.message}\n`));
  });
  // If the test process dies without running stop(), do not leave a registry behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return { process: child, spawnError: () => spawnError, logs: () => output };
}

/** Polls `GET /v2/` until it answers 200 or 401, the registry exits, or the deadline passes. */
async function waitUntilServing(url: string, child: RunningChild): Promise<'ready' | 'failed'> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let exited = child.process.exitCode !== null || child.process.signalCode !== null;
  child.process.once('exit', () => (exited = true));
  while (Date.now() < deadline && !exited && !child.spawnError()) {
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return 'ready';
    } catch {
      // Not listening yet.
    }
    await pause(25);
  }
  return 'failed';
}

/** SIGTERM (distribution 2.8 has no drain timeout by default, so it exits at once), then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * distribution checks passwords with Go's bcrypt, and its docs ask for `$2y$`/`$2a$` hashes;
 * bcryptjs writes `$2b$`, which is the same algorithm with a different tag, so relabel it.
 * Cost 5 keeps the registry's per-request check cheap (Go's minimum is 4).
 */
function writeHtpasswd(dir: string, users: Record<string, string>): string {
  const lines = Object.entries(users).map(([user, password]) => {
    if (user.includes(':')) throw new Error(`htpasswd user names cannot contain ':' (got '${user}')`);
    return `${user}:${bcrypt.hashSync(password, 5).replace(/^\$2b\$/, '$2y$')}`;
  });
  const path = join(dir, 'htpasswd');
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return path;
}

// ---------------------------------------------------------------------------------------------
// Token server: the Docker registry token protocol
// (https://distribution.github.io/distribution/spec/auth/token/), as the registry verifies it.

interface RunningTokenServer {
  info: TokenServer;
  certPath: string;
  close(): Promise<void>;
}

async function startTokenServer(
  dir: string,
  users: Record<string, string>,
  options: RegistryOptions,
): Promise<RunningTokenServer> {
  const { privateKey, certificateDer, certPath } = makeSigningCertificate(dir);
  const rules: AccessRule[] = options.access ?? [{ user: '*', repository: '*', actions: ['pull', 'push', 'delete'] }];
  const anonymous = options.anonymous ?? 'deny';
  const ttl = options.tokenTtlSeconds ?? 300;
  const requests: TokenRequestRecord[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: TokenRequestRecord = {
      method: req.method ?? '',
      user: null,
      account: url.searchParams.get('account'),
      service: url.searchParams.get('service'),
      // Clients send one `scope` per resource; OAuth-style clients join them with spaces.
      scopes: url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== ''),
      granted: [],
      status: 0,
    };
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      requests.push(record);
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (url.pathname !== '/token' || req.method !== 'GET') {
      reply(404, { errors: [{ code: 'NOT_FOUND', message: 'only GET /token is served' }] });
      return;
    }
    const challenge = { 'WWW-Authenticate': `Basic realm="${REALM}"` };
    const credentials = basicCredentials(req.headers.authorization);
    if (credentials) record.user = credentials.user;
    if (credentials === null && req.headers.authorization !== undefined) {
      reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'malformed Authorization header' }] }, challenge);
      return;
    }
    if (credentials && users[credentials.user] !== credentials.password) {
      reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] }, challenge);
      return;
    }
    if (!credentials && anonymous === 'deny') {
      reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, challenge);
      return;
    }
    if (record.service !== SERVICE) {
      reply(400, { errors: [{ code: 'DENIED', message: `unknown service '${record.service ?? ''}'` }] });
      return;
    }
    record.granted = record.scopes
      .map(parseScope)
      .filter((scope): scope is TokenAccess => scope !== null)
      .map((scope) => ({ ...scope, actions: grantedActions(scope, credentials?.user ?? null, rules) }))
      .filter((scope) => scope.actions.length > 0);
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt(
      { typ: 'JWT', alg: 'ES256', x5c: [certificateDer.toString('base64')] },
      {
        iss: ISSUER,
        sub: credentials?.user ?? '',
        aud: SERVICE,
        exp: now + ttl,
        nbf: now - 1,
        iat: now,
        jti: randomUUID(),
        access: record.granted,
      },
      privateKey,
    );
    reply(200, { token: jwt, access_token: jwt, expires_in: ttl, issued_at: new Date(now * 1000).toISOString() });
  };

  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    info: { url, realm: `${url}/token`, service: SERVICE, issuer: ISSUER, requests },
    certPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An ES256 key and a self-signed certificate for it. Node cannot create X.509 certificates,
 * so the openssl CLI does (argv only); the certificate is both the registry's rootcertbundle
 * and the `x5c` chain in every token header, which is what distribution verifies.
 */
function makeSigningCertificate(dir: string): { privateKey: KeyObject; certificateDer: Buffer; certPath: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyPath = join(dir, 'token-signing-key.pem');
  const certPath = join(dir, 'token-signing-cert.pem');
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-new', '-key', keyPath, '-out', certPath, '-days', '2', '-sha256', '-subj', `/CN=${ISSUER}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  rmSync(keyPath, { force: true });
  if (result.error) throw new Error(`openssl could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl req -x509 failed (${result.status}): ${result.stderr}`);
  const certificateDer = new X509Certificate(readFileSync(certPath)).raw;
  return { privateKey, certificateDer, certPath };
}

function signJwt(header: object, claims: object, key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  // JWS wants ECDSA signatures as raw r||s, not DER.
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** `repository:team/app:pull,push` → {type, name, actions}; the name itself has no ':'. */
function parseScope(scope: string): TokenAccess | null {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return null;
  const actions = scope.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

function grantedActions(scope: TokenAccess, user: string | null, rules: AccessRule[]): string[] {
  if (user === null) return scope.type === 'repository' ? scope.actions.filter((a) => a === 'pull') : [];
  const rule = rules.find(
    (r) => (r.user === '*' || r.user === user) && (r.type ?? 'repository') === scope.type && nameMatches(r.repository, scope.name),
  );
  if (!rule) return [];
  const allowed = rule.actions as string[];
  return allowed.includes('*') ? scope.actions : scope.actions.filter((a) => allowed.includes(a));
}

function nameMatches(pattern: string | RegExp, name: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(name);
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const match = /^basic\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

/** The interval between readiness polls; the wait itself is bounded by a deadline. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
