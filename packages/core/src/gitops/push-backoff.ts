/**
 * How long a writer waits after losing a race for the branch. Writers that
 * collided once collide again if they wait alike, so the wait is random over
 * a window that doubles each time ("full jitter"): after a few rounds twenty
 * writers are spread over seconds and land one after another. The window
 * starts at a second (most races have two or three writers, and a retry
 * within it still lands in a second or two) and stops growing at 30 s,
 * about twenty writers' rounds of fetch, rebuild and push. Simulated with 20
 * writers whose rounds need 0.6 s of a 2-core machine (bench/commit's
 * setting), 250 ms / 8 s lost about 3 writers per run within 10 attempts,
 * 500 ms / 15 s one writer every other run, 1 s / 30 s none in 60 runs;
 * with a machine per writer (runners) all three land everything with p50
 * about 6 s and p95 15-18 s.
 */
export interface PushBackoff {
  /** Window of the first wait. */
  baseMs: number;
  /** Largest window. */
  capMs: number;
}

export const DEFAULT_PUSH_BACKOFF: PushBackoff = { baseMs: 1_000, capMs: 30_000 };

/** The wait after the `round`-th attempt failed (1-based), given a uniform random number in [0, 1). */
export function backoffDelayMs(round: number, random: number, backoff: PushBackoff = DEFAULT_PUSH_BACKOFF): number {
  const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, round - 1));
  // Never zero: an immediate retry would meet the writer that just won still pushing.
  return Math.round(window * (0.1 + 0.9 * Math.min(Math.max(random, 0), 1)));
}
