/** Current time as an ISO 8601 UTC string, the format every timestamp column uses. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** ISO timestamp `ms` milliseconds from now. */
export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/** True when `zone` is an IANA time zone name this runtime knows (America/Montreal, Europe/Rome, UTC). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0);
    return true;
  } catch {
    return false;
  }
}
