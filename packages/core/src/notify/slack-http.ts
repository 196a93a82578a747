import type { IncomingHttpHeaders } from 'node:http';
import { redact } from '../exec/redact.js';
import { oneRequest, type HttpAnswer } from '../http/one-request.js';
import type { RetryPolicy } from '../registry/retry.js';
import { decideRetry } from './retry-policy.js';
import { SlackError } from './slack-error.js';

/**
 * One JSON POST to Slack, retried by the retry policy. On node:http(s) rather
 * than fetch: fetch's first use loads undici, which costs more start-up than
 * the rest of this action, and these are two or three small requests.
 * Loaded lazily, so a step that fails on its inputs never pays for TLS.
 */

export interface SlackHttpOptions {
  /** One attempt, from connecting to the end of the answer. */
  attemptTimeoutMs?: number;
  policy?: RetryPolicy;
  /** Told about each retry and why. */
  log?: (message: string) => void;
  /** Values that must never reach a message (the webhook URL, the token). */
  secrets?: readonly string[];
  /** Injected in tests; the defaults are the real clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface SlackHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  attempts: number;
  /** Set when the answer is a retryable failure we stopped retrying: why we stopped. */
  gaveUp?: string;
}

const MAX_ANSWER_BYTES = 256 * 1024;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;

function attempt(url: URL, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  return oneRequest(url, { method: 'POST', headers, body, timeoutMs, maxBytes: MAX_ANSWER_BYTES, tooLarge: 'truncate' });
}

/** A network error as a line that names the host at most: messages from node can carry more of the URL than that. */
function describeNetworkError(error: unknown, url: URL, secrets: readonly string[]): { code: string; text: string } {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : String(error);
  // Only the part before any URL-looking text, and never a secret.
  const safe = redact(message, [...secrets, url.href, url.pathname, url.search].filter((s) => s.length > 1))
    .replace(/https?:\/\/\S+/g, '<url>')
    .slice(0, 300);
  return { code, text: safe || code || 'request failed' };
}

export async function postSlackJson(
  url: URL,
  json: string,
  headers: Record<string, string>,
  what: { operation: string; target: string },
  options: SlackHttpOptions = {},
): Promise<SlackHttpResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const timeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const body = Buffer.from(json, 'utf8');
  const allHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'gitops-actions-notify', ...headers };
  let waited = 0;
  for (let n = 1; ; n++) {
    let answer: HttpAnswer;
    try {
      answer = await attempt(url, body, allHeaders, timeoutMs);
    } catch (error) {
      const { code, text } = describeNetworkError(error, url, options.secrets ?? []);
      const decision = decideRetry({ attempt: n, waitedMs: waited, networkCode: code }, { policy: options.policy, now: now(), random: options.random });
      if (!decision.retry) {
        const gaveUp = decision.reason ? ` (${decision.reason})` : '';
        throw new SlackError(what.operation, 'network', `could not reach ${what.target}: ${text}${gaveUp}`);
      }
      options.log?.(`${what.operation}: ${text}; trying again in ${(decision.delayMs / 1000).toFixed(1)} s (attempt ${n + 1})`);
      await sleep(decision.delayMs);
      waited += decision.delayMs;
      continue;
    }
    const retryAfter = header(answer.headers, 'retry-after');
    const decision = decideRetry(
      { attempt: n, waitedMs: waited, status: answer.status, retryAfter },
      { policy: options.policy, now: now(), random: options.random },
    );
    if (!decision.retry) return { ...answer, attempts: n, ...(decision.reason ? { gaveUp: decision.reason } : {}) };
    const why = answer.status === 429 ? `rate-limited (HTTP 429${retryAfter ? `, Retry-After ${retryAfter}` : ''})` : `HTTP ${answer.status}`;
    options.log?.(`${what.operation}: ${what.target} answered ${why}; trying again in ${(decision.delayMs / 1000).toFixed(1)} s (attempt ${n + 1})`);
    await sleep(decision.delayMs);
    waited += decision.delayMs;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
