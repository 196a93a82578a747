import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { RegistryError } from './registry-error.js';
import { DEFAULT_RETRY_POLICY, isRetryableNetworkError, isRetryableStatus, nextRetryDelay, type RetryPolicy } from './retry.js';

/**
 * HTTP for the registry client, on node:http so that every hop is ours:
 * redirects are followed by hand (credentials stay with the origin that asked
 * for them), timeouts cover connect, waiting for an answer and a stalled
 * stream separately, and retries are bounded in count and in total waiting.
 */

export interface TransportOptions {
  /** Allow plain http:// (a loopback test registry, a registry inside a private network). TLS is always verified. */
  insecure?: boolean;
  /** Establishing a connection, TLS included. */
  connectTimeoutMs?: number;
  /** From the end of the request body to the response headers. */
  responseTimeoutMs?: number;
  /** No byte in either direction for this long aborts the request, uploads and downloads alike. */
  idleTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxRedirects?: number;
  userAgent?: string;
  /** Told about each retry and why. */
  log?: (message: string) => void;
  /** Injected in tests; the defaults are the real clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer can be sent again (retry, 307/308); a stream only once. */
  body?: Buffer | Readable;
  /**
   * Sent only to the origin of `url`. A redirect to any other origin (blob
   * downloads go to S3 or a CDN) drops it for the rest of the chain.
   */
  authorization?: string;
  /**
   * Retry 408, 429, 5xx and network failures. Default: true for GET, HEAD, PUT
   * and DELETE. A streamed body is never retried whatever this says.
   */
  retry?: boolean;
  /** Default true. */
  followRedirects?: boolean;
  /**
   * Read the whole body (at most this many bytes) as part of the attempt, so
   * a connection dropped mid-body is retried like one dropped before it. For
   * manifests and token answers; blobs are streamed instead.
   */
  bufferBody?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const DISCARD_LIMIT = 64 * 1024;

export class HttpResponse {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    /** Where the answer finally came from, after redirects. */
    readonly url: URL,
    readonly body: Readable,
    /** Attempts it took, 1 when the first one answered. */
    readonly attempts: number,
  ) {}

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  private buffered: Buffer | undefined;

  /** Reads the body now; bytes() then answers from memory. */
  async buffer(max: number): Promise<void> {
    this.buffered = await this.read(max);
  }

  /** The whole body, refusing more than `max` bytes: a manifest or an error is small, a hostile server's answer need not be. */
  async bytes(max: number): Promise<Buffer> {
    if (this.buffered) {
      if (this.buffered.length > max) throw new RegistryError(this.url.host, `${this.url.pathname} answered with more than the ${max} bytes accepted`, this.status);
      return this.buffered;
    }
    try {
      return await this.read(max);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError(this.url.host, `reading the answer to ${this.url.pathname} failed: ${(error as Error).message}`, this.status);
    }
  }

  private async read(max: number): Promise<Buffer> {
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > max) {
      this.body.destroy();
      throw new RegistryError(this.url.host, `${this.url.pathname} answered with ${declared} bytes, more than the ${max} accepted`, this.status);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        this.body.destroy();
        throw new RegistryError(this.url.host, `${this.url.pathname} answered with more than the ${max} bytes accepted`, this.status);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /** The body as text for an error message; never throws. */
  async errorText(max = 16 * 1024): Promise<string> {
    try {
      return (await this.bytes(max)).toString('utf8');
    } catch {
      return '';
    }
  }

  /** Drops the body: drained when small, so the connection can be reused, else the connection is closed. */
  discard(): void {
    if (this.buffered) return;
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared <= DISCARD_LIMIT) this.body.resume();
    else this.body.destroy();
  }
}

