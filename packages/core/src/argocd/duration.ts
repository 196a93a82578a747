import { InputError } from '../errors/errors.js';

/**
 * A duration as people write them in workflows: `600` (seconds), `90s`,
 * `10m`, `1h`, `1m30s`. Returned in milliseconds, bounded by `min`/`max`.
 */
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000 } as const;

export function parseDuration(raw: string, name: string, bounds: { minMs: number; maxMs: number }): number {
  const text = raw.trim().toLowerCase();
  let ms: number | undefined;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else if (/^(\d+h)?(\d+m)?(\d+s)?$/.test(text) && text !== '') {
    ms = 0;
    for (const [, n, unit] of text.matchAll(/(\d+)([hms])/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  if (ms === undefined || !Number.isSafeInteger(ms)) {
    throw new InputError(`input '${name}' must be a duration such as 90s, 10m, 1h or a number of seconds (got '${shown}')`);
  }
  if (ms < bounds.minMs || ms > bounds.maxMs) {
    throw new InputError(`input '${name}' must be from ${formatDuration(bounds.minMs)} to ${formatDuration(bounds.maxMs)} (got '${shown}')`);
  }
  return ms;
}

/** `10m`, `1m30s`, `45s`, `1.5s`: for logs and messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
