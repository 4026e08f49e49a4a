/** Showing instants in a named zone for scheduling pages (the clinic's, or the visitor's own). */

export function visitorZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "Tue 1 Dec" style day label of an instant in a zone. */
export function dayLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(iso));
}

/** YYYY-MM-DD of an instant in a zone. */
export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** "9:00 AM" in a zone. */
export function timeLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "PST" style abbreviation of a zone at an instant. */
export function zoneAbbrev(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** Full "Tuesday, December 1, 2026 at 9:00 AM PST". */
export function fullWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso)) + ` ${zoneAbbrev(iso, timeZone)}`;
}

/** The UTC offset ("-08:00") of a zone at an instant. */
export function offsetAt(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(instant);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/**
 * The instant of a clinic-local date and time ("2026-12-01", "09:00") as ISO with offset.
 * Tries the offsets in force around that day so DST days resolve to the reading that exists.
 */
export function localToIso(date: string, time: string, timeZone: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  for (const probe of [guess, new Date(guess.getTime() + 12 * 3_600_000), new Date(guess.getTime() - 12 * 3_600_000)]) {
    const off = offsetAt(probe, timeZone);
    const iso = `${date}T${time}:00${off}`;
    const back = new Date(iso);
    if (dayKey(back.toISOString(), timeZone) === date && timeLabel(back.toISOString(), timeZone) === timeLabel(`1970-01-01T${time}:00Z`, 'UTC')) return iso;
  }
  return `${date}T${time}:00${offsetAt(guess, timeZone)}`;
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
