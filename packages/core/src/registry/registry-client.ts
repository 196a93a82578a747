import type { Readable } from 'node:stream';
import { InputError } from '../errors/errors.js';
import { RegistryAuthenticator, repositoryScope, type AuthPurpose } from './auth.js';
import type { RegistryCredentials } from './credentials.js';
import { computeDigest, digestAlgorithm, DigestMismatchError, DigestVerifier } from './digest.js';
import { HttpTransport, type HttpRequest, type HttpResponse, type TransportOptions } from './http.js';
import {
  baseMediaType,
  DEFAULT_PLATFORM,
  formatPlatform,
  MANIFEST_ACCEPT,
  MAX_MANIFEST_BYTES,
  parseManifest,
  selectPlatform,
  type ParsedManifest,
  type Platform,
} from './manifest.js';
import { assertRepository, isDigest, isImageTag, normaliseRegistry, registryApiHost } from './reference.js';
import { describeStatus, parseDistributionErrors, PlatformNotFoundError, RegistryError, safeServerText } from './registry-error.js';
import { parseWwwAuthenticate, pickChallenge, type Challenge } from './www-authenticate.js';

export interface RegistryClientOptions extends TransportOptions {
  /** The registry as in a reference: `ghcr.io`, `docker.io`, `localhost:5000`. */
  registry: string;
  credentials?: RegistryCredentials;
  /** Named when credentials are refused: "input 'password'", a config file… */
  credentialsSource?: string;
  /** Told each bearer token obtained, so the runner can mask it. */
  onSecret?: (value: string) => void;
  /**
   * Blobs larger than this are uploaded in PATCH chunks of this size (each
   * held in memory once); smaller ones in one streamed PUT. Default 0: always
   * one PUT, which every registry we target accepts.
   */
  chunkSize?: number;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export interface Manifest {
  /** Computed from `bytes`. */
  digest: string;
  mediaType: string;
  /** Exactly as served: pushing these bytes elsewhere keeps the digest. */
  bytes: Buffer;
}

export interface BlobStream {
  /** Content-Length when the registry sent one. */
  size: number | undefined;
  /** Errors at the end instead of finishing when the bytes do not match the digest. */
  stream: Readable;
}

export interface ImageConfig {
  /** The digest of what `ref` names: an index for a multi-platform image. */
  digest: string;
  /** The digest of the platform's image manifest (equal to `digest` for a single-platform image). */
  manifestDigest: string;
  /** The platform read, as the index lists it; undefined for a single-platform image that does not say. */
  platform?: Platform;
  /** The image config JSON (`config.Labels`, `architecture`, `os`, …). */
  config: Record<string, unknown>;
  labels: Record<string, string>;
}

const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const OCTET_STREAM = 'application/octet-stream';

interface SendOptions {
  method: HttpRequest['method'];
  /** Absolute URL or a path on the registry. */
  url: URL | string;
  purpose: AuthPurpose;
  /** Scopes beyond the purpose's own (a mount also reads the source repository). */
  extraScopes?: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  retry?: boolean;
  bufferBody?: number;
}

/**
 * A client for one registry (the OCI distribution API). It pings `/v2/` once
 * to learn whether and how the registry authenticates, then sends each
 * request with the authorization it needs, following the challenge flow in
 * auth.ts.
 */
export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: URL;
  private readonly transport: HttpTransport;
  private readonly auth: RegistryAuthenticator;
  private pinged: Promise<void> | undefined;
  /** Repositories we push to: their pulls reuse the push token instead of fetching a second one. */
  private readonly pushRepositories = new Set<string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = normaliseRegistry(options.registry);
    this.baseUrl = new URL(`${options.insecure ? 'http' : 'https'}://${registryApiHost(this.registry)}`);
    this.transport = new HttpTransport(options);
    this.auth = new RegistryAuthenticator({
      registry: this.registry,
      transport: this.transport,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.credentialsSource ? { credentialsSource: options.credentialsSource } : {}),
      ...(options.onSecret ? { onSecret: options.onSecret } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Token endpoint URLs requested so far (scopes visible in their query), for logs and tests. */
  get tokenRequests(): readonly URL[] {
    return this.auth.tokenRequests;
  }

  /**
   * Declares that this client will push to `repository`, so reads there ask
   * for a pull,push token at once instead of a pull token now and another later.
   */
  willPushTo(repository: string): void {
    this.pushRepositories.add(repository);
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }

  /** The manifest's digest, media type and size, or undefined when the registry has no such tag or digest. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    checkRepository(repository);
    checkReference(reference);
    const response = await this.send({
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${reference}`,
      purpose: this.readPurpose(repository),
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
    });
    response.discard();
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await this.unexpected(response, `HEAD manifest ${repository}:${reference}`);
    const header = response.header('docker-content-digest');
    const mediaType = baseMediaType(response.header('content-type'));
    const size = Number(response.header('content-length'));
    if (isDigest(reference)) {
      if (header && digestAlgorithm(header) === digestAlgorithm(reference) && header !== reference) {
        throw new RegistryError(this.registry, `HEAD ${repository}@${reference} claims digest ${header}`);
      }
      return { digest: reference, mediaType, size };
    }
    if (header && isDigest(header) && mediaType && Number.isSafeInteger(size)) return { digest: header, mediaType, size };
    // Some registries omit the digest on HEAD: the bytes tell it.
    const manifest = await this.getManifest(repository, reference);
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
  }

  /**
   * The manifest bytes as served and their digest, computed here. When
   * `reference` is a digest, other bytes are an error, as is a registry that
   * claims a different digest for what it sent.
   */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    checkRepository(repository);
    checkReference(reference);
    const response = await this.send({
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      purpose: this.readPurpose(repository),
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      bufferBody: MAX_MANIFEST_BYTES,
    });
    if (response.status === 404) {
      const text = await response.errorText();
      throw new RegistryError(this.registry, `manifest ${repository}:${reference} not found (${this.describe(404, text)})`, 404, ['MANIFEST_UNKNOWN']);
    }
    if (response.status !== 200) throw await this.unexpected(response, `GET manifest ${repository}:${reference}`);
    const bytes = await response.bytes(MAX_MANIFEST_BYTES);
    const algorithm = isDigest(reference) ? digestAlgorithm(reference) : 'sha256';
    const digest = computeDigest(bytes, algorithm);
    if (isDigest(reference) && digest !== reference) {
      throw new RegistryError(this.registry, `manifest ${repository}@${reference} was served with content whose digest is ${digest}`);
    }
    const claimed = response.header('docker-content-digest');
    if (claimed && isDigest(claimed) && digestAlgorithm(claimed) === algorithm && claimed !== digest) {
      throw new RegistryError(this.registry, `manifest ${repository}:${reference} has digest ${digest} but the registry claims ${claimed}`);
    }
    const parsed = this.parse(bytes, response.header('content-type'), `manifest ${repository}:${reference}`);
    return { digest, mediaType: parsed.mediaType, bytes };
  }

  /**
   * Stores `bytes` as they are under `reference` (a tag, or the digest of the
   * bytes), so a retag keeps the digest. Returns the digest.
   */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    checkRepository(repository);
    checkReference(reference);
    const digest = computeDigest(bytes, isDigest(reference) ? digestAlgorithm(reference) : 'sha256');
    if (isDigest(reference) && digest !== reference) throw new Error(`putManifest: bytes have digest ${digest}, not ${reference}`);
    this.pushRepositories.add(repository);
    const response = await this.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      purpose: { repository, actions: ['pull', 'push'] },
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    if (response.status !== 201 && response.status !== 200) throw await this.unexpected(response, `PUT manifest ${repository}:${reference}`);
    response.discard();
    const claimed = response.header('docker-content-digest');
    if (claimed && isDigest(claimed) && digestAlgorithm(claimed) === digestAlgorithm(digest) && claimed !== digest) {
      throw new RegistryError(this.registry, `stored manifest ${repository}:${reference} as ${claimed}, but its bytes have digest ${digest}`);
    }
    return digest;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    checkRepository(repository);
    checkDigest(digest);
    const response = await this.send({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, purpose: this.readPurpose(repository) });
    response.discard();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await this.unexpected(response, `HEAD blob ${repository}@${digest}`);
  }

