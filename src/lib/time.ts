/** Current time as an ISO 8601 UTC string, the format every timestamp column uses. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** ISO timestamp `ms` milliseconds from now. */
export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export { isTimeZone } from './time-zone.ts';
