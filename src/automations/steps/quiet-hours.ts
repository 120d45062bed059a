import type { ContactsTable } from '../../db/types.ts';
import type { FieldError } from '../../errors.ts';
import { parseJson } from '../../lib/json.ts';
import { instantOfWall, isTimeZone, wallTime } from '../../lib/time-zone.ts';

/** Quiet hours of a wait: local times `start` and `end` ("21:00", "08:00"; a window may span midnight) and a default zone. */
export interface QuietHours {
  start: string;
  end: string;
  time_zone?: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = 86_400_000;

function minutesOf(hhmm: string): number {
  const [, h, m] = HHMM.exec(hhmm)!;
  return Number(h) * 60 + Number(m);
}

/** Checks a step's `quiet_hours` at `path` (absent is fine): `start` and `end` as HH:MM, different, and an optional IANA `time_zone`. */
export function checkQuietHours(value: unknown, path: string): FieldError[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path, message: 'must be an object {start, end, time_zone}' }];
  const q = value as Record<string, unknown>;
  const out: FieldError[] = [];
  for (const key of Object.keys(q)) if (!['start', 'end', 'time_zone'].includes(key)) out.push({ path: `${path}.${key}`, message: 'is not a setting of quiet hours' });
  for (const key of ['start', 'end']) if (typeof q[key] !== 'string' || !HHMM.test(q[key] as string)) out.push({ path: `${path}.${key}`, message: 'must be a local time HH:MM (00:00 to 23:59)' });
  if (out.length === 0 && q.start === q.end) out.push({ path: `${path}.end`, message: 'must differ from start' });
  if (q.time_zone !== undefined && !isTimeZone(q.time_zone)) out.push({ path: `${path}.time_zone`, message: 'must be an IANA time zone (e.g. Europe/Rome, America/Montreal, UTC)' });
  return out;
}

/** The zone quiet hours are read in for a contact: its custom field `time_zone` when a valid IANA zone, else the step's, else UTC. */
export function contactTimeZone(contact: ContactsTable, fallback: string | undefined): string {
  const own = parseJson<Record<string, unknown>>(contact.custom_fields, {}).time_zone;
  if (isTimeZone(own)) return own;
  return fallback ?? 'UTC';
}

/**
 * The instant `at`, or when its local time in `zone` falls inside the quiet hours [start, end), the next `end` local
 * time (read in the zone on that day, daylight-saving changes included).
 */
export function afterQuietHours(at: Date, quiet: QuietHours, zone: string): Date {
  const wall = wallTime(zone, at.getTime());
  const midnight = Math.floor(wall / DAY) * DAY;
  const minute = (wall - midnight) / 60_000;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return at;
  const day = start > end && minute >= start ? midnight + DAY : midnight;
  return new Date(instantOfWall(zone, day + end * 60_000));
}