  /**
   * Asks the registry to link a blob from another repository into this one,
   * moving no bytes. True when mounted; false when the registry declined
   * (it then opens an upload session, which we cancel), and the caller uploads.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    checkRepository(repository);
    checkRepository(fromRepository);
    checkDigest(digest);
    this.pushRepositories.add(repository);
    const url = new URL(`/v2/${repository}/blobs/uploads/`, this.baseUrl);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromRepository);
    const response = await this.send({
      method: 'POST',
      url,
      purpose: { repository, actions: ['pull', 'push'] },
      extraScopes: [repositoryScope(fromRepository, ['pull'])],
      retry: true,
    });
    if (response.status === 201 || response.status === 202) response.discard();
    if (response.status === 201) return true;
    if (response.status === 202) {
      await this.cancelUpload(repository, response);
      return false;
    }
    throw await this.unexpected(response, `mount blob ${digest} from ${fromRepository} into ${repository}`);
  }

  /** The blob's bytes as a stream, verified against the digest as they pass. Redirects to storage get no credentials. */
  async getBlobStream(repository: string, digest: string, expectedSize?: number): Promise<BlobStream> {
    checkRepository(repository);
    checkDigest(digest);
    const response = await this.send({ method: 'GET', url: `/v2/${repository}/blobs/${digest}`, purpose: this.readPurpose(repository) });
    if (response.status === 404) {
      const text = await response.errorText();
      throw new RegistryError(this.registry, `blob ${repository}@${digest} not found (${this.describe(404, text)})`, 404, ['BLOB_UNKNOWN']);
    }
    if (response.status !== 200) throw await this.unexpected(response, `GET blob ${repository}@${digest}`);
    const declared = Number(response.header('content-length'));
    const size = Number.isSafeInteger(declared) ? declared : undefined;
    if (expectedSize !== undefined && size !== undefined && size !== expectedSize) {
      response.discard();
      throw new RegistryError(this.registry, `blob ${repository}@${digest} is ${size} bytes, the manifest says ${expectedSize}`);
    }
    const verifier = new DigestVerifier(digest, expectedSize ?? size, `blob ${repository}@${digest} from ${this.registry}`);
    // A download that breaks off before anyone reads is kept as the verifier's error for the
    // reader (who may be busy opening an upload), never an uncaught exception.
    verifier.on('error', () => {});
    response.body.on('error', (error) => verifier.destroy(new Error(`downloading blob ${digest} from ${this.registry} broke off: ${error.message}`)));
    response.body.pipe(verifier);
    return { size: expectedSize ?? size, stream: verifier };
  }

