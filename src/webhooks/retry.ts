/** Longest wait a receiver's Retry-After can impose before the next attempt (6 hours). */
export const RETRY_AFTER_CAP_MS = 6 * 3600 * 1000;

/** Statuses whose Retry-After header is honoured (rate limited or temporarily unavailable). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Milliseconds until retry number `retryIndex` (0 = the first retry) per the schedule in seconds, with ±20% jitter,
 * or null when the schedule is exhausted.
 */
export function scheduledDelayMs(schedule: readonly number[], retryIndex: number, random: () => number = Math.random): number | null {
  if (retryIndex >= schedule.length) return null;
  const base = schedule[retryIndex] * 1000;
  return Math.round(base * (0.8 + random() * 0.4));
}

/** Parses a Retry-After header (delay in seconds or an HTTP date) into milliseconds from `now`, capped; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  const trimmed = raw.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    // an HTTP date names its weekday and month; anything else (a negative or fractional number) is unreadable
    const at = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN;
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(0, ms), RETRY_AFTER_CAP_MS);
}

/** When the next attempt may run: the jittered schedule, pushed back to the receiver's Retry-After when that is later. */
export function nextAttemptDelayMs(scheduled: number, retryAfterMs: number | null): number {
  return retryAfterMs === null ? scheduled : Math.max(scheduled, retryAfterMs);
}
