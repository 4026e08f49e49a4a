import type { Kysely } from 'kysely';
import {
  DEFAULT_BOOKING_POLICY,
  type AvailabilityRule,
  type BookedAppointment,
  type BookingPolicy,
  type ComputeOpenSlotsInput,
  type OpenSlot,
  type ResourceKind,
  type ResourceRef,
  type TimeOff,
  computeOpenSlots,
} from '../../../core/scheduling/availability';
import { type IsoWeekday, instantFromIsoWithOffset, localDateOfInstant } from '../../../core/scheduling/zoned-time';
import { renderZonedIso } from './zoned-render';
import type { AvailabilityQuery, AvailabilityResponse, Slot } from '../../../core/schemas/scheduling.schema';
import type { AppointmentTypesTable, DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { SessionActor } from '../auth/auth.service';
import * as repo from './scheduling.repository';
import type { Selectable } from 'kysely';

export type AppointmentTypeRow = Selectable<AppointmentTypesTable>;

/** The longest window one availability query may span (a booking horizon is 60 days by default). */
export const MAX_QUERY_DAYS = 62;
const DAY_MS = 86_400_000;

export function requiredKindsOf(type: AppointmentTypeRow): ResourceKind[] {
  try {
    const kinds = JSON.parse(type.required_resources) as unknown;
    if (Array.isArray(kinds) && kinds.length > 0) return kinds as ResourceKind[];
  } catch {
    // fall through: a malformed row offers the clinician alone
  }
  return ['clinician'];
}

export function specOf(type: AppointmentTypeRow) {
  return {
    durationMinutes: type.duration_minutes,
    bufferBeforeMinutes: type.buffer_before_minutes,
    bufferAfterMinutes: type.buffer_after_minutes,
    slotStepMinutes: type.slot_step_minutes,
    requiredResourceKinds: requiredKindsOf(type),
  };
}

/** Parses a client instant, naming the field on failure (400, not 500). */
export function parseInstant(field: string, iso: string): number {
  try {
    return instantFromIsoWithOffset(iso);
  } catch {
    throw new AppError('validation', `${field} must be an ISO 8601 date-time with an offset, e.g. 2026-12-01T09:00:00-08:00`, { field });
  }
}

export function parseWindow(fromIso: string, toIso: string): { from: number; to: number } {
  const from = parseInstant('from', fromIso);
  const to = parseInstant('to', toIso);
  if (to <= from) throw new AppError('validation', 'to must be after from', { field: 'to' });
  if (to - from > MAX_QUERY_DAYS * DAY_MS) {
    throw new AppError('validation', `Ask for at most ${MAX_QUERY_DAYS} days at a time`, { field: 'to' });
  }
  return { from, to };
}

export async function policyOf(db: Kysely<DB>, organizationId: string): Promise<BookingPolicy> {
  const row = await repo.findBookingPolicy(db, organizationId);
  return row ? { horizonDays: row.horizon_days, minNoticeMinutes: row.min_notice_minutes } : { ...DEFAULT_BOOKING_POLICY };
}

function ruleAppliesTo(kindsJson: string | null, kind: string): boolean {
  if (kindsJson === null) return true;
  try {
    const kinds = JSON.parse(kindsJson) as unknown;
    return Array.isArray(kinds) && kinds.includes(kind);
  } catch {
    return false;
  }
}

export function toBooked(a: {
  id: string;
  status: string;
  clinician_id: string;
  room_id: string | null;
  nurse_id: string | null;
  start_at: string;
  end_at: string;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
}, roomKinds: ReadonlyMap<string, 'room' | 'chair'>): BookedAppointment {
  const resources: ResourceRef[] = [{ kind: 'clinician', id: a.clinician_id }];
  if (a.room_id) resources.push({ kind: roomKinds.get(a.room_id) ?? 'room', id: a.room_id });
  if (a.nurse_id) resources.push({ kind: 'nurse', id: a.nurse_id });
  return {
    id: a.id,
    start: Date.parse(a.start_at),
    end: Date.parse(a.end_at),
    bufferBeforeMinutes: a.buffer_before_minutes,
    bufferAfterMinutes: a.buffer_after_minutes,
    resources,
    status: a.status,
  };
}

export interface ScheduleContext {
  zone: string;
  input: Omit<ComputeOpenSlotsInput, 'from' | 'to'>;
}

/**
 * Everything the pure engine needs for one appointment type and the given clinicians,
 * between two instants: rules (only those meant for this kind), time off, holidays,
 * existing appointments of every candidate resource, and the clinic's booking policy.
 * Rooms, chairs and nurses are drawn from the clinic's active ones.
 */
export async function loadScheduleContext(
  db: Kysely<DB>,
  organization: { id: string; time_zone: string },
  type: AppointmentTypeRow,
  clinicianIds: readonly string[],
  from: number,
  to: number,
  now: number,
): Promise<ScheduleContext> {
  const zone = organization.time_zone;
  const kinds = requiredKindsOf(type);
  const candidates: Partial<Record<ResourceKind, string[]>> = { clinician: [...clinicianIds] };
  const [rooms, staff] = await Promise.all([
    kinds.some((k) => k === 'room' || k === 'chair') ? repo.listRooms(db, organization.id) : Promise.resolve([]),
    kinds.includes('nurse') ? repo.listSchedulableStaff(db, organization.id) : Promise.resolve([]),
  ]);
  const roomKinds = new Map(rooms.map((r) => [r.id, r.kind] as const));
  if (kinds.includes('room')) candidates.room = rooms.filter((r) => r.kind === 'room').map((r) => r.id);
  if (kinds.includes('chair')) candidates.chair = rooms.filter((r) => r.kind === 'chair').map((r) => r.id);
  if (kinds.includes('nurse')) candidates.nurse = staff.filter((s) => s.role === 'nurse').map((s) => s.id);

  const resourceIds = [...new Set(Object.values(candidates).flat())];
  const padFrom = new Date(Math.min(from, now) - DAY_MS).toISOString();
  const padTo = new Date(to + DAY_MS).toISOString();
  const [ruleRows, offRows, holidayRows, apptRows, policy] = await Promise.all([
    repo.findRules(db, organization.id, resourceIds),
    repo.findTimeOff(db, organization.id, resourceIds, padFrom, padTo),
    repo.findHolidays(db, organization.id, localDateOfInstant(Date.parse(padFrom), zone), localDateOfInstant(Date.parse(padTo), zone)),
    repo.findBlockingAppointments(db, organization.id, resourceIds, padFrom, padTo),
    policyOf(db, organization.id),
  ]);
  const kindOfResource = (kind: string, id: string): ResourceKind =>
    kind === 'room' || kind === 'chair' ? (roomKinds.get(id) ?? (kind as ResourceKind)) : (kind as ResourceKind);
  const rules: AvailabilityRule[] = ruleRows
    .filter((r) => ruleAppliesTo(r.appointment_kinds, type.kind))
    .map((r) => ({
      resource: { kind: kindOfResource(r.resource_kind, r.resource_id), id: r.resource_id },
      weekday: r.weekday as IsoWeekday,
      startTime: r.start_time,
      endTime: r.end_time,
      effectiveFrom: r.effective_from,
      effectiveUntil: r.effective_until,
    }));
  const timeOff: TimeOff[] = offRows.map((o) => ({
    span: 'instants',
    resource: { kind: kindOfResource(o.resource_kind, o.resource_id), id: o.resource_id },
    start: Date.parse(o.start_at),
    end: Date.parse(o.end_at),
  }));
  return {
    zone,
    input: {
      zone,
      now,
      appointmentType: specOf(type),
      candidates,
      rules,
      timeOff,
      holidays: holidayRows.map((h) => h.date),
      appointments: apptRows.map((a) => toBooked(a, roomKinds)),
      policy,
    },
  };
}

export function slotDto(slot: OpenSlot, zone: string): Slot {
  return { start: renderZonedIso(slot.start, zone), end: renderZonedIso(slot.end, zone), clinicianId: slot.resources[0]?.id ?? '' };
}

/**
 * Open slots of every candidate clinician (each on their own grid), sorted by start then
 * clinician. Rules, time off and appointments are partitioned per clinician first, so
 * each engine call sees only its clinician's rows plus the shared resources (rooms,
 * chairs, nurses): linear in the rows, not clinicians × rows.
 */
export function openSlotsPerClinician(ctx: ScheduleContext, clinicianIds: readonly string[], from: number, to: number): OpenSlot[] {
  const isClinician = (r: ResourceRef) => r.kind === 'clinician';
  const sharedRules = ctx.input.rules.filter((r) => !isClinician(r.resource));
  const sharedOff = (ctx.input.timeOff ?? []).filter((o) => !isClinician(o.resource));
  const rulesBy = new Map<string, AvailabilityRule[]>();
  for (const r of ctx.input.rules) if (isClinician(r.resource)) rulesBy.set(r.resource.id, [...(rulesBy.get(r.resource.id) ?? []), r]);
  const offBy = new Map<string, TimeOff[]>();
  for (const o of ctx.input.timeOff ?? []) if (isClinician(o.resource)) offBy.set(o.resource.id, [...(offBy.get(o.resource.id) ?? []), o]);
  // An appointment matters to a clinician's slots when it holds that clinician or a shared resource.
  const shared: BookedAppointment[] = [];
  const apptBy = new Map<string, BookedAppointment[]>();
  for (const a of ctx.input.appointments ?? []) {
    if (a.resources.some((r) => !isClinician(r))) shared.push(a);
    else for (const r of a.resources) {
      const list = apptBy.get(r.id);
      if (list) list.push(a);
      else apptBy.set(r.id, [a]);
    }
  }
  const all: OpenSlot[] = [];
  for (const id of clinicianIds) {
    const slots = computeOpenSlots({
      ...ctx.input,
      candidates: { ...ctx.input.candidates, clinician: [id] },
      rules: [...sharedRules, ...(rulesBy.get(id) ?? [])],
      timeOff: [...sharedOff, ...(offBy.get(id) ?? [])],
      appointments: [...shared, ...(apptBy.get(id) ?? [])],
      from,
      to,
    });
    all.push(...slots);
  }
  return all.sort((a, b) => a.start - b.start || (a.resources[0]!.id < b.resources[0]!.id ? -1 : 1));
}

export async function resolveAppointmentType(db: Kysely<DB>, organizationId: string, idOrKind: string): Promise<AppointmentTypeRow> {
  const type = await repo.findAppointmentType(db, organizationId, idOrKind);
  if (!type) throw new AppError('validation', 'No such appointment type at this clinic', { field: 'appointmentType' });
  return type;
}

/** `GET /api/availability`: staff see open slots of one or all clinicians for an appointment type. */
export async function getAvailability(deps: Deps, actor: SessionActor, query: AvailabilityQuery): Promise<AvailabilityResponse> {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Patients book through the clinic');
  const { from, to } = parseWindow(query.from, query.to);
  const org = await repo.findOrganization(deps.db, actor.organizationId);
  if (!org) throw new AppError('not_found', 'Clinic not found');
  const type = await resolveAppointmentType(deps.db, org.id, query.appointmentType);
  let clinicianIds: string[];
  if (query.clinicianId) {
    const u = await repo.findStaffUser(deps.db, query.clinicianId);
    if (!u || u.organization_id !== org.id || u.active !== 1) {
      throw new AppError('validation', 'No such clinician at this clinic', { field: 'clinicianId' });
    }
    clinicianIds = [u.id];
  } else {
    clinicianIds = await repo.findClinicianIdsWithRules(deps.db, org.id);
  }
  const ctx = await loadScheduleContext(deps.db, org, type, clinicianIds, from, to, deps.now().getTime());
  const slots = openSlotsPerClinician(ctx, clinicianIds, from, to);
  return {
    timeZone: org.time_zone,
    appointmentType: { id: type.id, kind: type.kind, name: type.name, durationMinutes: type.duration_minutes },
    slots: slots.map((s) => slotDto(s, org.time_zone)),
  };
}