  /** A small blob (an image config) in memory, verified. */
  async getBlob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    const { size, stream } = await this.getBlobStream(repository, digest);
    if (size !== undefined && size > maxBytes) {
      stream.destroy();
      throw new RegistryError(this.registry, `blob ${repository}@${digest} is ${size} bytes, more than the ${maxBytes} expected`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) throw new RegistryError(this.registry, `blob ${repository}@${digest} is larger than the ${maxBytes} bytes expected`);
        chunks.push(chunk);
      }
    } catch (error) {
      stream.destroy();
      throw this.streamError(error);
    }
    return Buffer.concat(chunks);
  }

  /**
   * Uploads a blob from a stream without touching disk: POST opens a session,
   * then one PUT streams the bytes (or PATCH chunks when `chunkSize` says so),
   * and the registry checks the digest. A stream cannot be replayed, so a
   * failed upload is not retried here; copy.ts retries the whole blob.
   */
  async uploadBlob(repository: string, digest: string, size: number, content: Readable | Buffer): Promise<void> {
    checkRepository(repository);
    checkDigest(digest);
    this.pushRepositories.add(repository);
    const purpose: AuthPurpose = { repository, actions: ['pull', 'push'] };
    const start = await this.send({ method: 'POST', url: `/v2/${repository}/blobs/uploads/`, purpose, retry: true });
    if (start.status !== 202) throw await this.unexpected(start, `start blob upload to ${repository}`);
    start.discard();
    let location = this.location(start, `start blob upload to ${repository}`);
    try {
      const chunkSize = this.options.chunkSize ?? 0;
      if (chunkSize > 0 && size > chunkSize) {
        let offset = 0;
        for await (const chunk of chunks(content, chunkSize)) {
          const patch = await this.send({
            method: 'PATCH',
            url: location,
            purpose,
            headers: { 'content-type': OCTET_STREAM, 'content-range': `${offset}-${offset + chunk.length - 1}` },
            body: chunk,
          });
          if (patch.status !== 202) throw await this.unexpected(patch, `upload chunk of ${digest} to ${repository}`);
          patch.discard();
          offset += chunk.length;
          location = this.location(patch, `upload chunk of ${digest} to ${repository}`);
        }
        content = Buffer.alloc(0);
      }
      const put = new URL(location);
      put.searchParams.set('digest', digest);
      const body = content;
      const length = Buffer.isBuffer(body) ? body.length : size;
      const done = await this.send({
        method: 'PUT',
        url: put,
        purpose,
        headers: { 'content-type': OCTET_STREAM, 'content-length': String(length) },
        body,
      });
      if (done.status !== 201) throw await this.unexpected(done, `upload blob ${digest} to ${repository}`);
      done.discard();
      const claimed = done.header('docker-content-digest');
      if (claimed && claimed !== digest) throw new RegistryError(this.registry, `stored blob ${digest} in ${repository} as ${claimed}`);
    } catch (error) {
      await this.cancelUploadAt(repository, location);
      throw this.streamError(error);
    }
  }

  /**
   * The image config (labels and all) of what `reference` names; for an
   * index, of the platform asked for (linux/amd64 by default).
   */
  async imageConfig(repository: string, reference: string, platform: Platform = DEFAULT_PLATFORM): Promise<ImageConfig> {
    const top = await this.getManifest(repository, reference);
    let manifest = top;
    let parsed = this.parse(top.bytes, top.mediaType, `manifest ${repository}:${reference}`);
    let chosen: Platform | undefined;
    if (parsed.kind === 'index') {
      const entry = selectPlatform(parsed.manifests, platform);
      if (!entry) {
        const available = parsed.manifests.flatMap((d) => (d.platform && d.platform.os !== 'unknown' ? [formatPlatform(d.platform)] : []));
        throw new PlatformNotFoundError(
          `${this.registry}/${repository}:${reference} has no ${formatPlatform(platform)} image (it has ${available.length ? available.join(', ') : 'no platform entries'})`,
          available,
        );
      }
      chosen = entry.platform;
      manifest = await this.getManifest(repository, entry.digest);
      parsed = this.parse(manifest.bytes, manifest.mediaType, `manifest ${repository}@${entry.digest}`);
      if (parsed.kind !== 'image') throw new RegistryError(this.registry, `${repository}@${entry.digest} is an index inside an index`);
    }
    const bytes = await this.getBlob(repository, parsed.config.digest, MAX_CONFIG_BYTES);
    let config: unknown;
    try {
      config = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError(this.registry, `image config ${repository}@${parsed.config.digest} is not JSON`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new RegistryError(this.registry, `image config ${repository}@${parsed.config.digest} is not a JSON object`);
    }
    const inner = (config as { config?: { Labels?: unknown } }).config;
    const rawLabels = inner && typeof inner.Labels === 'object' && inner.Labels !== null ? (inner.Labels as Record<string, unknown>) : {};
    const labels = Object.fromEntries(Object.entries(rawLabels).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return { digest: top.digest, manifestDigest: manifest.digest, ...(chosen ? { platform: chosen } : {}), config: config as Record<string, unknown>, labels };
  }

  /** Parses manifest bytes, turning malformed content into a RegistryError naming this registry. */
  parse(bytes: Buffer, contentType: string | undefined, what: string): ParsedManifest {
    try {
      return parseManifest(bytes, contentType, what);
    } catch (error) {
      throw new RegistryError(this.registry, (error as Error).message);
    }
  }

  private readPurpose(repository: string): AuthPurpose {
    return { repository, actions: this.pushRepositories.has(repository) ? ['pull', 'push'] : ['pull'] };
  }

  /** Learns how the registry authenticates, once. */
  private ping(): Promise<void> {
    this.pinged ??= (async () => {
      const response = await this.transport.request({ method: 'GET', url: new URL('/v2/', this.baseUrl) });
      if (response.status >= 500) throw await this.unexpected(response, 'GET /v2/');
      response.discard();
      if (response.status === 404) throw new RegistryError(this.registry, `${this.baseUrl.origin} does not serve the registry API (GET /v2/ answered 404)`, 404);
      const challenge = response.status === 401 ? pickChallenge(parseWwwAuthenticate(response.header('www-authenticate') ?? '')) : undefined;
      // Anything else (200: anonymous, the unremarkable case, not logged): a request still meets its own challenge if there is one.
      if (!challenge) return;
      this.auth.learn(challenge);
      this.options.log?.(`${this.registry}: ${this.describeAuth(challenge)}`);
    })();
    this.pinged.catch(() => (this.pinged = undefined));
    return this.pinged;
  }

  /** One line for the log: how this registry authenticates and with what. */
  private describeAuth(challenge: Challenge): string {
    const source = this.options.credentialsSource ? ` from ${this.options.credentialsSource}` : '';
    const who = this.options.credentials ? `with credentials${source}` : 'anonymously';
    if (challenge.scheme === 'bearer') {
      const realm = challenge.params.realm ? safeServerText(challenge.params.realm, []) : '(no realm)';
      return `token authentication via ${realm}, requested ${who}`;
    }
    return `${challenge.scheme === 'basic' ? 'Basic' : `'${challenge.scheme}'`} authentication, ${who}`;
  }

  /**
   * One request with the authorization its scopes need. A 401 that brings a
   * challenge we have not answered yet (or an expired token) is answered once;
   * a second refusal, or a 403, is an error the user can act on.
   */
  private async send(options: SendOptions): Promise<HttpResponse> {
    await this.ping();
    const url = typeof options.url === 'string' ? new URL(options.url, this.baseUrl) : options.url;
    const scopes = [repositoryScope(options.purpose.repository, options.purpose.actions), ...(options.extraScopes ?? [])];
    const replayable = options.body === undefined || Buffer.isBuffer(options.body);
    for (let round = 1; ; round++) {
      const authorization = await this.auth.authorization(scopes, options.purpose);
      const response = await this.transport.request({
        method: options.method,
        url,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.retry !== undefined ? { retry: options.retry } : {}),
        ...(options.bufferBody !== undefined ? { bufferBody: options.bufferBody } : {}),
        // Credentials belong to the registry: an upload location on another host gets none.
        ...(authorization && url.origin === this.baseUrl.origin ? { authorization } : {}),
      });
      if (response.status === 403) {
        const text = await response.errorText();
        throw this.auth.refused(403, describeStatus(403, text), options.purpose);
      }
      if (response.status !== 401) return response;
      const text = await response.errorText();
      const challenge = pickChallenge(parseWwwAuthenticate(response.header('www-authenticate') ?? ''));
      const challengeError = challenge?.params.error;
      const detail = describeStatus(401, text) + (challengeError ? ` (${challengeError})` : '');
      const canAnswer =
        round === 1 &&
        replayable &&
        challenge !== undefined &&
        (authorization === undefined ? this.auth.hasCredentials || challenge.scheme === 'bearer' : challenge.scheme === 'bearer' && challengeError !== 'insufficient_scope');
      if (!canAnswer) throw this.auth.refused(401, detail, options.purpose);
      // An expired token, or a repository that answers with a challenge of its own: ask again.
      this.auth.dropToken(scopes);
      this.auth.learn(challenge);
    }
  }

  private location(response: HttpResponse, what: string): URL {
    const location = response.header('location');
    if (!location) throw new RegistryError(this.registry, `${what}: the registry answered ${response.status} without a Location`);
    try {
      return new URL(location, response.url);
    } catch {
      throw new RegistryError(this.registry, `${what}: the registry answered an invalid Location`);
    }
  }

  private async cancelUpload(repository: string, response: HttpResponse): Promise<void> {
    const location = response.header('location');
    if (!location) return;
    try {
      await this.cancelUploadAt(repository, new URL(location, response.url));
    } catch {}
  }

  /** Best effort: an abandoned session expires on its own, this just tidies up. */
  private async cancelUploadAt(repository: string, location: URL): Promise<void> {
    try {
      const response = await this.send({ method: 'DELETE', url: location, purpose: { repository, actions: ['pull', 'push'] }, retry: false });
      response.discard();
    } catch {}
  }

  private describe(status: number, text: string): string {
    return safeServerText(describeStatus(status, text), this.auth.secrets);
  }

  private async unexpected(response: HttpResponse, what: string): Promise<RegistryError> {
    const text = await response.errorText();
    const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    const codes = parseDistributionErrors(text).map((e) => e.code).filter(Boolean);
    return new RegistryError(this.registry, `${what} failed: ${this.describe(response.status, text)}${tries}`, response.status, codes);
  }

  private streamError(error: unknown): unknown {
    if (error instanceof RegistryError || error instanceof InputError) return error;
    if (error instanceof DigestMismatchError) return new RegistryError(this.registry, error.message);
    if (error instanceof Error) return new RegistryError(this.registry, safeServerText(error.message, this.auth.secrets));
    return error;
  }
}

async function* chunks(content: Readable | Buffer, size: number): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(content)) {
    for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
    return;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of content as AsyncIterable<Buffer>) {
    let rest = piece;
    while (pendingBytes + rest.length >= size) {
      const take = size - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      rest = rest.subarray(take);
    }
    if (rest.length) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes) yield Buffer.concat(pending);
}

function checkRepository(repository: string): void {
  assertRepository(repository, 'repository');
}

function checkReference(reference: string): void {
  if (!isDigest(reference) && !isImageTag(reference)) {
    throw new InputError(`'${reference}' is neither a tag nor a sha256 digest`);
  }
}

function checkDigest(digest: string): void {
  if (!isDigest(digest)) throw new InputError(`'${digest}' is not a sha256 digest`);
}
