/**
 * Preparation windows around a dosing appointment (fasting, abstinence, tasks, after-care).
 * Pure; DST-correct through luxon:
 * - `offset-hours` anchors are elapsed time on the instant timeline (6 h of fasting is 6 real
 *   hours even across a DST change);
 * - `local-time` anchors are wall-clock times in the clinic zone on a calendar day relative to
 *   the appointment's local date ("18:00 the evening before" stays 18:00 local). A wall time
 *   that does not exist on a spring-forward day is moved forward by luxon (02:30 → 03:30).
 */
import { DateTime, IANAZone } from 'luxon';
import type { ClinicProtocol, PrepAnchor, PrepItem, RouteId } from '../protocol/clinic-protocol.schema';
import type { EpochMs } from './vital-alerts';

export interface PrepWindow {
  id: string;
  label: string;
  kind: PrepItem['kind'];
  start: EpochMs;
  end: EpochMs;
  /** ISO 8601 with the clinic zone's offset, for display. */
  startLocal: string;
  endLocal: string;
  source: string;
}

export function resolvePrepAnchor(anchor: PrepAnchor, doseStart: EpochMs, zone: string): EpochMs {
  if (anchor.kind === 'offset-hours') return doseStart + Math.round(anchor.hours * 3_600_000);
  const [h, m] = anchor.time.split(':').map(Number) as [number, number];
  const day = DateTime.fromMillis(doseStart, { zone }).startOf('day').plus({ days: anchor.dayOffset });
  return day.set({ hour: h, minute: m, second: 0, millisecond: 0 }).toMillis();
}

/** Each preparation item that applies to `route`, with its window as instants. */
export function computePreparationWindows(
  protocol: ClinicProtocol,
  appointment: { doseStart: EpochMs; clinicZone: string; route: RouteId },
): PrepWindow[] {
  const zone = appointment.clinicZone;
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
  const local = (ms: EpochMs) => DateTime.fromMillis(ms, { zone }).toISO() as string;
  return protocol.preparation.items
    .filter((item) => !item.routes || item.routes.includes(appointment.route))
    .map((item) => {
      const start = resolvePrepAnchor(item.start, appointment.doseStart, zone);
      const end = resolvePrepAnchor(item.end, appointment.doseStart, zone);
      return { id: item.id, label: item.label, kind: item.kind, start, end, startLocal: local(start), endLocal: local(end), source: item.source };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

export type PrepItemStatus =
  // abstain items
  | 'upcoming'
  | 'in-effect'
  | 'confirmed'
  | 'ended-unconfirmed'
  // task items
  | 'not-yet-open'
  | 'due'
  | 'done'
  | 'overdue';

/**
 * Status of one item at `now`. `completion` is the patient's confirmation (abstain) or the
 * task being done. Windows are half-open: [start, end).
 */
export function prepItemStatus(
  window: Pick<PrepWindow, 'kind' | 'start' | 'end'>,
  now: EpochMs,
  completion: { at: EpochMs } | null,
): PrepItemStatus {
  const completed = completion !== null && completion.at <= now;
  if (window.kind === 'abstain') {
    if (completed) return 'confirmed';
    if (now < window.start) return 'upcoming';
    if (now < window.end) return 'in-effect';
    return 'ended-unconfirmed';
  }
  if (completed) return 'done';
  if (now < window.start) return 'not-yet-open';
  if (now < window.end) return 'due';
  return 'overdue';
}
