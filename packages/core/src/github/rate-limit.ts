/**
 * GitHub's rate-limit answers and how long to wait for them, as pure
 * functions so the bounds are tested without a clock. GitHub's own guidance:
 * honour `retry-after` when present; otherwise, when `x-ratelimit-remaining`
 * is 0, wait until `x-ratelimit-reset` (UTC epoch seconds); otherwise wait at
 * least a minute, growing exponentially. A job must not hang for an hour on a
 * spent quota, so every wait is bounded and a longer one is refused with the
 * time the quota comes back.
 */

export interface RateLimitPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Longest single wait this client accepts; a longer one fails the request. */
  maxWaitMs: number;
  /** All waits of one request together. */
  maxTotalWaitMs: number;
  /** First wait for a secondary limit that names no time (GitHub: "at least one minute"); doubles per attempt. */
  secondaryWaitMs: number;
  /** Added to a wait derived from `x-ratelimit-reset`: the header has one-second granularity. */
  resetMarginMs: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = {
  maxAttempts: 4,
  maxWaitMs: 120_000,
  maxTotalWaitMs: 300_000,
  secondaryWaitMs: 60_000,
  resetMarginMs: 1_000,
};

export type RateLimitAnswer =
  /** The hourly quota is spent; it comes back at `resetAtMs` (by GitHub's clock). */
  | { kind: 'primary'; resetAtMs: number; serverNowMs: number | undefined }
  /** Too much too fast; `retryAfterMs` when GitHub said how long. */
  | { kind: 'secondary'; retryAfterMs: number | undefined };

type Headers = Readonly<Record<string, string | number | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value).trim();
}

/**
 * Whether a 403/429 is a rate limit rather than a refusal. A 403 without any
 * rate-limit sign is a permission answer and must not be waited on.
 */
export function classifyRateLimit(status: number, headers: Headers, message: string): RateLimitAnswer | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) {
    return { kind: 'secondary', retryAfterMs: Number(retryAfter) * 1000 };
  }
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = header(headers, 'x-ratelimit-reset');
    if (reset !== undefined && /^\d+$/.test(reset)) {
      const date = Date.parse(header(headers, 'date') ?? '');
      return { kind: 'primary', resetAtMs: Number(reset) * 1000, serverNowMs: Number.isNaN(date) ? undefined : date };
    }
    return { kind: 'secondary', retryAfterMs: undefined };
  }
  if (status === 429 || /rate limit/i.test(message)) return { kind: 'secondary', retryAfterMs: undefined };
  return undefined;
}

export type RateLimitDecision = { wait: true; delayMs: number } | { wait: false; reason: string };

/**
 * The wait before the next attempt, or why there is none. `attempt` is the
 * attempt that was just limited (1-based); `waitedMs` what this request has
 * already waited. A primary-limit wait is measured against GitHub's `date`
 * header when there is one, so a runner's skewed clock cannot shorten it.
 */
export function rateLimitDelay(
  answer: RateLimitAnswer,
  options: { attempt: number; waitedMs: number; now: number; policy: RateLimitPolicy },
): RateLimitDecision {
  const { attempt, waitedMs, now, policy } = options;
  let delayMs: number;
  let resetNote = '';
  if (answer.kind === 'primary') {
    delayMs = Math.max(0, answer.resetAtMs - (answer.serverNowMs ?? now)) + policy.resetMarginMs;
    resetNote = ` (the quota resets at ${new Date(answer.resetAtMs).toISOString()})`;
  } else {
    delayMs = answer.retryAfterMs ?? policy.secondaryWaitMs * 2 ** Math.max(0, attempt - 1);
  }
  const what = answer.kind === 'primary' ? 'the API rate limit is spent' : 'a secondary rate limit was hit';
  if (attempt >= policy.maxAttempts) {
    return { wait: false, reason: `${what}${resetNote}, and ${attempt} attempts were made` };
  }
  if (delayMs > policy.maxWaitMs || waitedMs + delayMs > policy.maxTotalWaitMs) {
    return {
      wait: false,
      reason: `${what}${resetNote}; waiting ${formatDuration(delayMs)} is longer than the ${formatDuration(
        Math.min(policy.maxWaitMs, Math.max(0, policy.maxTotalWaitMs - waitedMs)),
      )} this action waits`,
    };
  }
  return { wait: true, delayMs };
}

/** `90 s`, `4 min`, `2 h 5 min`: for messages, not arithmetic. */
export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
