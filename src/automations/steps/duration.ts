import type { FieldError } from '../../errors.ts';

const UNITS: Record<string, number> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
/** Longest wait (and largest offset): 366 days. */
export const MAX_WAIT_MS = 366 * 86_400_000;

/** A duration's length in milliseconds: the sum of its units ({days, hours, minutes, seconds}). */
export function durationMs(duration: unknown): number {
  let total = 0;
  for (const [unit, value] of Object.entries(duration as Record<string, number>)) total += value * UNITS[unit];
  return total;
}

/**
 * Checks a duration `{days, hours, minutes, seconds}` at `path`: whole numbers (≥ 0 unless `negative`), at least one
 * unit, at most 366 days either way.
 */
export function checkDuration(d: unknown, path: string, negative = false): FieldError[] {
  if (d === null || typeof d !== 'object' || Array.isArray(d) || Object.keys(d).length === 0) {
    return [{ path, message: 'must be an object of days, hours, minutes and/or seconds' }];
  }
  const out: FieldError[] = [];
  for (const [unit, value] of Object.entries(d)) {
    if (!(unit in UNITS)) out.push({ path: `${path}.${unit}`, message: 'is not a unit (days, hours, minutes, seconds)' });
    else if (typeof value !== 'number' || !Number.isInteger(value) || (!negative && value < 0)) out.push({ path: `${path}.${unit}`, message: negative ? 'must be a whole number' : 'must be a whole number ≥ 0' });
  }
  if (out.length === 0 && Math.abs(durationMs(d)) > MAX_WAIT_MS) out.push({ path, message: 'must be at most 366 days' });
  return out;
}
