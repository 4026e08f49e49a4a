import { IANAZone } from 'luxon';
import { toZonedIso } from '../../../core/scheduling/zoned-time';

const zones = new Map<string, IANAZone>();
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `toZonedIso` for whole-second instants, about 10× faster: one zone-offset lookup and
 * string arithmetic instead of building a luxon DateTime per slot (a 60-day availability
 * answer renders tens of thousands of instants). Same output; other instants fall back.
 */
export function renderZonedIso(instant: number, zone: string): string {
  if (instant % 1000 !== 0 || !Number.isFinite(instant)) return toZonedIso(instant, zone);
  let z = zones.get(zone);
  if (!z) {
    z = IANAZone.create(zone);
    if (!z.isValid) return toZonedIso(instant, zone);
    zones.set(zone, z);
  }
  const offset = z.offset(instant);
  const d = new Date(instant + offset * 60_000);
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return toZonedIso(instant, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
