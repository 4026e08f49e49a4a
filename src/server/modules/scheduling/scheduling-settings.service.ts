import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isClinicalRole } from '../../../core/access/roles';
import {
  type SettingsProblem,
  dayNumberOrNull,
  validateAppointmentType,
  validateBookingPolicy,
  validateDateRange,
  validateWeeklyRules,
} from '../../../core/scheduling/settings-validation';
import { instantOfLocalDateTime, localDayFacts, requireValidZone } from '../../../core/scheduling/zoned-time';
import type {
  AppointmentTypeBody,
  AppointmentTypePatchBody,
  BookingPolicyBody,
  HolidayBody,
  ResourceAvailability,
  RoomBody,
  RoomPatchBody,
  SchedulingSettings,
  SettingsResourceKind,
  TimeOffBody,
  WeeklyRulesBody,
} from '../../../core/schemas/scheduling-settings.schema';
import type { AppointmentTypesTable, DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { policyOf, requiredKindsOf } from './availability.service';
import { renderZonedIso } from './zoned-render';
import * as repo from './scheduling.repository';
import * as settingsRepo from './scheduling-settings.repository';
import type { Updateable } from 'kysely';

/*
 * Editing what availability is computed from. Clinic-wide settings (rooms and chairs,
 * appointment types, holidays, booking policy, anyone's hours) belong to clinic admins;
 * a clinician or nurse edits their own weekly hours and time off; every staff member may
 * read them (front desk books against them). Each change runs in one transaction and is
 * audited by reference (ids and field names, never free text). Availability reads these
 * tables on every request, so a change shows in `GET /api/availability` and on the public
 * booking page at once.
 */

const DAY_MS = 86_400_000;

function fail(p: SettingsProblem | null): void {
  if (p) throw new AppError('validation', p.message, { field: p.field });
}

function requireStaff(actor: SessionActor): void {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Only clinic staff can see scheduling settings');
}

function requireAdmin(actor: SessionActor): void {
  if (actor.role !== 'clinic_admin') throw new AppError('forbidden', 'Only a clinic admin can change clinic-wide scheduling settings');
}

function canEditResource(actor: SessionActor, kind: SettingsResourceKind, id: string): boolean {
  if (actor.role === 'clinic_admin') return true;
  return (kind === 'clinician' || kind === 'nurse') && isClinicalRole(actor.role) && actor.userId === id;
}

async function clinic(db: Kysely<DB>, organizationId: string) {
  const org = await repo.findOrganization(db, organizationId);
  if (!org) throw new AppError('not_found', 'Clinic not found');
  return org;
}

function audit(deps: Deps, actor: SessionActor, meta: RequestMeta, resource: string, action: string, detail: Record<string, unknown>) {
  return deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource,
    action,
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
}

/** The resource a path names, in the caller's clinic (404 otherwise, so ids of other clinics reveal nothing). */
async function resourceOf(db: Kysely<DB>, organizationId: string, kind: SettingsResourceKind, id: string): Promise<{ name: string }> {
  if (kind === 'room' || kind === 'chair') {
    const room = await repo.findRoom(db, organizationId, id);
    if (!room || room.kind !== kind) throw new AppError('not_found', `No such ${kind} at this clinic`);
    return { name: room.name };
  }
  const user = await repo.findStaffUser(db, id);
  if (!user || user.organization_id !== organizationId || !isClinicalRole(user.role)) throw new AppError('not_found', 'No such clinician at this clinic');
  if (kind === 'nurse' && user.role !== 'nurse') throw new AppError('not_found', 'No such nurse at this clinic');
  return { name: user.display_name };
}

// ---- clinic-wide settings ----

export async function getSettings(deps: Deps, actor: SessionActor): Promise<SchedulingSettings> {
  requireStaff(actor);
  const org = await clinic(deps.db, actor.organizationId);
  const [rooms, types, holidays, policy, staff] = await Promise.all([
    settingsRepo.listAllRooms(deps.db, org.id),
    settingsRepo.listAllAppointmentTypes(deps.db, org.id),
    settingsRepo.listHolidays(deps.db, org.id),
    policyOf(deps.db, org.id),
    repo.listSchedulableStaff(deps.db, org.id),
  ]);
  return {
    timeZone: org.time_zone,
    canEdit: actor.role === 'clinic_admin',
    rooms: rooms.map((r) => ({ id: r.id, kind: r.kind, name: r.name, active: r.active === 1 })),
    appointmentTypes: types.map((t) => ({
      id: t.id,
      kind: t.kind,
      name: t.name,
      durationMinutes: t.duration_minutes,
      bufferBeforeMinutes: t.buffer_before_minutes,
      bufferAfterMinutes: t.buffer_after_minutes,
      slotStepMinutes: t.slot_step_minutes,
      requiredResources: requiredKindsOf(t),
      publicBookable: t.public_bookable === 1,
      active: t.active === 1,
    })),
    holidays: holidays.map((h) => ({ id: h.id, date: h.date, name: h.name })),
    policy,
    staff: staff.map((s) => ({ id: s.id, displayName: s.display_name, role: s.role })),
  };
}

export async function createRoom(deps: Deps, actor: SessionActor, body: RoomBody, meta: RequestMeta) {
  requireAdmin(actor);
  const name = body.name.trim();
  if (!name) throw new AppError('validation', 'Give the room or chair a name', { field: 'name' });
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const clash = (await settingsRepo.listAllRooms(trx, actor.organizationId)).find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new AppError('conflict', `There is already a ${clash.kind} named ${clash.name}`, { field: 'name' });
    await settingsRepo.insertRoom(trx, { id, organization_id: actor.organizationId, kind: body.kind, name, active: 1, created_at: deps.now().toISOString() });
  });
  await audit(deps, actor, meta, 'scheduling.room', 'create', { roomId: id, kind: body.kind });
  return getSettings(deps, actor);
}

