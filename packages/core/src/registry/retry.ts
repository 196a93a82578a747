/**
 * When to try a registry request again, and how long to wait. Pure functions,
 * so the bounds are tested without a clock.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; doubles each attempt. */
  baseDelayMs: number;
  /** Longest single backoff. */
  maxDelayMs: number;
  /** Longest wait a Retry-After header can impose. */
  maxRetryAfterMs: number;
  /** All waits of one request together; no attempt starts that would exceed it. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  maxTotalWaitMs: 60_000,
};

/**
 * Request timeout, rate limit, and server-side failures are worth another
 * try; 501 and 505 say the server will never do it. 401/403/404 and other
 * client errors are answers, not accidents.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Connection-level failures that a later attempt can survive. ENOTFOUND (a wrong host) is not one. */
export function isRetryableNetworkError(code: string | undefined): boolean {
  return [
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'ERR_STREAM_PREMATURE_CLOSE',
    'CONNECT_TIMEOUT',
    'RESPONSE_TIMEOUT',
    'IDLE_TIMEOUT',
  ].includes(code ?? '');
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half
 * random, so clients that failed together do not retry together, and the wait
 * never collapses to zero. `attempt` is the attempt that just failed (1-based).
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past means "now"; anything unreadable is
 * undefined, and the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse also accepts odd forms like "1"; only the HTTP-date shapes are taken.
  if (!/^[A-Za-z]{3},? /.test(text) && !/^[A-Za-z]+, \d/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The wait before the next attempt, or undefined when the request should not be retried again. */
export function nextRetryDelay(options: {
  attempt: number;
  waitedMs: number;
  retryAfter?: string | undefined;
  now: number;
  policy: RetryPolicy;
  random?: () => number;
}): number | undefined {
  const { attempt, policy } = options;
  if (attempt >= policy.maxAttempts) return undefined;
  const asked = parseRetryAfter(options.retryAfter, options.now);
  const delay = asked !== undefined ? Math.min(asked, policy.maxRetryAfterMs) : backoffDelay(attempt, policy, options.random);
  if (options.waitedMs + delay > policy.maxTotalWaitMs) return undefined;
  return delay;
}
