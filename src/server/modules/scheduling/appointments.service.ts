import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { decidePatientAccess } from '../../../core/access/policy';
import { isClinicalRole } from '../../../core/access/roles';
import type { ResourceRef } from '../../../core/scheduling/availability';
import {
  type AppointmentStatusValue,
  canTransitionAppointment,
  isMovableAppointmentStatus,
} from '../../../core/scheduling/appointment-status';
import { describeConflict, findConflicts } from '../../../core/scheduling/conflicts';
import { intervalsOverlap } from '../../../core/scheduling/intervals';
import { toZonedIso } from '../../../core/scheduling/zoned-time';
import type {
  Appointment,
  AppointmentList,
  AppointmentListQuery,
  CreateAppointmentBody,
  SchedulingSetup,
  UpdateAppointmentBody,
} from '../../../core/schemas/scheduling.schema';
import type { AppointmentsTable, DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { assertEligibleForDosing } from '../eligibility/dosing-eligibility';
import { parseInstant, parseWindow, policyOf, requiredKindsOf, resolveAppointmentType, toBooked } from './availability.service';
import { enqueueVisitorNoticeOfStaffChange } from './consultations.service';
import * as repo from './scheduling.repository';
import type { Updateable } from 'kysely';

type View = NonNullable<Awaited<ReturnType<typeof repo.findAppointmentView>>>;

function nameOf(v: View): string | null {
  if (!v.legal_given_name) return null;
  return `${v.preferred_name ?? v.legal_given_name} ${v.legal_family_name ?? ''}`.trim();
}

export function toAppointmentDto(v: View, zone: string, showPatient: boolean): Appointment {
  return {
    id: v.id,
    kind: v.kind,
    status: v.status,
    cancelReason: v.cancel_reason,
    start: toZonedIso(Date.parse(v.start_at), zone),
    end: toZonedIso(Date.parse(v.end_at), zone),
    bufferBeforeMinutes: v.buffer_before_minutes,
    bufferAfterMinutes: v.buffer_after_minutes,
    clinicianId: v.clinician_id,
    clinicianName: v.clinician_name,
    roomId: v.room_id,
    roomName: v.room_name,
    nurseId: v.nurse_id,
    patientId: showPatient ? v.patient_id : null,
    patientName: showPatient ? nameOf(v) : null,
    consultationRequestId: v.consultation_request_id,
    visitorName: showPatient ? v.visitor_name : null,
    appointmentTypeId: v.appointment_type_id,
  };
}

function requireStaff(actor: SessionActor): void {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Only clinic staff can change the schedule');
}

async function clinicOf(db: Kysely<DB>, organizationId: string) {
  const org = await repo.findOrganization(db, organizationId);
  if (!org) throw new AppError('not_found', 'Clinic not found');
  return org;
}

export async function getSetup(deps: Deps, actor: SessionActor): Promise<SchedulingSetup> {
  requireStaff(actor);
  const org = await clinicOf(deps.db, actor.organizationId);
  const [types, rooms, staff, policy] = await Promise.all([
    repo.listAppointmentTypes(deps.db, org.id),
    repo.listRooms(deps.db, org.id),
    repo.listSchedulableStaff(deps.db, org.id),
    policyOf(deps.db, org.id),
  ]);
  return {
    timeZone: org.time_zone,
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
    })),
    rooms: rooms.map((r) => ({ id: r.id, kind: r.kind, name: r.name })),
    clinicians: staff.map((s) => ({ id: s.id, displayName: s.display_name, role: s.role })),
    policy,
  };
}

/**
 * Calendar listing. Patients see their own; front desk and admins see everyone's;
 * clinicians see every slot, but who it is only for their care team's patients (the
 * others show as busy). One audit row per patient whose appointment is shown.
 */
