import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import http, { STATUS_CODES, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { InputError, ToolError } from '../errors/errors.js';

/**
 * Downloads of release archives and their checksum files, on node:http so
 * that every hop is ours to judge: sizes are bounded before and while
 * reading, a stalled or slow server is given up on, and redirects are
 * followed only where they cannot downgrade the transport.
 */

export interface DownloadOptions {
  /** Largest body accepted; a larger one (announced or actual) is an error, never a full disk. */
  maxBytes: number;
  /** One attempt, from connecting to the last byte. Default 5 minutes. */
  timeoutMs?: number;
  /** No byte for this long gives the attempt up. Default 30 s. */
  idleTimeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Tries in all, for failures that may pass (connection errors, cut-short bodies, 408, 429, 5xx). Default 3. */
  attempts?: number;
  /** Wait before the second attempt, doubled for each later one. Default 1 s. */
  retryDelayMs?: number;
  userAgent?: string;
  /** Told about each retry and why. */
  log?: (line: string) => void;
}

export interface Downloaded {
  bytes: number;
  /** Hex SHA-256 of what was received, computed while it streamed. */
  sha256: string;
  /** Where the body finally came from, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** One attempt's failure, and whether another attempt could succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Redirects are followed from https to https (release hosts hand off to a
 * CDN) or within one origin (a mirror that moves a path). Anything else
 * would let a redirect downgrade the download to plain http on another host.
 */
export function isRedirectAllowed(from: URL, to: URL): boolean {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
  return (from.protocol === 'https:' && to.protocol === 'https:') || from.origin === to.origin;
}

/**
 * A URL as it may appear in a message: query strings of CDN redirects carry
 * signatures, so they are elided.
 */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
}

/** A download URL we agree to use: http(s), and no credentials in it (DESIGN §6). */
export function parseDownloadUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${what} '${text}' is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`${what} '${text}' must be an https:// (or http://) URL`);
  if (url.username || url.password) throw new InputError(`${what} must not carry credentials in the URL`);
  return url;
}

/** Streams `url` into `file` (created with mode 0600, replaced on each attempt), hashing it on the way. */
export async function downloadToFile(url: string, file: string, options: DownloadOptions): Promise<Downloaded> {
  return withAttempts(url, options, async (response, finalUrl) => {
    const hash = createHash('sha256');
    const fd = openSync(file, 'w', 0o600);
    let bytes: number;
    try {
      bytes = await receive(response, options.maxBytes, (chunk) => {
        hash.update(chunk);
        writeSync(fd, chunk);
      });
    } finally {
      closeSync(fd);
    }
    return { bytes, sha256: hash.digest('hex'), url: finalUrl.href };
  });
}

/** A small text (a checksum file), read whole. */
export async function downloadText(url: string, options: DownloadOptions): Promise<string> {
  return withAttempts(url, options, async (response) => {
    const chunks: Buffer[] = [];
    await receive(response, options.maxBytes, (chunk) => chunks.push(chunk));
    return Buffer.concat(chunks).toString('utf8');
  });
}

