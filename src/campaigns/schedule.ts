import { invalidField } from '../errors.ts';
import { instantOfWall, isTimeZone } from '../lib/time-zone.ts';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Checks an IANA time zone name (400 naming body.time_zone when unknown) and returns it. */
export function checkTimeZone(zone: string): string {
  if (isTimeZone(zone)) return zone;
  throw invalidField('body.time_zone', `"${zone}" is not an IANA time zone (e.g. America/Montreal, Europe/Rome, UTC)`);
}

/**
 * The instant (ISO UTC) of a schedule: `sendAt` with an offset (`2030-01-15T09:00:00-05:00`, `…Z`) is taken as
 * is; a local wall time (`2030-01-15T09:00`) is read in `timeZone` (required then). A wall time skipped by a
 * daylight-saving change moves forward by the gap. 400s name body.send_at or body.time_zone.
 */
export function resolveSendAt(sendAt: string, timeZone: string | undefined): { at: string; timeZone: string | null } {
  const zone = timeZone === undefined ? null : checkTimeZone(timeZone);
  if (WITH_OFFSET.test(sendAt)) {
    const ms = Date.parse(sendAt);
    if (Number.isNaN(ms)) throw invalidField('body.send_at', 'is not a valid date-time');
    return { at: new Date(ms).toISOString(), timeZone: zone };
  }
  const local = LOCAL.exec(sendAt);
  if (!local) throw invalidField('body.send_at', 'must be an ISO 8601 date-time with an offset (2030-01-15T14:00:00Z) or a local time (2030-01-15T09:00) with time_zone');
  if (zone === null) throw invalidField('body.time_zone', 'is required when send_at is a local time without an offset');
  const [, y, mo, d, h, mi, s] = local.map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) throw invalidField('body.send_at', 'is not a valid date-time');
  return { at: new Date(instantOfWall(zone, wall)).toISOString(), timeZone: zone };
}