/** An error raised by one attempt, with a code the retry rules understand. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export class HttpTransport {
  private readonly policy: RetryPolicy;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: TransportOptions = {}) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  get insecure(): boolean {
    return this.options.insecure === true;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Refuses plain http unless the transport is insecure: a token or password must never cross the network in clear. */
  assertSchemeAllowed(url: URL, what: string): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.insecure) return;
    throw new RegistryError(
      url.host,
      url.protocol === 'http:'
        ? `${what} ${url.origin} is plain http; set the registry as insecure to allow it (only for a registry on loopback or a trusted network)`
        : `${what} ${url.href} is not an http(s) URL`,
    );
  }

  /**
   * Sends a request; answers with the final response (after redirects and
   * retries), whatever its status. Throws RegistryError when no answer came.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const replayable = request.body === undefined || Buffer.isBuffer(request.body);
    const retry = replayable && (request.retry ?? IDEMPOTENT.has(request.method));
    const started = this.now();
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.followRedirects(request, attempt);
        if (request.bufferBody !== undefined && request.method !== 'HEAD') {
          try {
            await response.buffer(request.bufferBody);
          } catch (error) {
            if (error instanceof RegistryError) throw error;
            const e = error as NodeJS.ErrnoException;
            throw new AttemptError(`the answer broke off: ${e.message || e.code || 'connection closed'}`, e.code ?? 'ECONNRESET');
          }
        }
      } catch (error) {
        if (!(error instanceof AttemptError)) throw error;
        const delay = retry && isRetryableNetworkError(error.code) ? this.delay(attempt, waited, undefined) : undefined;
        if (error.code === 'BODY_ERROR') throw new RegistryError(request.url.host, `${request.method} ${request.url.pathname}: ${error.message}`);
        if (delay === undefined) {
          const tries = attempt > 1 ? `; gave up after ${attempt} attempts in ${seconds(this.now() - started)}` : '';
          const tls = request.url.protocol === 'https:' && /SSL|TLS|wrong version number/i.test(`${error.code} ${error.message}`);
          const hint = tls ? '; if this registry serves plain http (a local test registry), mark it insecure' : '';
          throw new RegistryError(request.url.host, `cannot reach ${request.url.host} (${request.method} ${request.url.pathname}): ${error.message}${tries}${hint}`);
        }
        this.options.log?.(`${request.url.host}: ${error.message}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${this.policy.maxAttempts})`);
        await this.sleep(delay);
        waited += delay;
        continue;
      }
      if (retry && isRetryableStatus(response.status)) {
        const delay = this.delay(attempt, waited, response.header('retry-after'));
        if (delay !== undefined) {
          response.discard();
          const asked = response.header('retry-after') !== undefined ? ' as Retry-After asks' : '';
          this.options.log?.(
            `${request.url.host}: ${request.method} ${request.url.pathname} answered ${response.status}; retrying in ${seconds(delay)}${asked} (attempt ${attempt + 1} of ${this.policy.maxAttempts})`,
          );
          await this.sleep(delay);
          waited += delay;
          continue;
        }
      }
      return response;
    }
  }

  private delay(attempt: number, waited: number, retryAfter: string | undefined): number | undefined {
    return nextRetryDelay({ attempt, waitedMs: waited, retryAfter, now: this.now(), policy: this.policy, ...(this.options.random ? { random: this.options.random } : {}) });
  }

  private async followRedirects(request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const origin = request.url.origin;
    const maxRedirects = this.options.maxRedirects ?? 5;
    let url = request.url;
    let method = request.method;
    let body = request.body;
    let authorization = request.authorization;
    for (let hop = 0; ; hop++) {
      this.assertSchemeAllowed(url, hop === 0 ? 'registry URL' : 'redirect to');
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'gitops-actions', ...request.headers };
      if (authorization !== undefined && url.origin === origin) headers.authorization = authorization;
      if (body === undefined && method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') headers['content-length'] = '0';
      if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
      const raw = await this.once(method, url, headers, body);
      const location = raw.headers.location;
      const status = raw.statusCode ?? 0;
      if (request.followRedirects === false || !REDIRECTS.has(status) || !location) {
        return new HttpResponse(status, raw.headers, url, raw, attempt);
      }
      raw.resume();
      if (hop >= maxRedirects) throw new RegistryError(request.url.host, `${request.method} ${request.url.pathname}: more than ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RegistryError(url.host, `${method} ${url.pathname} redirected to an invalid location`);
      }
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      } else if (body !== undefined && !Buffer.isBuffer(body)) {
        throw new RegistryError(url.host, `${method} ${url.pathname} was redirected (${status}) after a streamed body, which cannot be sent again`);
      }
      // Once the chain has left the registry's origin its credentials stay behind, even if it comes back.
      if (next.origin !== origin) authorization = undefined;
      url = next;
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, body: Buffer | Readable | undefined): Promise<IncomingMessage> {
    const connectTimeout = this.options.connectTimeoutMs ?? 10_000;
    const responseTimeout = this.options.responseTimeoutMs ?? 60_000;
    const idleTimeout = this.options.idleTimeoutMs ?? 60_000;
    const secure = url.protocol === 'https:';
    return new Promise<IncomingMessage>((resolve, reject) => {
      let bodyError: Error | undefined;
      let connectTimer: NodeJS.Timeout | undefined;
      let responseTimer: NodeJS.Timeout | undefined;
      const clear = () => {
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
      };
      const fail = (message: string, code: string) => {
        clear();
        req.destroy(new AttemptError(message, code));
      };
      const req = (secure ? https : http).request(url, { method, headers, agent: secure ? this.httpsAgent : this.httpAgent });
      req.setTimeout(idleTimeout, () => fail(`no data for ${seconds(idleTimeout)}`, 'IDLE_TIMEOUT'));
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail(`connecting took longer than ${seconds(connectTimeout)}`, 'CONNECT_TIMEOUT'), connectTimeout);
        socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      req.on('finish', () => {
        responseTimer = setTimeout(() => fail(`no answer within ${seconds(responseTimeout)}`, 'RESPONSE_TIMEOUT'), responseTimeout);
      });
      req.on('response', (res) => {
        clear();
        resolve(res);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        clear();
        if (bodyError) reject(new AttemptError(`reading the body to send failed: ${bodyError.message}`, 'BODY_ERROR'));
        else if (error instanceof AttemptError) reject(error);
        // OpenSSL's messages run over several lines; the first says what happened.
        else reject(new AttemptError((error.message || error.code || 'connection failed').split('\n')[0]!.trim(), error.code ?? ''));
      });
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else if (body.errored || body.destroyed) {
        // The source failed before we got here (a download that broke off while the upload was being opened).
        req.destroy(new AttemptError(`reading the body to send failed: ${body.errored?.message ?? 'the stream was already closed'}`, 'BODY_ERROR'));
      } else {
        // Registered before pipeline's own listener, so the request's error below knows the
        // source was to blame, not the connection.
        body.once('error', (error: Error) => (bodyError = error));
        pipeline(body, req, () => {});
      }
    });
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