export async function updateRoom(deps: Deps, actor: SessionActor, id: string, body: RoomPatchBody, meta: RequestMeta) {
  requireAdmin(actor);
  await deps.db.transaction().execute(async (trx) => {
    const room = await repo.findRoom(trx, actor.organizationId, id);
    if (!room) throw new AppError('not_found', 'No such room or chair at this clinic');
    const name = body.name?.trim();
    if (body.name !== undefined && !name) throw new AppError('validation', 'Give the room or chair a name', { field: 'name' });
    await settingsRepo.updateRoom(trx, id, { ...(name ? { name } : {}), ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}) });
  });
  await audit(deps, actor, meta, 'scheduling.room', 'update', { roomId: id, fields: Object.keys(body) });
  return getSettings(deps, actor);
}

function typeProblem(t: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; slotStepMinutes: number; requiredResources: string[] }) {
  fail(validateAppointmentType(t));
}

export async function createAppointmentType(deps: Deps, actor: SessionActor, body: AppointmentTypeBody, meta: RequestMeta) {
  requireAdmin(actor);
  typeProblem(body);
  const name = body.name.trim();
  if (!name) throw new AppError('validation', 'Give the appointment type a name', { field: 'name' });
  if (body.publicBookable && body.kind !== 'consultation') {
    throw new AppError('validation', 'Only free consultations can be booked by visitors without an account', { field: 'publicBookable' });
  }
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await settingsRepo.insertAppointmentType(trx, {
      id,
      organization_id: actor.organizationId,
      kind: body.kind,
      name,
      duration_minutes: body.durationMinutes,
      buffer_before_minutes: body.bufferBeforeMinutes,
      buffer_after_minutes: body.bufferAfterMinutes,
      slot_step_minutes: body.slotStepMinutes,
      required_resources: JSON.stringify(body.requiredResources),
      public_bookable: body.publicBookable ? 1 : 0,
      active: 1,
      created_at: deps.now().toISOString(),
    });
  });
  await audit(deps, actor, meta, 'scheduling.appointment_type', 'create', { appointmentTypeId: id, kind: body.kind });
  return getSettings(deps, actor);
}

export async function updateAppointmentType(deps: Deps, actor: SessionActor, id: string, body: AppointmentTypePatchBody, meta: RequestMeta) {
  requireAdmin(actor);
  await deps.db.transaction().execute(async (trx) => {
    const current = await settingsRepo.findAppointmentTypeById(trx, actor.organizationId, id);
    if (!current) throw new AppError('not_found', 'No such appointment type at this clinic');
    const merged = {
      durationMinutes: body.durationMinutes ?? current.duration_minutes,
      bufferBeforeMinutes: body.bufferBeforeMinutes ?? current.buffer_before_minutes,
      bufferAfterMinutes: body.bufferAfterMinutes ?? current.buffer_after_minutes,
      slotStepMinutes: body.slotStepMinutes ?? current.slot_step_minutes,
      requiredResources: body.requiredResources ?? requiredKindsOf(current),
    };
    typeProblem(merged);
    if (body.publicBookable && current.kind !== 'consultation') {
      throw new AppError('validation', 'Only free consultations can be booked by visitors without an account', { field: 'publicBookable' });
    }
    const name = body.name?.trim();
    if (body.name !== undefined && !name) throw new AppError('validation', 'Give the appointment type a name', { field: 'name' });
    const changes: Updateable<AppointmentTypesTable> = {
      duration_minutes: merged.durationMinutes,
      buffer_before_minutes: merged.bufferBeforeMinutes,
      buffer_after_minutes: merged.bufferAfterMinutes,
      slot_step_minutes: merged.slotStepMinutes,
      required_resources: JSON.stringify(merged.requiredResources),
    };
    if (name) changes.name = name;
    if (body.publicBookable !== undefined) changes.public_bookable = body.publicBookable ? 1 : 0;
    if (body.active !== undefined) changes.active = body.active ? 1 : 0;
    await settingsRepo.updateAppointmentType(trx, id, changes);
  });
  await audit(deps, actor, meta, 'scheduling.appointment_type', 'update', { appointmentTypeId: id, fields: Object.keys(body) });
  return getSettings(deps, actor);
}

