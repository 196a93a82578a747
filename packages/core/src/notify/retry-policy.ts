import { backoffDelay, isRetryableNetworkError, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../registry/retry.js';

/**
 * When a Slack request is tried again. A notification is worth a short wait,
 * not a stuck deploy job: a few attempts, waits bounded one by one and in
 * total. 429 waits as long as Slack's Retry-After asks, unless that is longer
 * than we would wait anyway; 5xx and dropped connections back off
 * exponentially; 4xx and `ok: false` answers are Slack's verdict on the
 * request and are never retried. Pure, so tested without a clock.
 */

export const SLACK_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 30_000,
  maxTotalWaitMs: 45_000,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: string };

export interface AttemptOutcome {
  /** The attempt that just finished, 1-based. */
  attempt: number;
  /** Time already spent waiting between attempts. */
  waitedMs: number;
  /** The HTTP status, when an answer came. */
  status?: number;
  retryAfter?: string | undefined;
  /** The network error's code, when no answer came. */
  networkCode?: string | undefined;
}

export function decideRetry(
  outcome: AttemptOutcome,
  options: { policy?: RetryPolicy; now?: number; random?: () => number } = {},
): RetryDecision {
  const policy = options.policy ?? SLACK_RETRY_POLICY;
  const retryable = outcome.status !== undefined ? isRetryableStatus(outcome.status) : isRetryableNetworkError(outcome.networkCode);
  if (!retryable) return { retry: false };
  if (outcome.attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${outcome.attempt} attempts` };
  let delayMs: number;
  const asked = outcome.status === 429 ? parseRetryAfter(outcome.retryAfter, options.now ?? Date.now()) : undefined;
  if (asked !== undefined) {
    if (asked > policy.maxRetryAfterMs) {
      return { retry: false, reason: `Slack asked to wait ${Math.ceil(asked / 1000)} s (Retry-After), longer than the ${policy.maxRetryAfterMs / 1000} s this step waits` };
    }
    delayMs = asked;
  } else {
    delayMs = backoffDelay(outcome.attempt, policy, options.random);
  }
  if (outcome.waitedMs + delayMs > policy.maxTotalWaitMs) {
    return { retry: false, reason: `gave up after ${outcome.attempt} attempts and ${Math.round(outcome.waitedMs / 1000)} s of waiting` };
  }
  return { retry: true, delayMs };
}
