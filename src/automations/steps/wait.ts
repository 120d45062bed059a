import type { FieldError } from '../../errors.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

const UNITS: Record<string, number> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
/** Longest wait: one year. */
const MAX_WAIT_MS = 366 * 86_400_000;

/** The wait's length in milliseconds: the sum of its `duration` units. */
export function durationMs(duration: unknown): number {
  let total = 0;
  for (const [unit, value] of Object.entries(duration as Record<string, number>)) total += value * UNITS[unit];
  return total;
}

/** `wait`: waits `duration` ({days, hours, minutes, seconds}, 0 allowed) as a job with a run time, then follows `next`. */
export const waitStep: StepKind = {
  waits: true,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['duration', 'next'], path), ...edgeShape(step, ['next'], path)];
    const d = step.duration;
    if (d === null || typeof d !== 'object' || Array.isArray(d) || Object.keys(d).length === 0) {
      out.push({ path: `${path}.duration`, message: 'must be an object of days, hours, minutes and/or seconds' });
      return out;
    }
    for (const [unit, value] of Object.entries(d)) {
      if (!(unit in UNITS)) out.push({ path: `${path}.duration.${unit}`, message: 'is not a unit (days, hours, minutes, seconds)' });
      else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) out.push({ path: `${path}.duration.${unit}`, message: 'must be a whole number ≥ 0' });
    }
    if (out.length === 0 && durationMs(d) > MAX_WAIT_MS) out.push({ path: `${path}.duration`, message: 'must be at most 366 days' });
    return out;
  },
  edges: (step, path) => edge(step, 'next', path),
  async run(_trx, _deps, run, step) {
    return { wait: new Date(Date.parse(run.now) + durationMs(step.duration)) };
  },
};