export async function addHoliday(deps: Deps, actor: SessionActor, body: HolidayBody, meta: RequestMeta) {
  requireAdmin(actor);
  if (dayNumberOrNull(body.date) === null) throw new AppError('validation', 'date must be a real date YYYY-MM-DD', { field: 'date' });
  const name = body.name.trim();
  if (!name) throw new AppError('validation', 'Give the holiday a name', { field: 'name' });
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    if (await settingsRepo.findHolidayByDate(trx, actor.organizationId, body.date)) {
      throw new AppError('conflict', `${body.date} is already a clinic holiday`, { field: 'date' });
    }
    await settingsRepo.insertHoliday(trx, { id, organization_id: actor.organizationId, date: body.date, name, created_at: deps.now().toISOString() });
  });
  await audit(deps, actor, meta, 'scheduling.holiday', 'create', { holidayId: id, date: body.date });
  return getSettings(deps, actor);
}

export async function removeHoliday(deps: Deps, actor: SessionActor, id: string, meta: RequestMeta) {
  requireAdmin(actor);
  const holiday = await deps.db.transaction().execute(async (trx) => {
    const h = await settingsRepo.findHoliday(trx, actor.organizationId, id);
    if (!h) throw new AppError('not_found', 'No such holiday at this clinic');
    await settingsRepo.deleteHoliday(trx, id);
    return h;
  });
  await audit(deps, actor, meta, 'scheduling.holiday', 'delete', { holidayId: id, date: holiday.date });
  return getSettings(deps, actor);
}

export async function setBookingPolicy(deps: Deps, actor: SessionActor, body: BookingPolicyBody, meta: RequestMeta) {
  requireAdmin(actor);
  fail(validateBookingPolicy(body));
  await deps.db.transaction().execute((trx) =>
    settingsRepo.upsertBookingPolicy(trx, actor.organizationId, body.horizonDays, body.minNoticeMinutes, deps.now().toISOString()),
  );
  await audit(deps, actor, meta, 'scheduling.booking_policy', 'update', { horizonDays: body.horizonDays, minNoticeMinutes: body.minNoticeMinutes });
  return getSettings(deps, actor);
}

// ---- one resource's weekly hours and time off ----

export async function getResourceAvailability(deps: Deps, actor: SessionActor, kind: SettingsResourceKind, id: string): Promise<ResourceAvailability> {
  requireStaff(actor);
  const org = await clinic(deps.db, actor.organizationId);
  const resource = await resourceOf(deps.db, org.id, kind, id);
  const since = new Date(deps.now().getTime() - 30 * DAY_MS).toISOString();
  const [rules, off] = await Promise.all([
    settingsRepo.listRulesOf(deps.db, org.id, id),
    settingsRepo.listTimeOffOf(deps.db, org.id, id, since),
  ]);
  return {
    timeZone: org.time_zone,
    resource: { kind, id, name: resource.name },
    canEdit: canEditResource(actor, kind, id),
    rules: rules.map((r) => ({
      weekday: r.weekday,
      startTime: r.start_time,
      endTime: r.end_time,
      effectiveFrom: r.effective_from,
      effectiveUntil: r.effective_until,
      appointmentKinds: r.appointment_kinds ? (JSON.parse(r.appointment_kinds) as string[]) : null,
    })),
    timeOff: off.map((o) => ({
      id: o.id,
      start: renderZonedIso(Date.parse(o.start_at), org.time_zone),
      end: renderZonedIso(Date.parse(o.end_at), org.time_zone),
      label: o.label,
    })),
  };
}

