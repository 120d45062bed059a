import { instantOfWall, wallTime } from '../../lib/time-zone.ts';
import type { DateOffset } from '../trigger-check.ts';

/** A date-only value (a contact date field, or event data without a time). */
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;
const UNIT_MS: Record<DateOffset['unit'], number> = { minutes: 60_000, hours: 3_600_000, days: DAY_MS };

/** When a date trigger fires relative to its date: the offset, the local time of day, the zone. */
export interface FireRule {
  offset?: DateOffset;
  at?: string;
  zone: string;
}

/** The local calendar date (YYYY-MM-DD) and time (HH:MM) of an instant in `zone`. */
export function localParts(instant: number, zone: string): { date: string; time: string } {
  const wall = new Date(wallTime(zone, instant)).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The instant of a local date and time (HH:MM) in `zone` (a time skipped by a daylight-saving change moves forward by the gap). */
export function instantAt(date: string, time: string, zone: string): number {
  return instantOfWall(zone, Date.parse(`${date}T${time}:00Z`));
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** True when YYYY-MM-DD names a real calendar date. */
export function isRealDate(date: string): boolean {
  return DATE_ONLY.test(date) && new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) === date;
}

/**
 * The instant a date trigger fires for a date value: a date-only value is local midnight in the zone, a date-time
 * (with an offset) its instant; then shifted by the offset (days are calendar days in the zone, hours and minutes
 * exact), then set to the local time `at` of the day it lands on. Null when the value is not a date.
 */
export function fireInstant(value: unknown, rule: FireRule): number | null {
  if (typeof value !== 'string') return null;
  let instant: number;
  if (DATE_ONLY.test(value)) {
    if (!isRealDate(value)) return null;
    instant = instantAt(value, '00:00', rule.zone);
  } else if (DATE_TIME.test(value)) {
    instant = Date.parse(value);
    if (Number.isNaN(instant)) return null;
  } else return null;
  if (rule.offset && rule.offset.value > 0) {
    const sign = rule.offset.direction === 'before' ? -1 : 1;
    if (rule.offset.unit === 'days') {
      const local = localParts(instant, rule.zone);
      const remainder = instant - instantAt(local.date, local.time, rule.zone);
      instant = instantAt(addDays(local.date, sign * rule.offset.value), local.time, rule.zone) + remainder;
    } else instant += sign * rule.offset.value * UNIT_MS[rule.offset.unit];
  }
  if (rule.at !== undefined) instant = instantAt(localParts(instant, rule.zone).date, rule.at, rule.zone);
  return instant;
}

/** A yearly date's occurrence in `year` (29 February falls on the 28th in other years). */
export function occurrenceIn(date: string, year: number): string {
  const monthDay = date.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${String(year).padStart(4, '0')}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}

/** The signed offset in whole days, rounded (how far the fire date is from the source date). */
export function offsetDays(offset: DateOffset | undefined): number {
  if (!offset) return 0;
  return Math.round((offset.direction === 'before' ? -1 : 1) * offset.value * UNIT_MS[offset.unit] / DAY_MS);
}
