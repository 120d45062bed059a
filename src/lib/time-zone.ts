// Wall clocks of IANA time zones, from the platform's Intl data (no library needed).

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    if (formats.size > 1000) formats.clear();
    formats.set(zone, format);
  }
  return format;
}

/** True when `zone` is an IANA time zone name the platform knows (Europe/Rome, America/Montreal, UTC). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `zone` at `instant`, as the UTC milliseconds of the same calendar date and time (seconds kept). */
export function wallTime(zone: string, instant: number): number {
  const parts = formatOf(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) + (((instant % 1000) + 1000) % 1000);
}

/**
 * The instant at which the wall clock of `zone` shows `wall` (UTC milliseconds of a calendar date and time); a wall
 * time skipped by a daylight-saving change moves forward by the gap, a repeated one is its first occurrence.
 */
export function instantOfWall(zone: string, wall: number): number {
  // the zone's offsets a day before and a day after: a change of offset near `wall` lies between them
  const before = wallTime(zone, wall - 86_400_000) - (wall - 86_400_000);
  const after = wallTime(zone, wall + 86_400_000) - (wall + 86_400_000);
  const fits = [wall - before, wall - after].filter((c) => wallTime(zone, c) === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}
