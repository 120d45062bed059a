import type { FieldError } from '../../errors.ts';
import { checkDuration, durationMs } from './duration.ts';
import { afterQuietHours, checkQuietHours, contactTimeZone, type QuietHours } from './quiet-hours.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

export { durationMs } from './duration.ts';

/**
 * `wait`: waits `duration` ({days, hours, minutes, seconds}, 0 allowed) as a job with a run time, then follows
 * `next`; with `quiet_hours` an end that falls inside them moves to their end in the contact's time zone.
 */
export const waitStep: StepKind = {
  waits: true,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['duration', 'quiet_hours', 'next'], path), ...edgeShape(step, ['next'], path)];
    out.push(...checkDuration(step.duration, `${path}.duration`), ...checkQuietHours(step.quiet_hours, `${path}.quiet_hours`));
    return out;
  },
  edges: (step, path) => edge(step, 'next', path),
  async run(_trx, _deps, run, step) {
    const at = new Date(Date.parse(run.now) + durationMs(step.duration));
    const quiet = step.quiet_hours as QuietHours | undefined;
    return { wait: quiet ? afterQuietHours(at, quiet, contactTimeZone(run.contact, quiet.time_zone)) : at };
  },
};