export async function listAppointments(deps: Deps, actor: SessionActor, query: AppointmentListQuery, meta: RequestMeta): Promise<AppointmentList> {
  const { from, to } = parseWindow(query.from, query.to);
  const org = await clinicOf(deps.db, actor.organizationId);
  const search: repo.AppointmentSearch = {
    organizationId: org.id,
    fromIso: new Date(from).toISOString(),
    toIso: new Date(to).toISOString(),
    includeCancelled: query.includeCancelled ?? false,
    ...(query.clinicianId ? { clinicianId: query.clinicianId } : {}),
    ...(query.roomId ? { roomId: query.roomId } : {}),
  };
  const patientId = actor.role === 'patient' ? actor.patientId : query.patientId;
  if (actor.role === 'patient' && !patientId) throw new AppError('forbidden', 'This account has no patient record');
  if (patientId) {
    return withPatientAccess(deps, actor, patientId, 'schedule', 'read', meta, async () => {
      const rows = await repo.searchAppointments(deps.db, { ...search, patientId });
      return { timeZone: org.time_zone, items: rows.map((r) => toAppointmentDto(r, org.time_zone, true)) };
    });
  }
  const rows = await repo.searchAppointments(deps.db, search);
  const patientIds = [...new Set(rows.map((r) => r.patient_id).filter((p): p is string => p !== null))];
  let visible: Set<string>;
  if (isClinicalRole(actor.role)) {
    const reachable = await repo.findAccessiblePatientIds(deps.db, actor.userId, patientIds, deps.now().toISOString());
    visible = new Set(
      patientIds.filter(
        (id) =>
          decidePatientAccess(actor, 'schedule', 'read', {
            patientId: id,
            patientOrganizationId: org.id,
            actorOnCareTeam: reachable.has(id),
            breakGlassActive: reachable.has(id),
          }).allowed,
      ),
    );
  } else {
    visible = new Set(patientIds);
  }
  await Promise.all(
    [...visible].map((id) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: id,
        resource: 'patient.schedule',
        action: 'list',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
      }),
    ),
  );
  return {
    timeZone: org.time_zone,
    items: rows.map((r) => toAppointmentDto(r, org.time_zone, r.patient_id === null ? actor.role !== 'patient' : visible.has(r.patient_id))),
  };
}

async function assertStaffResource(db: Kysely<DB>, organizationId: string, id: string, field: string, nurseOnly = false) {
  const u = await repo.findStaffUser(db, id);
  if (!u || u.organization_id !== organizationId || u.active !== 1 || !isClinicalRole(u.role)) {
    throw new AppError('validation', `No such ${nurseOnly ? 'nurse' : 'clinician'} at this clinic`, { field });
  }
  if (nurseOnly && u.role !== 'nurse') throw new AppError('validation', 'Choose a nurse', { field });
  return u;
}

interface Placement {
  clinicianId: string;
  roomId: string | null;
  nurseId: string | null;
  start: number;
  end: number;
  bufferBefore: number;
  bufferAfter: number;
}

/** Validates room/nurse against what the appointment type needs; returns the resources it will hold. */
async function resourcesFor(
  db: Kysely<DB>,
  organizationId: string,
  kinds: readonly string[],
  p: Pick<Placement, 'clinicianId' | 'roomId' | 'nurseId'>,
): Promise<ResourceRef[]> {
  await assertStaffResource(db, organizationId, p.clinicianId, 'clinicianId');
  const resources: ResourceRef[] = [{ kind: 'clinician', id: p.clinicianId }];
  const needsRoom = kinds.find((k) => k === 'room' || k === 'chair');
  if (p.roomId) {
    const room = await repo.findRoom(db, organizationId, p.roomId);
    if (!room || room.active !== 1) throw new AppError('validation', 'No such room or chair at this clinic', { field: 'roomId' });
    if (needsRoom && room.kind !== needsRoom) throw new AppError('validation', `This appointment type needs a ${needsRoom}`, { field: 'roomId' });
    resources.push({ kind: room.kind, id: room.id });
  } else if (needsRoom) {
    throw new AppError('validation', `This appointment type needs a ${needsRoom}`, { field: 'roomId' });
  }
  if (p.nurseId) {
    await assertStaffResource(db, organizationId, p.nurseId, 'nurseId', true);
    resources.push({ kind: 'nurse', id: p.nurseId });
  } else if (kinds.includes('nurse')) {
    throw new AppError('validation', 'This appointment type needs a nurse', { field: 'nurseId' });
  }
  return resources;
}

/**
 * Inside the booking transaction, after the resource locks: refuses the placement when it
 * overlaps (with buffers) another appointment of the same clinician, room/chair or nurse,
 * or (without buffers) another appointment of the same patient. Names the appointment.
 */
