import { describe, expect, test } from 'vitest';
import { decideRetry, SLACK_RETRY_POLICY } from '#core/notify/retry-policy.js';

const half = () => 0.5;

describe('Slack retry policy', () => {
  test('429 waits what Retry-After asks', () => {
    expect(decideRetry({ attempt: 1, waitedMs: 0, status: 429, retryAfter: '3' })).toEqual({ retry: true, delayMs: 3000 });
  });

  test('429 asking for longer than the bound gives up at once, saying why', () => {
    expect(decideRetry({ attempt: 1, waitedMs: 0, status: 429, retryAfter: '120' })).toEqual({
      retry: false,
      reason: 'Slack asked to wait 120 s (Retry-After), longer than the 30 s this step waits',
    });
  });

  test('429 without Retry-After and 5xx back off exponentially', () => {
    const delays = [1, 2, 3].map((attempt) => decideRetry({ attempt, waitedMs: 0, status: 503 }, { random: half }));
    expect(delays).toEqual([
      { retry: true, delayMs: 375 },
      { retry: true, delayMs: 750 },
      { retry: true, delayMs: 1500 },
    ]);
    expect(decideRetry({ attempt: 1, waitedMs: 0, status: 429 }, { random: half })).toEqual({ retry: true, delayMs: 375 });
  });

  test('bounded in attempts and in total waiting', () => {
    expect(decideRetry({ attempt: SLACK_RETRY_POLICY.maxAttempts, waitedMs: 0, status: 500 })).toEqual({ retry: false, reason: 'gave up after 4 attempts' });
    expect(decideRetry({ attempt: 2, waitedMs: 44_000, status: 429, retryAfter: '5' })).toEqual({
      retry: false,
      reason: 'gave up after 2 attempts and 44 s of waiting',
    });
  });

  test('4xx answers are verdicts, not accidents', () => {
    for (const status of [400, 401, 403, 404, 410]) expect(decideRetry({ attempt: 1, waitedMs: 0, status })).toEqual({ retry: false });
    expect(decideRetry({ attempt: 1, waitedMs: 0, status: 200 })).toEqual({ retry: false });
  });

  test('dropped connections are retried; a wrong host is not', () => {
    expect(decideRetry({ attempt: 1, waitedMs: 0, networkCode: 'ECONNRESET' }, { random: half }).retry).toBe(true);
    expect(decideRetry({ attempt: 1, waitedMs: 0, networkCode: 'ENOTFOUND' }).retry).toBe(false);
  });
});