async function withAttempts<T>(text: string, options: DownloadOptions, consume: (response: IncomingMessage, url: URL) => Promise<T>): Promise<T> {
  const url = parseDownloadUrl(text, 'download URL');
  const attempts = Math.max(1, options.attempts ?? 3);
  const baseDelay = options.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    const timer = setTimeout(() => controller.abort(new AttemptError(`no complete answer within ${duration(timeoutMs)}`, true)), timeoutMs);
    let finalUrl = url;
    try {
      const { response, url: answered } = await follow(url, options, controller.signal);
      finalUrl = answered;
      return await consume(response, answered);
    } catch (thrown) {
      const reason = controller.signal.aborted ? (controller.signal.reason as AttemptError) : thrown;
      if (!(reason instanceof AttemptError)) throw reason;
      const where = finalUrl.href === url.href ? '' : ` (redirected to ${displayUrl(finalUrl)})`;
      if (!reason.retryable || attempt >= attempts) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new ToolError(`download ${displayUrl(url)}`, null, '', `${reason.message}${where}${tries}`);
      }
      const delay = baseDelay * 2 ** (attempt - 1);
      options.log?.(`download ${displayUrl(url)}: ${reason.message}${where}; trying again in ${duration(delay)} (attempt ${attempt + 1} of ${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sends GET requests along the redirect chain until something other than a redirect answers; only a 200 is returned. */
async function follow(start: URL, options: DownloadOptions, signal: AbortSignal): Promise<{ response: IncomingMessage; url: URL }> {
  const maxRedirects = options.maxRedirects ?? 5;
  let url = start;
  for (let hops = 0; ; hops++) {
    const response = await get(url, options, signal);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new AttemptError(`HTTP ${status} redirect without a Location header from ${displayUrl(url)}`, false);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new AttemptError(`HTTP ${status} redirect from ${displayUrl(url)} to an invalid URL`, false);
      }
      if (!isRedirectAllowed(url, next)) {
        throw new AttemptError(`refused the redirect from ${displayUrl(url)} to ${displayUrl(next)}: only https-to-https or same-origin redirects are followed`, false);
      }
      if (hops >= maxRedirects) throw new AttemptError(`more than ${maxRedirects} redirects`, false);
      url = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      const text = STATUS_CODES[status] ?? 'unexpected status';
      throw new AttemptError(`HTTP ${status} ${text} from ${displayUrl(url)}`, RETRY_STATUSES.has(status));
    }
    return { response, url };
  }
}

/** Why a response's request was given up on for stalling, so the body's read error can say so. */
const stalls = new WeakMap<IncomingMessage, { error?: AttemptError }>();

function get(url: URL, options: DownloadOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const stall: { error?: AttemptError } = {};
    // agent: false: one connection per request and none left open to keep the process alive.
    const request = client.get(url, { agent: false, signal, headers: { 'user-agent': options.userAgent ?? 'gitops-actions', accept: '*/*' } }, (response) => {
      stalls.set(response, stall);
      resolve(response);
    });
    request.setTimeout(idleMs, () => {
      stall.error = new AttemptError(`no data for ${duration(idleMs)}`, true);
      request.destroy(stall.error);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      reject(error instanceof AttemptError ? error : new AttemptError(`cannot reach ${url.host}: ${error.code ?? error.message}`, true));
    });
  });
}

/** Reads the body into `sink`, refusing more than `maxBytes` and a body shorter than it was announced. */
async function receive(response: IncomingMessage, maxBytes: number, sink: (chunk: Buffer) => void): Promise<number> {
  const header = response.headers['content-length'];
  const declared = header !== undefined && /^[0-9]+$/.test(header) ? Number(header) : undefined;
  if (declared !== undefined && declared > maxBytes) {
    response.destroy();
    throw new AttemptError(`the server announced ${declared} bytes, more than the ${maxBytes} accepted`, false);
  }
  let received = 0;
  // A failing sink (a full disk) is our side's problem, not the connection's: it must not be retried as one.
  let sinkFailure: { error: unknown } | undefined;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) {
        response.destroy();
        throw new AttemptError(`the body is larger than the ${maxBytes} bytes accepted`, false);
      }
      try {
        sink(chunk);
      } catch (error) {
        sinkFailure = { error };
        break;
      }
    }
  } catch (error) {
    if (error instanceof AttemptError) throw error;
    const stalled = stalls.get(response)?.error;
    const of = declared === undefined ? '' : ` of ${declared}`;
    const why = stalled ? stalled.message : (error as Error).message;
    throw new AttemptError(`the download was cut short: the connection failed after ${received}${of} bytes (${why})`, true);
  }
  if (sinkFailure) throw sinkFailure.error;
  if (declared !== undefined && received !== declared) {
    throw new AttemptError(`the download was cut short: ${received} of ${declared} bytes arrived`, true);
  }
  return received;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}
