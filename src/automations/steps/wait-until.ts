import type { FieldError } from '../../errors.ts';
import { parseJson } from '../../lib/json.ts';
import { fieldValue } from './branch.ts';
import { checkDuration, durationMs } from './duration.ts';
import { afterQuietHours, checkQuietHours, contactTimeZone, type QuietHours } from './quiet-hours.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

const AT = /^(trigger|vars)(\.[A-Za-z0-9_-]+)+$|^contact\.custom_fields\.[A-Za-z0-9_-]+$/;

const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * The instant a `wait_until` value names: an ISO 8601 date-time (UTC when it has no offset), a date (its midnight
 * UTC) or epoch milliseconds; null otherwise.
 */
export function instantOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const parts = typeof value === 'string' ? TIME.exec(value) : null;
  if (!parts) return null;
  const [, date, time, zone] = parts;
  const day = Date.parse(date);
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) return null;
  const ms = Date.parse(time === undefined ? date : `${date}T${time}${zone ?? 'Z'}`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * `wait_until`: waits until the time `at` names (`trigger.<path>`, `vars.<path>` or `contact.custom_fields.<key>`)
 * moved by `offset` (e.g. {hours: -24}); with `quiet_hours` a time inside them moves to their end in the contact's
 * time zone. A time already past goes on at once: along `past` when set, else along `next` (after quiet hours). A
 * value that is missing or not a time fails the run (`invalid_time: <at>`).
 */
export const waitUntilStep: StepKind = {
  waits: true,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['at', 'offset', 'quiet_hours', 'next', 'past'], path), ...edgeShape(step, ['next', 'past'], path)];
    if (typeof step.at !== 'string' || !AT.test(step.at)) out.push({ path: `${path}.at`, message: 'must be trigger.<path>, vars.<path> or contact.custom_fields.<key>' });
    if (step.offset !== undefined) out.push(...checkDuration(step.offset, `${path}.offset`, true));
    out.push(...checkQuietHours(step.quiet_hours, `${path}.quiet_hours`));
    return out;
  },
  edges: (step, path) => [...edge(step, 'next', path), ...edge(step, 'past', path)],
  async run(_trx, _deps, run, step) {
    const at = instantOf(fieldValue(step.at as string, parseJson(run.row.data, {}), parseJson(run.row.variables, {}), run.contact));
    if (at === null) return { end: 'failed', reason: `invalid_time: ${step.at as string}` };
    const now = Date.parse(run.now);
    let target = at + (step.offset === undefined ? 0 : durationMs(step.offset));
    if (target <= now) {
      if (typeof step.past === 'string') return { edge: 'past' };
      target = now;
    }
    const quiet = step.quiet_hours as QuietHours | undefined;
    const until = quiet ? afterQuietHours(new Date(target), quiet, contactTimeZone(run.contact, quiet.time_zone)) : new Date(target);
    return until.getTime() <= now ? { edge: 'next' } : { wait: until };
  },
};
