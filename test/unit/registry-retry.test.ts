import { describe, expect, test } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
} from '#core/registry/retry.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('Retry-After', () => {
  test('delta-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });

  test('HTTP-date, in all three formats RFC 9110 allows', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:07 GMT', NOW)).toBe(7000);
    expect(parseRetryAfter('Thu Jan  1 00:00:09 2026', NOW - 0)).toBeDefined();
  });

  test('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', NOW)).toBe(0);
  });

  test('anything else is unreadable, and the caller backs off on its own', () => {
    for (const v of [undefined, '', '-1', '1.5', 'soon', '1e3', '0x10', '2026-01-01']) expect(parseRetryAfter(v, NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 8000 };

  test('doubles per attempt within [step/2, step], capped', () => {
    const steps = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    steps.forEach((step, i) => {
      expect(backoffDelay(i + 1, policy, () => 0)).toBe(step / 2);
      expect(backoffDelay(i + 1, policy, () => 0.999999)).toBe(step);
      const r = backoffDelay(i + 1, policy);
      expect(r).toBeGreaterThanOrEqual(step / 2);
      expect(r).toBeLessThanOrEqual(step);
    });
  });

  test('never overflows on absurd attempt numbers', () => {
    expect(backoffDelay(10_000, policy, () => 1)).toBe(8000);
  });
});

describe('when to retry', () => {
  test('statuses', () => {
    for (const s of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 201, 301, 400, 401, 403, 404, 405, 409, 413, 501, 505]) expect(isRetryableStatus(s)).toBe(false);
  });

  test('network errors: transient yes, a wrong host name no', () => {
    for (const c of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'IDLE_TIMEOUT']) expect(isRetryableNetworkError(c)).toBe(true);
    for (const c of ['ENOTFOUND', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', '', undefined]) expect(isRetryableNetworkError(c)).toBe(false);
  });

  test('attempts are bounded', () => {
    const policy = DEFAULT_RETRY_POLICY;
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) delays.push(nextRetryDelay({ attempt, waitedMs: 0, now: NOW, policy, random: () => 0.5 }));
    expect(delays.slice(0, -1).every((d) => typeof d === 'number')).toBe(true);
    expect(delays.at(-1)).toBeUndefined();
  });

  test('Retry-After is honoured, and capped', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect(nextRetryDelay({ attempt: 1, waitedMs: 0, retryAfter: '2', now: NOW, policy })).toBe(2000);
    expect(nextRetryDelay({ attempt: 1, waitedMs: 0, retryAfter: '3600', now: NOW, policy })).toBe(policy.maxRetryAfterMs);
    expect(nextRetryDelay({ attempt: 1, waitedMs: 0, retryAfter: 'Thu, 01 Jan 2026 00:00:04 GMT', now: NOW, policy })).toBe(4000);
  });

  test('the total wait of one request is bounded', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxTotalWaitMs: 10_000 };
    expect(nextRetryDelay({ attempt: 1, waitedMs: 9_000, retryAfter: '1', now: NOW, policy })).toBe(1000);
    expect(nextRetryDelay({ attempt: 1, waitedMs: 9_001, retryAfter: '1', now: NOW, policy })).toBeUndefined();
    // The worst case of the defaults: every wait at its maximum still ends in bounded time.
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const d = nextRetryDelay({ attempt, waitedMs: waited, retryAfter: '3600', now: NOW, policy: DEFAULT_RETRY_POLICY });
      if (d === undefined) break;
      waited += d;
    }
    expect(waited).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxTotalWaitMs);
  });
});
