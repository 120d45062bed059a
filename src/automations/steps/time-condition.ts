import type { FieldError } from '../../errors.ts';
import { isTimeZone } from '../../lib/time.ts';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** A branch's `time` condition: local time of day within [from, to) (to < from spans midnight), on ISO weekdays (1 Monday … 7 Sunday), in a zone. */
export interface TimeCondition {
  between: [string, string];
  days?: number[];
  time_zone?: string;
}

/** Checks a `time` condition's value at `path`: between two different HH:MM, days 1 to 7 (distinct), an IANA time_zone (default UTC). */
export function checkTimeCondition(value: unknown, path: string): FieldError[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path, message: 'must be an object {between: ["09:00", "18:00"], days?, time_zone?}' }];
  const t = value as Record<string, unknown>;
  const out: FieldError[] = Object.keys(t).filter((k) => !['between', 'days', 'time_zone'].includes(k)).map((k) => ({ path: `${path}.${k}`, message: 'is not a setting of a time condition' }));
  const between = t.between;
  if (!Array.isArray(between) || between.length !== 2 || !between.every((b) => typeof b === 'string' && HHMM.test(b)) || between[0] === between[1]) {
    out.push({ path: `${path}.between`, message: 'must be two different times of day ["HH:MM", "HH:MM"]' });
  }
  if (t.days !== undefined && (!Array.isArray(t.days) || t.days.length === 0 || new Set(t.days).size !== t.days.length || !t.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7))) {
    out.push({ path: `${path}.days`, message: 'must be a list of distinct weekdays, 1 (Monday) to 7 (Sunday)' });
  }
  if (t.time_zone !== undefined && !isTimeZone(t.time_zone)) out.push({ path: `${path}.time_zone`, message: 'must be an IANA time zone (e.g. Europe/Rome, America/Montreal, UTC)' });
  return out;
}

/** True when `at` falls, in the condition's zone, on one of its days and within its hours (the start included, the end not). */
export function timeHolds(cond: TimeCondition, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: cond.time_zone ?? 'UTC', hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const time = `${get('hour')}:${get('minute')}`;
  const day = WEEKDAYS[get('weekday')];
  const [from, to] = cond.between;
  const inHours = from < to ? time >= from && time < to : time >= from || time < to;
  // a span past midnight belongs to the day it started on
  const startDay = from > to && time < to ? (day === 1 ? 7 : day - 1) : day;
  return inHours && (cond.days === undefined || cond.days.includes(startDay));
}