async function assertNoConflicts(
  trx: Kysely<DB>,
  organizationId: string,
  zone: string,
  p: Placement,
  resources: ResourceRef[],
  patientId: string | null,
  excludeId?: string,
): Promise<void> {
  const pad = 24 * 3_600_000;
  const fromIso = new Date(p.start - pad).toISOString();
  const toIso = new Date(p.end + pad).toISOString();
  const rooms = await repo.listRooms(trx, organizationId);
  const roomKinds = new Map(rooms.map((r) => [r.id, r.kind] as const));
  const existing = await repo.findBlockingAppointments(trx, organizationId, resources.map((r) => r.id), fromIso, toIso);
  const conflicts = findConflicts(
    {
      ...(excludeId ? { id: excludeId } : {}),
      start: p.start,
      end: p.end,
      bufferBeforeMinutes: p.bufferBefore,
      bufferAfterMinutes: p.bufferAfter,
      resources,
    },
    existing.map((a) => toBooked(a, roomKinds)),
  );
  if (conflicts.length > 0) {
    throw new AppError('conflict', describeConflict(conflicts[0]!, (t) => toZonedIso(t, zone)), { field: 'start' });
  }
  if (patientId) {
    const theirs = await repo.findPatientAppointmentsBetween(trx, patientId, fromIso, toIso);
    const clash = theirs.find((a) => a.id !== excludeId && intervalsOverlap({ start: p.start, end: p.end }, { start: Date.parse(a.start_at), end: Date.parse(a.end_at) }));
    if (clash) {
      throw new AppError(
        'conflict',
        `patient already booked by appointment ${clash.id} (${toZonedIso(Date.parse(clash.start_at), zone)} – ${toZonedIso(Date.parse(clash.end_at), zone)})`,
        { field: 'start' },
      );
    }
  }
}

export async function createAppointment(deps: Deps, actor: SessionActor, body: CreateAppointmentBody, meta: RequestMeta): Promise<Appointment> {
  requireStaff(actor);
  const org = await clinicOf(deps.db, actor.organizationId);
  const type = await repo.findAppointmentType(deps.db, org.id, body.appointmentTypeId);
  if (!type || type.id !== body.appointmentTypeId) {
    throw new AppError('validation', 'No such appointment type at this clinic', { field: 'appointmentTypeId' });
  }
  const start = parseInstant('start', body.start);
  const placement: Placement = {
    clinicianId: body.clinicianId,
    roomId: body.roomId ?? null,
    nurseId: body.nurseId ?? null,
    start,
    end: start + type.duration_minutes * 60_000,
    bufferBefore: type.buffer_before_minutes,
    bufferAfter: type.buffer_after_minutes,
  };
  const resources = await resourcesFor(deps.db, org.id, requiredKindsOf(type), placement);
  const id = randomUUID();
  return withPatientAccess(
    deps,
    actor,
    body.patientId,
    'schedule',
    'write',
    meta,
    async () => {
      await deps.db.transaction().execute(async (trx) => {
        await repo.lockResources(trx, deps.database.dialect, [...resources.map((r) => r.id), body.patientId]);
        if (type.kind === 'dosing') await assertEligibleForDosing(trx, body.patientId, { now: deps.now() });
        await assertNoConflicts(trx, org.id, org.time_zone, placement, resources, body.patientId);
        const at = deps.now().toISOString();
        await repo.insertAppointment(trx, {
          id,
          organization_id: org.id,
          kind: type.kind,
          appointment_type_id: type.id,
          status: 'booked',
          cancel_reason: null,
          patient_id: body.patientId,
          consultation_request_id: null,
          clinician_id: placement.clinicianId,
          room_id: placement.roomId,
          nurse_id: placement.nurseId,
          start_at: new Date(placement.start).toISOString(),
          end_at: new Date(placement.end).toISOString(),
          buffer_before_minutes: placement.bufferBefore,
          buffer_after_minutes: placement.bufferAfter,
          created_by: actor.userId,
          created_at: at,
          updated_at: at,
        });
      });
      const view = await repo.findAppointmentView(deps.db, id);
      return toAppointmentDto(view!, org.time_zone, true);
    },
    { appointmentId: id, kind: type.kind },
  );
}

export async function getAppointment(deps: Deps, actor: SessionActor, id: string, meta: RequestMeta): Promise<Appointment> {
  const view = await repo.findAppointmentView(deps.db, id);
  if (!view || view.organization_id !== actor.organizationId) throw new AppError('not_found', 'Appointment not found');
  const org = await clinicOf(deps.db, actor.organizationId);
  if (view.patient_id) {
    return withPatientAccess(deps, actor, view.patient_id, 'schedule', 'read', meta, async () => toAppointmentDto(view, org.time_zone, true), {
      appointmentId: id,
    });
  }
  requireStaff(actor);
  return toAppointmentDto(view, org.time_zone, true);
}