function requireEditor(actor: SessionActor, kind: SettingsResourceKind, id: string): void {
  requireStaff(actor);
  if (!canEditResource(actor, kind, id)) {
    throw new AppError('forbidden', actor.role === 'front_desk' ? 'Front desk can read hours; a clinic admin changes them' : 'You can change only your own hours and time off');
  }
}

/** Replaces the whole weekly rule set of a resource (what the hours editor saves). */
export async function setWeeklyRules(deps: Deps, actor: SessionActor, kind: SettingsResourceKind, id: string, body: WeeklyRulesBody, meta: RequestMeta) {
  requireEditor(actor, kind, id);
  fail(validateWeeklyRules(body.rules));
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await resourceOf(trx, actor.organizationId, kind, id);
    await settingsRepo.replaceRules(
      trx,
      actor.organizationId,
      id,
      body.rules.map((r) => ({
        id: randomUUID(),
        organization_id: actor.organizationId,
        resource_kind: kind,
        resource_id: id,
        weekday: r.weekday,
        start_time: r.startTime,
        end_time: r.endTime,
        effective_from: r.effectiveFrom ?? null,
        effective_until: r.effectiveUntil ?? null,
        appointment_kinds: r.appointmentKinds ? JSON.stringify(r.appointmentKinds) : null,
        created_at: at,
      })),
    );
  });
  await audit(deps, actor, meta, 'scheduling.availability_rules', 'replace', { resourceKind: kind, resourceId: id, rules: body.rules.length });
  return getResourceAvailability(deps, actor, kind, id);
}

/**
 * Time off as whole local days (fromDate … toDate, midnight to midnight in the clinic's
 * zone, so a 23- or 25-hour DST day is covered whole) or, with startTime and endTime, from
 * startTime on fromDate to endTime on toDate.
 */
export async function addTimeOff(deps: Deps, actor: SessionActor, kind: SettingsResourceKind, id: string, body: TimeOffBody, meta: RequestMeta) {
  requireEditor(actor, kind, id);
  fail(validateDateRange(body.fromDate, body.toDate));
  const org = await clinic(deps.db, actor.organizationId);
  const zone = requireValidZone(org.time_zone);
  if ((body.startTime === undefined) !== (body.endTime === undefined)) {
    const field = body.startTime === undefined ? 'startTime' : 'endTime';
    throw new AppError('validation', 'Give both a start and an end time, or neither for whole days', { field });
  }
  let start: number;
  let end: number;
  if (body.startTime !== undefined && body.endTime !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(body.startTime)) throw new AppError('validation', 'startTime must be a time HH:mm', { field: 'startTime' });
    if (!/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(body.endTime)) throw new AppError('validation', 'endTime must be a time HH:mm', { field: 'endTime' });
    start = instantOfLocalDateTime(body.fromDate, body.startTime, zone);
    end = instantOfLocalDateTime(body.toDate, body.endTime, zone);
  } else {
    start = localDayFacts(dayNumberOrNull(body.fromDate)!, zone).start;
    end = localDayFacts(dayNumberOrNull(body.toDate)! + 1, zone).start;
  }
  if (end <= start) throw new AppError('validation', 'The time off must end after it starts', { field: 'endTime' });
  const offId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await resourceOf(trx, org.id, kind, id);
    await settingsRepo.insertTimeOff(trx, {
      id: offId,
      organization_id: org.id,
      resource_kind: kind,
      resource_id: id,
      start_at: new Date(start).toISOString(),
      end_at: new Date(end).toISOString(),
      label: body.label?.trim() ? body.label.trim() : null,
      created_by: actor.userId,
      created_at: deps.now().toISOString(),
    });
  });
  await audit(deps, actor, meta, 'scheduling.time_off', 'create', { timeOffId: offId, resourceKind: kind, resourceId: id });
  return getResourceAvailability(deps, actor, kind, id);
}

export async function removeTimeOff(deps: Deps, actor: SessionActor, timeOffId: string, meta: RequestMeta) {
  requireStaff(actor);
  const row = await deps.db.transaction().execute(async (trx) => {
    const off = await settingsRepo.findTimeOffById(trx, timeOffId);
    if (!off || off.organization_id !== actor.organizationId) throw new AppError('not_found', 'No such time off');
    requireEditor(actor, off.resource_kind, off.resource_id);
    await settingsRepo.deleteTimeOff(trx, timeOffId);
    return off;
  });
  await audit(deps, actor, meta, 'scheduling.time_off', 'delete', { timeOffId, resourceKind: row.resource_kind, resourceId: row.resource_id });
  return getResourceAvailability(deps, actor, row.resource_kind, row.resource_id);
}