export async function updateAppointment(
  deps: Deps,
  actor: SessionActor,
  id: string,
  body: UpdateAppointmentBody,
  meta: RequestMeta,
): Promise<Appointment> {
  requireStaff(actor);
  const current = await repo.findAppointmentRow(deps.db, id);
  if (!current || current.organization_id !== actor.organizationId) throw new AppError('not_found', 'Appointment not found');
  const org = await clinicOf(deps.db, actor.organizationId);
  const moving = body.start !== undefined || body.clinicianId !== undefined || body.roomId !== undefined || body.nurseId !== undefined;
  if (body.status === 'cancelled' && !body.cancelReason?.trim()) {
    throw new AppError('validation', 'Give a reason for cancelling', { field: 'cancelReason' });
  }
  if (body.cancelReason !== undefined && body.status !== 'cancelled') {
    throw new AppError('validation', 'A reason goes with cancelling (status: cancelled)', { field: 'cancelReason' });
  }
  if (body.status !== undefined && body.status !== current.status && !canTransitionAppointment(current.status as AppointmentStatusValue, body.status)) {
    throw new AppError('conflict', `An appointment that is ${current.status.replace('_', ' ')} cannot become ${body.status.replace('_', ' ')}`, {
      field: 'status',
    });
  }
  if (moving && !isMovableAppointmentStatus(current.status as AppointmentStatusValue)) {
    throw new AppError('conflict', `An appointment that is ${current.status.replace('_', ' ')} cannot be moved`, { field: 'start' });
  }

  const work = async (): Promise<Appointment> => {
    const start = body.start !== undefined ? parseInstant('start', body.start) : Date.parse(current.start_at);
    const duration = Date.parse(current.end_at) - Date.parse(current.start_at);
    const placement: Placement = {
      clinicianId: body.clinicianId ?? current.clinician_id,
      roomId: body.roomId !== undefined ? body.roomId : current.room_id,
      nurseId: body.nurseId !== undefined ? body.nurseId : current.nurse_id,
      start,
      end: start + duration,
      bufferBefore: current.buffer_before_minutes,
      bufferAfter: current.buffer_after_minutes,
    };
    let resources: ResourceRef[] = [];
    let notified = false;
    if (moving) {
      const type = current.appointment_type_id ? await resolveAppointmentType(deps.db, org.id, current.appointment_type_id).catch(() => null) : null;
      resources = await resourcesFor(deps.db, org.id, type ? requiredKindsOf(type) : ['clinician'], placement);
    }
    await deps.db.transaction().execute(async (trx) => {
      const changes: Updateable<AppointmentsTable> = { updated_at: deps.now().toISOString() };
      if (moving) {
        const lockKeys = [current.clinician_id, current.room_id, current.nurse_id, ...resources.map((r) => r.id), current.patient_id].filter(
          (k): k is string => k !== null,
        );
        await repo.lockResources(trx, deps.database.dialect, lockKeys);
        if (current.kind === 'dosing' && current.patient_id) await assertEligibleForDosing(trx, current.patient_id, { now: deps.now() });
        await assertNoConflicts(trx, org.id, org.time_zone, placement, resources, current.patient_id, current.id);
        changes.start_at = new Date(placement.start).toISOString();
        changes.end_at = new Date(placement.end).toISOString();
        changes.clinician_id = placement.clinicianId;
        changes.room_id = placement.roomId;
        changes.nurse_id = placement.nurseId;
      }
      if (body.status !== undefined && body.status !== current.status) {
        // Re-read under the transaction: a concurrent change must not be overwritten blindly.
        const fresh = await repo.findAppointmentRow(trx, id);
        if (!fresh || !canTransitionAppointment(fresh.status as AppointmentStatusValue, body.status)) {
          throw new AppError('conflict', 'The appointment changed meanwhile; reload and try again', { field: 'status' });
        }
        changes.status = body.status;
        if (body.status === 'cancelled') changes.cancel_reason = body.cancelReason!.trim();
      }
      await repo.updateAppointment(trx, id, changes);
      // A visitor's free consultation moved or cancelled by staff: tell the visitor (no account to look at).
      const cancelled = changes.status === 'cancelled';
      const moved = moving && (placement.start !== Date.parse(current.start_at) || placement.clinicianId !== current.clinician_id);
      if (current.consultation_request_id && current.kind === 'consultation' && (cancelled || moved)) {
        await enqueueVisitorNoticeOfStaffChange(deps, trx, {
          requestId: current.consultation_request_id,
          appointmentId: id,
          start: cancelled ? Date.parse(current.start_at) : placement.start,
          end: cancelled ? Date.parse(current.end_at) : placement.end,
          clinicianId: cancelled ? current.clinician_id : placement.clinicianId,
          change: cancelled ? 'cancelled' : 'moved',
        });
        notified = true;
      }
    });
    if (notified) deps.outbox.nudge();
    const view = await repo.findAppointmentView(deps.db, id);
    return toAppointmentDto(view!, org.time_zone, true);
  };

  const detail = { appointmentId: id, fields: Object.keys(body) };
  if (current.patient_id) return withPatientAccess(deps, actor, current.patient_id, 'schedule', 'write', meta, work, detail);
  const result = await work();
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'appointment',
    action: 'update',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
  return result;
}
