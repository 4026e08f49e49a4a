import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { canCreatePatients } from '../../../core/access/policy';
import { findOpenSlotStartingAt } from '../../../core/scheduling/availability';
import { requireValidZone, toZonedIso } from '../../../core/scheduling/zoned-time';
import type {
  BookConsultationBody,
  BookedConsultation,
  ConsultationListQuery,
  ConsultationRequest,
  ConsultationStatus,
  ConvertConsultationBody,
  ManagedBooking,
  PublicAvailabilityQuery,
  PublicAvailabilityResponse,
  Slot,
} from '../../../core/schemas/scheduling.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import * as patientsRepo from '../patients/patients.repository';
import {
  loadScheduleContext,
  openSlotsPerClinician,
  parseInstant,
  parseWindow,
  slotDto,
  type AppointmentTypeRow,
} from './availability.service';
import { buildIcs } from './ics';
import * as repo from './scheduling.repository';
import { signToken, verifyToken } from './signed-links';

/** Public booking throttle per client address (DB-backed: holds across instances). Operational, not clinical. */
export const BOOKING_ATTEMPTS_PER_ADDRESS = 10;
export const BOOKING_THROTTLE_WINDOW_MINUTES = 60;
/** Portal invitations expire after a week: long enough to find the email, short enough to limit a leaked link. */
export const INVITATION_VALID_DAYS = 7;
const MANAGE_PURPOSE = 'consultation-manage';
const INVITE_PURPOSE = 'patient-invitation';
const DAY_MS = 86_400_000;
// Stricter than JSON-schema "email": a dot in the domain and no spaces or angle brackets.
const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}$/i;

/** A 409 that carries the next open slots, so the visitor can pick again at once. */
export class SlotTakenError extends AppError {
  constructor(readonly nextSlots: Slot[]) {
    super('conflict', 'That time was just taken. Please choose another.', { field: 'start' });
  }
}

/** A 409 that offers the patient record that already exists instead of creating a duplicate. */
export class DuplicatePatientError extends AppError {
  constructor(readonly existingPatient: { id: string; legalGivenName: string; legalFamilyName: string; dateOfBirth: string }) {
    super('conflict', 'A patient with this email and date of birth already exists. Link the request to that record instead.', {
      field: 'dateOfBirth',
    });
  }
}

function fmt(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

function validZoneOrNull(zone: string | undefined | null): string | null {
  if (!zone) return null;
  try {
    requireValidZone(zone);
    return zone;
  } catch {
    return null;
  }
}

async function consultationClinician(db: Kysely<DB>, clinicianId: string, field = 'clinicianId') {
  const u = await repo.findStaffUser(db, clinicianId);
  if (!u || u.active !== 1 || !['therapist', 'prescriber', 'nurse'].includes(u.role)) {
    throw new AppError('validation', 'No such clinician', { field });
  }
  const org = await repo.findOrganization(db, u.organization_id);
  const type = org ? await repo.findPublicConsultationType(db, org.id) : undefined;
  if (!org || !type) throw new AppError('validation', 'This clinician does not offer free consultations online', { field });
  return { clinician: u, org, type };
}

/** Clinicians of a clinic who have consultation hours (rules meant for consultations or for any kind). */
async function consultingClinicians(db: Kysely<DB>, organizationId: string): Promise<{ id: string; displayName: string }[]> {
  const [ids, staff] = await Promise.all([repo.findClinicianIdsWithRules(db, organizationId), repo.listSchedulableStaff(db, organizationId)]);
  const withRules = new Set(ids);
  return staff.filter((s) => withRules.has(s.id) && s.role !== 'nurse').map((s) => ({ id: s.id, displayName: s.display_name }));
}

/** Public: open free-consultation slots of one clinician, or of every clinician of a clinic. */
export async function getPublicAvailability(deps: Deps, query: PublicAvailabilityQuery): Promise<PublicAvailabilityResponse> {
  const now = deps.now().getTime();
  let org: { id: string; name: string; time_zone: string };
  let type: AppointmentTypeRow;
  let clinicians: { id: string; displayName: string }[];
  if (query.clinicianId) {
    const found = await consultationClinician(deps.db, query.clinicianId);
    org = found.org;
    type = found.type;
    clinicians = [{ id: found.clinician.id, displayName: found.clinician.display_name }];
  } else if (query.organizationId) {
    const o = await repo.findOrganization(deps.db, query.organizationId);
    const t = o ? await repo.findPublicConsultationType(deps.db, o.id) : undefined;
    if (!o || !t) throw new AppError('validation', 'This clinic does not offer free consultations online', { field: 'organizationId' });
    org = o;
    type = t;
    clinicians = await consultingClinicians(deps.db, o.id);
  } else {
    throw new AppError('validation', 'Name a clinician or a clinic', { field: 'clinicianId' });
  }
  const from = query.from ? parseInstant('from', query.from) : now;
  const to = query.to ? parseInstant('to', query.to) : from + 14 * DAY_MS;
  parseWindow(new Date(from).toISOString(), new Date(to).toISOString());
  const ids = clinicians.map((c) => c.id);
  const ctx = await loadScheduleContext(deps.db, org, type, ids, from, to, now);
  const slots = openSlotsPerClinician(ctx, ids, from, to);
  return {
    clinic: { id: org.id, name: org.name, timeZone: org.time_zone },
    clinicians,
    durationMinutes: type.duration_minutes,
    slots: slots.map((s) => slotDto(s, org.time_zone)),
  };
}

async function nextSlotsFor(deps: Deps, org: { id: string; time_zone: string }, type: AppointmentTypeRow, clinicianId: string, after: number) {
  const now = deps.now().getTime();
  const from = Math.max(after, now);
  const to = from + 14 * DAY_MS;
  const ctx = await loadScheduleContext(deps.db, org, type, [clinicianId], from, to, now);
  return openSlotsPerClinician(ctx, [clinicianId], from, to)
    .slice(0, 6)
    .map((s) => slotDto(s, org.time_zone));
}

async function assertNotThrottled(deps: Deps, meta: RequestMeta): Promise<void> {
  const key = `consultation:${meta.ip ?? 'unknown'}`;
  const now = deps.now().getTime();
  const since = new Date(now - BOOKING_THROTTLE_WINDOW_MINUTES * 60_000).toISOString();
  const { count, oldest } = await repo.countBookingAttempts(deps.db, key, since);
  if (count >= BOOKING_ATTEMPTS_PER_ADDRESS) {
    const freeAt = (oldest ? Date.parse(oldest) : now) + BOOKING_THROTTLE_WINDOW_MINUTES * 60_000;
    throw new AppError('rate_limited', 'Too many booking attempts from this address. Please wait a while or call the clinic.', {
      retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)),
    });
  }
  await repo.insertBookingAttempt(deps.db, { id: randomUUID(), throttle_key: key, at: new Date(now).toISOString() });
}

function checkBookingInput(body: BookConsultationBody): { name: string; email: string; phone: string; reason: string; visitorZone: string | null } {
  if (body.website !== undefined && body.website.trim() !== '') {
    throw new AppError('validation', 'This field must be left empty', { field: 'website' });
  }
  const name = body.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2) throw new AppError('validation', 'Please give your name', { field: 'name' });
  const email = body.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) throw new AppError('validation', 'Please give a valid email address, like name@example.com', { field: 'email' });
  const phone = body.phone.trim();
  if (phone.replace(/\D/g, '').length < 7) throw new AppError('validation', 'Please give a phone number with at least 7 digits', { field: 'phone' });
  const reason = body.reason.trim();
  if (reason.length === 0) throw new AppError('validation', 'Tell us briefly what you are seeking help with', { field: 'reason' });
  if (!body.consentToContact) {
    throw new AppError('validation', 'We need your consent to contact you about this consultation', { field: 'consentToContact' });
  }
  let visitorZone: string | null = null;
  if (body.visitorTimeZone) {
    visitorZone = validZoneOrNull(body.visitorTimeZone);
    if (!visitorZone) throw new AppError('validation', 'visitorTimeZone must be an IANA time zone such as America/New_York', { field: 'visitorTimeZone' });
  }
  return { name, email, phone, reason, visitorZone };
}

export function manageUrl(deps: Deps, requestId: string, version: number): string {
  return `${deps.config.publicUrl}/consult/manage?token=${encodeURIComponent(signToken(deps.config.secrets.appSecret, MANAGE_PURPOSE, requestId, version))}`;
}

function consultationIcs(deps: Deps, o: { appointmentId: string; start: number; end: number; clinicianName: string; clinicName: string; link: string; cancelled?: boolean }) {
  const now = deps.now();
  return buildIcs({
    name: `${o.clinicName} consultation`,
    method: o.cancelled ? 'cancel' : 'publish',
    now,
    events: [
      {
        uid: `${o.appointmentId}@threshold`,
        start: new Date(o.start),
        end: new Date(o.end),
        summary: `Free consultation with ${o.clinicianName} (${o.clinicName})`,
        description: `To cancel or choose another time: ${o.link}`,
        url: o.link,
        cancelled: o.cancelled ?? false,
        sequence: Math.floor(now.getTime() / 1000),
      },
    ],
  });
}

function whenLines(start: number, clinicZone: string, visitorZone: string | null): string {
  const lines = [`When: ${fmt(start, clinicZone)} (clinic time, ${clinicZone})`];
  if (visitorZone && visitorZone !== clinicZone) lines.push(`      ${fmt(start, visitorZone)} (your time, ${visitorZone})`);
  return lines.join('\n');
}

async function enqueueVisitorConfirmation(
  deps: Deps,
  trx: Kysely<DB>,
  o: {
    organizationId: string;
    requestId: string;
    appointmentId: string;
    version: number;
    to: string;
    name: string;
    start: number;
    end: number;
    clinicianName: string;
    clinicName: string;
    clinicZone: string;
    visitorZone: string | null;
    rescheduled?: boolean;
  },
) {
  const link = manageUrl(deps, o.requestId, o.version);
  const when = whenLines(o.start, o.clinicZone, o.visitorZone);
  const verb = o.rescheduled ? 'has been moved' : 'is booked';
  await deps.outbox.enqueue(trx, {
    organizationId: o.organizationId,
    kind: o.rescheduled ? 'consultation-rescheduled' : 'consultation-confirmation',
    to: o.to,
    subject: `Your free consultation with ${o.clinicianName} ${verb}`,
    text:
      `Hello ${o.name},\n\nYour free consultation with ${o.clinicianName} at ${o.clinicName} ${verb}.\n\n${when}\n` +
      `Length: ${Math.round((o.end - o.start) / 60_000)} minutes\n\n` +
      `The attached calendar file (consultation.ics) adds it to your calendar.\n\n` +
      `To cancel or choose another time, use this private link (no account needed):\n${link}\n\n` +
      `If you are in crisis, call or text 988 (US) or your local emergency number.\n`,
    attachments: [
      {
        filename: 'consultation.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: consultationIcs(deps, { ...o, link }),
      },
    ],
  });
}

/**
 * Staff moved or cancelled a visitor's consultation appointment (calendar, PATCH
 * /api/appointments/:id): the visitor hears of it, with an updated (same UID, so the
 * calendar replaces the event) or cancelling .ics. Enqueued in the caller's transaction.
 */
export async function enqueueVisitorNoticeOfStaffChange(
  deps: Deps,
  trx: Kysely<DB>,
  o: { requestId: string; appointmentId: string; start: number; end: number; clinicianId: string; change: 'moved' | 'cancelled' },
): Promise<void> {
  const request = await repo.findConsultationRequest(trx, o.requestId);
  if (!request) return;
  const clinician = await repo.findStaffUser(trx, o.clinicianId);
  const clinicianName = clinician?.display_name ?? request.clinician_name;
  if (o.change === 'moved') {
    await enqueueVisitorConfirmation(deps, trx, {
      organizationId: request.organization_id,
      requestId: request.id,
      appointmentId: o.appointmentId,
      version: request.link_version,
      to: request.email,
      name: request.name,
      start: o.start,
      end: o.end,
      clinicianName,
      clinicName: request.clinic_name,
      clinicZone: request.time_zone,
      visitorZone: request.visitor_time_zone,
      rescheduled: true,
    });
    return;
  }
  const link = manageUrl(deps, request.id, request.link_version);
  await deps.outbox.enqueue(trx, {
    organizationId: request.organization_id,
    kind: 'consultation-cancelled-by-clinic',
    to: request.email,
    subject: `Your free consultation with ${clinicianName} is cancelled`,
    text:
      `Hello ${request.name},\n\nThe clinic has cancelled your free consultation.\n\n${whenLines(o.start, request.time_zone, request.visitor_time_zone)}\n\n` +
      `The attached calendar file (consultation.ics) removes it from your calendar. ${request.clinic_name} will be in touch; ` +
      `you are also welcome to book another time.\n\nIf you are in crisis, call or text 988 (US) or your local emergency number.\n`,
    attachments: [
      {
        filename: 'consultation.ics',
        contentType: 'text/calendar; charset=utf-8; method=CANCEL',
        content: consultationIcs(deps, {
          appointmentId: o.appointmentId,
          start: o.start,
          end: o.end,
          clinicianName,
          clinicName: request.clinic_name,
          link,
          cancelled: true,
        }),
      },
    ],
  });
}

/** Front desk, admins and the clinician hear of it: who (first name, initial), when, a link. No reason, no clinical detail. */
async function enqueueClinicNotification(
  deps: Deps,
  trx: Kysely<DB>,
  o: { organizationId: string; requestId: string; clinicianEmail: string; name: string; start: number; clinicianName: string; clinicZone: string; event: 'booked' | 'cancelled' | 'moved' },
) {
  const recipients = new Set([o.clinicianEmail, ...(await repo.findOrgNotificationRecipients(trx, o.organizationId)).map((r) => r.email)]);
  const parts = o.name.split(' ');
  const short = parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1]!.charAt(0)}.` : parts[0]!;
  const what = { booked: 'New free consultation booked', cancelled: 'Free consultation cancelled by the visitor', moved: 'Free consultation moved by the visitor' }[o.event];
  for (const to of recipients) {
    await deps.outbox.enqueue(trx, {
      organizationId: o.organizationId,
      kind: `consultation-${o.event}-notice`,
      to,
      subject: `${what}: ${fmt(o.start, o.clinicZone)}`,
      text: `${what}.\n\nVisitor: ${short}\nWith: ${o.clinicianName}\n${whenLines(o.start, o.clinicZone, null)}\n\nOpen it in the consultation inbox: ${deps.config.publicUrl}/staff/consultations/${o.requestId}\n`,
    });
  }
}

/**
 * `POST /api/consultations`: book a free consultation without an account. The slot is
 * re-checked with `findOpenSlotStartingAt` inside a transaction holding the clinician's
 * lock, so of two visitors racing for one slot exactly one gets it; the other gets 409
 * with the next open slots.
 */
export async function bookConsultation(deps: Deps, body: BookConsultationBody, meta: RequestMeta): Promise<BookedConsultation> {
  await assertNotThrottled(deps, meta);
  const input = checkBookingInput(body);
  const start = parseInstant('start', body.start);
  const { clinician, org, type } = await consultationClinician(deps.db, body.clinicianId);
  const requestId = randomUUID();
  const appointmentId = randomUUID();
  const end = start + type.duration_minutes * 60_000;
  let booked = false;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.lockResources(trx, deps.database.dialect, [clinician.id]);
      const now = deps.now().getTime();
      const ctx = await loadScheduleContext(trx, org, type, [clinician.id], start, end, now);
      const slot = findOpenSlotStartingAt(ctx.input, start);
      if (!slot) throw new SlotTakenError([]);
      const at = new Date(now).toISOString();
      await repo.insertConsultationRequest(trx, {
        id: requestId,
        organization_id: org.id,
        clinician_id: clinician.id,
        name: input.name,
        email: input.email,
        phone: input.phone,
        reason: input.reason,
        contact_preference: body.contactPreference,
        consent_to_contact: 1,
        status: 'new',
        visitor_time_zone: input.visitorZone,
        patient_id: null,
        link_version: 1,
        created_at: at,
        updated_at: at,
      });
      await repo.insertAppointment(trx, {
        id: appointmentId,
        organization_id: org.id,
        kind: 'consultation',
        appointment_type_id: type.id,
        status: 'booked',
        cancel_reason: null,
        patient_id: null,
        consultation_request_id: requestId,
        clinician_id: clinician.id,
        room_id: null,
        nurse_id: null,
        start_at: new Date(start).toISOString(),
        end_at: new Date(end).toISOString(),
        buffer_before_minutes: type.buffer_before_minutes,
        buffer_after_minutes: type.buffer_after_minutes,
        created_by: null,
        created_at: at,
        updated_at: at,
      });
      await enqueueVisitorConfirmation(deps, trx, {
        organizationId: org.id,
        requestId,
        appointmentId,
        version: 1,
        to: input.email,
        name: input.name,
        start,
        end,
        clinicianName: clinician.display_name,
        clinicName: org.name,
        clinicZone: org.time_zone,
        visitorZone: input.visitorZone,
      });
      await enqueueClinicNotification(deps, trx, {
        organizationId: org.id,
        requestId,
        clinicianEmail: clinician.email,
        name: input.name,
        start,
        clinicianName: clinician.display_name,
        clinicZone: org.time_zone,
        event: 'booked',
      });
    });
    booked = true;
  } catch (error) {
    if (error instanceof SlotTakenError) throw new SlotTakenError(await nextSlotsFor(deps, org, type, clinician.id, start));
    throw error;
  } finally {
    await deps.audit.record({
      organizationId: org.id,
      actorUserId: null,
      actorRole: null,
      patientId: null,
      resource: 'consultation_request',
      action: 'create',
      outcome: booked ? 'allowed' : 'failed',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: booked ? { consultationRequestId: requestId, appointmentId } : { clinicianId: clinician.id },
    });
  }
  deps.outbox.nudge();
  return {
    id: requestId,
    status: 'booked',
    start: toZonedIso(start, org.time_zone),
    end: toZonedIso(end, org.time_zone),
    clinicianName: clinician.display_name,
    clinic: { name: org.name, timeZone: org.time_zone },
    email: input.email,
  };
}

// ---- manage without an account ----

async function loadManaged(deps: Deps, token: string) {
  const parsed = verifyToken(deps.config.secrets.appSecret, MANAGE_PURPOSE, token);
  const bad = () => new AppError('not_found', 'This link is not valid. Please use the latest link we emailed you, or call the clinic.', { field: 'token' });
  if (!parsed) throw bad();
  const request = await repo.findConsultationRequest(deps.db, parsed.id);
  if (!request || String(request.link_version) !== parsed.value) throw bad();
  const appt = await repo.findConsultationAppointment(deps.db, request.id);
  return { request, appt };
}

function managedDto(deps: Deps, m: Awaited<ReturnType<typeof loadManaged>>): ManagedBooking {
  const { request, appt } = m;
  const zone = request.time_zone;
  const canChange =
    appt !== undefined &&
    (appt.status === 'booked' || appt.status === 'confirmed') &&
    Date.parse(appt.start_at) > deps.now().getTime() &&
    request.status !== 'converted' &&
    request.status !== 'declined';
  return {
    id: request.id,
    name: request.name,
    status: request.status,
    appointmentStatus: appt?.status ?? null,
    start: appt ? toZonedIso(Date.parse(appt.start_at), zone) : null,
    end: appt ? toZonedIso(Date.parse(appt.end_at), zone) : null,
    clinicianId: request.clinician_id,
    clinicianName: request.clinician_name,
    clinic: { id: request.organization_id, name: request.clinic_name, timeZone: zone },
    canChange,
  };
}

export async function getManagedBooking(deps: Deps, token: string): Promise<ManagedBooking> {
  return managedDto(deps, await loadManaged(deps, token));
}

function assertChangeable(deps: Deps, m: Awaited<ReturnType<typeof loadManaged>>) {
  if (!managedDto(deps, m).canChange || !m.appt) {
    throw new AppError('conflict', 'This consultation can no longer be changed online. Please call the clinic.', { field: 'token' });
  }
  return m.appt;
}

export async function cancelManagedBooking(deps: Deps, token: string, reason: string | undefined, meta: RequestMeta): Promise<ManagedBooking> {
  const m = await loadManaged(deps, token);
  const appt = assertChangeable(deps, m);
  const clinician = await repo.findStaffUser(deps.db, m.request.clinician_id);
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockResources(trx, deps.database.dialect, [appt.clinician_id]);
    const fresh = await repo.findAppointmentRow(trx, appt.id);
    if (!fresh || (fresh.status !== 'booked' && fresh.status !== 'confirmed')) {
      throw new AppError('conflict', 'This consultation was already changed', { field: 'token' });
    }
    const at = deps.now().toISOString();
    const why = reason?.trim() ? `Cancelled by the visitor: ${reason.trim().slice(0, 400)}` : 'Cancelled by the visitor';
    await repo.updateAppointment(trx, appt.id, { status: 'cancelled', cancel_reason: why, updated_at: at });
    await repo.updateConsultationRequest(trx, m.request.id, { updated_at: at });
    const start = Date.parse(appt.start_at);
    const link = manageUrl(deps, m.request.id, m.request.link_version);
    await deps.outbox.enqueue(trx, {
      organizationId: m.request.organization_id,
      kind: 'consultation-cancelled',
      to: m.request.email,
      subject: `Your free consultation with ${m.request.clinician_name} is cancelled`,
      text: `Hello ${m.request.name},\n\nYour free consultation on ${fmt(start, m.request.time_zone)} is cancelled. You are welcome to book again at any time.\n`,
      attachments: [
        {
          filename: 'consultation.ics',
          contentType: 'text/calendar; charset=utf-8; method=CANCEL',
          content: consultationIcs(deps, {
            appointmentId: appt.id,
            start,
            end: Date.parse(appt.end_at),
            clinicianName: m.request.clinician_name,
            clinicName: m.request.clinic_name,
            link,
            cancelled: true,
          }),
        },
      ],
    });
    await enqueueClinicNotification(deps, trx, {
      organizationId: m.request.organization_id,
      requestId: m.request.id,
      clinicianEmail: clinician?.email ?? '',
      name: m.request.name,
      start,
      clinicianName: m.request.clinician_name,
      clinicZone: m.request.time_zone,
      event: 'cancelled',
    });
  });
  deps.outbox.nudge();
  await deps.audit.record({
    organizationId: m.request.organization_id,
    actorUserId: null,
    actorRole: null,
    patientId: null,
    resource: 'consultation_request',
    action: 'cancel_by_link',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { consultationRequestId: m.request.id, appointmentId: appt.id },
  });
  return getManagedBooking(deps, token);
}

export async function rescheduleManagedBooking(deps: Deps, token: string, startIso: string, meta: RequestMeta): Promise<ManagedBooking> {
  const m = await loadManaged(deps, token);
  const appt = assertChangeable(deps, m);
  const start = parseInstant('start', startIso);
  const { clinician, org, type } = await consultationClinician(deps.db, m.request.clinician_id, 'token');
  const end = start + type.duration_minutes * 60_000;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.lockResources(trx, deps.database.dialect, [clinician.id]);
      const now = deps.now().getTime();
      const ctx = await loadScheduleContext(trx, org, type, [clinician.id], start, end, now);
      const slot = findOpenSlotStartingAt({ ...ctx.input, excludeAppointmentId: appt.id }, start);
      if (!slot) throw new SlotTakenError([]);
      const at = new Date(now).toISOString();
      await repo.updateAppointment(trx, appt.id, { start_at: new Date(start).toISOString(), end_at: new Date(end).toISOString(), updated_at: at });
      await repo.updateConsultationRequest(trx, m.request.id, { updated_at: at });
      await enqueueVisitorConfirmation(deps, trx, {
        organizationId: org.id,
        requestId: m.request.id,
        appointmentId: appt.id,
        version: m.request.link_version,
        to: m.request.email,
        name: m.request.name,
        start,
        end,
        clinicianName: clinician.display_name,
        clinicName: org.name,
        clinicZone: org.time_zone,
        visitorZone: m.request.visitor_time_zone,
        rescheduled: true,
      });
      await enqueueClinicNotification(deps, trx, {
        organizationId: org.id,
        requestId: m.request.id,
        clinicianEmail: clinician.email,
        name: m.request.name,
        start,
        clinicianName: clinician.display_name,
        clinicZone: org.time_zone,
        event: 'moved',
      });
    });
  } catch (error) {
    if (error instanceof SlotTakenError) throw new SlotTakenError(await nextSlotsFor(deps, org, type, clinician.id, start));
    throw error;
  }
  deps.outbox.nudge();
  await deps.audit.record({
    organizationId: org.id,
    actorUserId: null,
    actorRole: null,
    patientId: null,
    resource: 'consultation_request',
    action: 'reschedule_by_link',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { consultationRequestId: m.request.id, appointmentId: appt.id },
  });
  return getManagedBooking(deps, token);
}

// ---- staff inbox ----

function requireStaff(actor: SessionActor): void {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Only clinic staff can see consultation requests');
}

async function toRequestDtos(
  db: Kysely<DB>,
  rows: { id: string; name: string; email: string; phone: string; reason: string; contact_preference: string; consent_to_contact: number; status: ConsultationStatus; clinician_id: string; clinician_name: string; visitor_time_zone: string | null; patient_id: string | null; created_at: string }[],
  zone: string,
): Promise<ConsultationRequest[]> {
  const ids = rows.map((r) => r.id);
  const [notes, appts] = await Promise.all([repo.findConsultationNotes(db, ids), repo.findConsultationAppointments(db, ids)]);
  return rows.map((r) => {
    const appt = appts.filter((a) => a.consultation_request_id === r.id).at(-1);
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      phone: r.phone,
      reason: r.reason,
      contactPreference: r.contact_preference,
      consentToContact: r.consent_to_contact === 1,
      status: r.status,
      clinicianId: r.clinician_id,
      clinicianName: r.clinician_name,
      visitorTimeZone: r.visitor_time_zone,
      patientId: r.patient_id,
      appointment: appt
        ? { id: appt.id, start: toZonedIso(Date.parse(appt.start_at), zone), end: toZonedIso(Date.parse(appt.end_at), zone), status: appt.status }
        : null,
      notes: notes
        .filter((n) => n.request_id === r.id)
        .map((n) => ({ id: n.id, authorName: n.author_name, body: n.body, createdAt: n.created_at })),
      createdAt: r.created_at,
    };
  });
}

function auditInbox(deps: Deps, actor: SessionActor, action: string, meta: RequestMeta, detail: Record<string, unknown>, outcome: 'allowed' | 'denied' | 'failed' = 'allowed') {
  return deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'consultation_request',
    action,
    outcome,
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
}

export async function listConsultations(deps: Deps, actor: SessionActor, query: ConsultationListQuery, meta: RequestMeta) {
  requireStaff(actor);
  const org = await repo.findOrganization(deps.db, actor.organizationId);
  const { rows, total } = await repo.searchConsultationRequests(deps.db, {
    organizationId: actor.organizationId,
    ...(query.status ? { status: query.status } : {}),
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  const items = await toRequestDtos(deps.db, rows, org!.time_zone);
  await auditInbox(deps, actor, 'list', meta, { consultationRequestIds: rows.map((r) => r.id) });
  return { items, total };
}

async function loadForStaff(db: Kysely<DB>, actor: SessionActor, id: string) {
  const request = await repo.findConsultationRequest(db, id);
  if (!request || request.organization_id !== actor.organizationId) throw new AppError('not_found', 'Consultation request not found');
  return request;
}

export async function getConsultation(deps: Deps, actor: SessionActor, id: string, meta: RequestMeta): Promise<ConsultationRequest> {
  requireStaff(actor);
  const request = await loadForStaff(deps.db, actor, id);
  const [dto] = await toRequestDtos(deps.db, [request], request.time_zone);
  await auditInbox(deps, actor, 'read', meta, { consultationRequestId: id });
  return dto!;
}

export async function setConsultationStatus(deps: Deps, actor: SessionActor, id: string, status: ConsultationStatus, meta: RequestMeta) {
  requireStaff(actor);
  const request = await loadForStaff(deps.db, actor, id);
  if (status === 'converted') throw new AppError('validation', 'Use "Convert to patient" to convert a request', { field: 'status' });
  if (request.status === 'converted') throw new AppError('conflict', 'This request was converted into a patient record', { field: 'status' });
  await repo.updateConsultationRequest(deps.db, id, { status, updated_at: deps.now().toISOString() });
  await auditInbox(deps, actor, 'update', meta, { consultationRequestId: id, status });
  return getConsultation(deps, actor, id, meta);
}

export async function addConsultationNote(deps: Deps, actor: SessionActor, id: string, body: string, meta: RequestMeta) {
  requireStaff(actor);
  await loadForStaff(deps.db, actor, id);
  const text = body.trim();
  if (!text) throw new AppError('validation', 'Write a note', { field: 'body' });
  const noteId = randomUUID();
  await repo.insertConsultationNote(deps.db, {
    id: noteId,
    organization_id: actor.organizationId,
    request_id: id,
    author_user_id: actor.userId,
    body: text,
    created_at: deps.now().toISOString(),
  });
  await auditInbox(deps, actor, 'add_note', meta, { consultationRequestId: id, noteId });
  return getConsultation(deps, actor, id, meta);
}

/** Patient records with the request's email and this date of birth: offered before converting. */
export async function findConsultationMatches(deps: Deps, actor: SessionActor, id: string, dateOfBirth: string, meta: RequestMeta) {
  requireStaff(actor);
  const request = await loadForStaff(deps.db, actor, id);
  const rows = await repo.findPatientsByEmailAndDob(deps.db, actor.organizationId, request.email, dateOfBirth);
  await Promise.all(
    rows.map((r) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: r.id,
        resource: 'patient.demographics',
        action: 'list',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { consultationRequestId: id, reason: 'duplicate_check' },
      }),
    ),
  );
  return {
    matches: rows.map((r) => ({ id: r.id, legalGivenName: r.legal_given_name, legalFamilyName: r.legal_family_name, dateOfBirth: r.date_of_birth })),
  };
}

export function invitationUrl(deps: Deps, invitationId: string, expiresAtMs: number): string {
  return `${deps.config.publicUrl}/invitation?token=${encodeURIComponent(signToken(deps.config.secrets.appSecret, INVITE_PURPOSE, invitationId, expiresAtMs))}`;
}

function assertRealDob(value: string, today: Date): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || d.getTime() > today.getTime() || d.getUTCFullYear() < 1900) {
    throw new AppError('validation', 'dateOfBirth must be a real date between 1900 and today', { field: 'dateOfBirth' });
  }
}

/**
 * "Convert to patient": creates the patient record (or links the existing one with the
 * same email and date of birth, never a duplicate), assigns the care team, links the
 * consultation appointment to the patient, and emails a signed, single-use, expiring
 * invitation to create the portal account — all in one transaction.
 */
export async function convertConsultation(deps: Deps, actor: SessionActor, id: string, body: ConvertConsultationBody, meta: RequestMeta) {
  requireStaff(actor);
  if (!canCreatePatients(actor)) throw new AppError('forbidden', 'Your role cannot register patients');
  const request = await loadForStaff(deps.db, actor, id);
  if (request.status === 'converted') throw new AppError('conflict', 'This request was already converted', { field: 'status' });
  const now = deps.now();
  assertRealDob(body.dateOfBirth, now);
  const given = body.legalGivenName.trim();
  const family = body.legalFamilyName.trim();
  if (!given) throw new AppError('validation', 'legalGivenName is required', { field: 'legalGivenName' });
  if (!family) throw new AppError('validation', 'legalFamilyName is required', { field: 'legalFamilyName' });

  const at = now.toISOString();
  let patientId = '';
  let created = false;
  let invitationSentTo: string | null = null;
  await deps.db.transaction().execute(async (trx) => {
    const matches = await repo.findPatientsByEmailAndDob(trx, actor.organizationId, request.email, body.dateOfBirth);
    if (body.useExistingPatientId) {
      const match = matches.find((m) => m.id === body.useExistingPatientId);
      if (!match) throw new AppError('validation', 'That record does not match this request’s email and date of birth', { field: 'useExistingPatientId' });
      patientId = match.id;
    } else if (matches.length > 0) {
      const m = matches[0]!;
      throw new DuplicatePatientError({ id: m.id, legalGivenName: m.legal_given_name, legalFamilyName: m.legal_family_name, dateOfBirth: m.date_of_birth });
    } else {
      const team = await patientsRepo.findStaffInOrganization(trx, actor.organizationId, body.careTeamUserIds);
      const ok = new Set(team.filter((u) => u.active === 1).map((u) => u.id));
      const bad = body.careTeamUserIds.find((u) => !ok.has(u));
      if (bad) throw new AppError('validation', `${bad} is not an active staff member of this clinic`, { field: 'careTeamUserIds' });
      patientId = randomUUID();
      created = true;
      await patientsRepo.insertPatient(trx, {
        id: patientId,
        organization_id: actor.organizationId,
        legal_given_name: given,
        legal_family_name: family,
        preferred_name: null,
        pronouns: null,
        date_of_birth: body.dateOfBirth,
        email: request.email,
        phone: request.phone,
        address: null,
        emergency_contact_name: null,
        emergency_contact_phone: null,
        emergency_contact_relationship: null,
        preferred_language: null,
        search_name: `${given} ${family}`.toLowerCase().replace(/\s+/g, ' ').trim(),
        created_at: at,
        updated_at: at,
      });
      await patientsRepo.replaceCareTeam(trx, actor.organizationId, patientId, body.careTeamUserIds, actor.userId, at);
    }
    await repo.updateConsultationRequest(trx, id, { status: 'converted', patient_id: patientId, updated_at: at });
    const appt = await repo.findConsultationAppointment(trx, id);
    if (appt) await repo.updateAppointment(trx, appt.id, { patient_id: patientId, updated_at: at });

    // Invite only when the person has no portal account yet and the email is free.
    const hasAccount = await repo.findUserByPatientId(trx, patientId);
    const emailTaken = await repo.findUserByEmail(trx, request.email);
    if (!hasAccount && !emailTaken) {
      const invitationId = randomUUID();
      const expiresMs = now.getTime() + INVITATION_VALID_DAYS * DAY_MS;
      await repo.insertInvitation(trx, {
        id: invitationId,
        organization_id: actor.organizationId,
        patient_id: patientId,
        email: request.email,
        expires_at: new Date(expiresMs).toISOString(),
        created_by: actor.userId,
        created_at: at,
      });
      const link = invitationUrl(deps, invitationId, expiresMs);
      await deps.outbox.enqueue(trx, {
        organizationId: actor.organizationId,
        kind: 'patient-invitation',
        to: request.email,
        subject: `${request.clinic_name} invites you to your patient portal`,
        text:
          `Hello ${given},\n\n${request.clinic_name} has opened a patient record for you. Create your portal account ` +
          `to begin your intake forms:\n\n${link}\n\nThis link works once and expires on ${fmt(expiresMs, request.time_zone)}.\n` +
          `If you did not expect this email, you can ignore it.\n`,
      });
      invitationSentTo = request.email;
    }
  });
  deps.outbox.nudge();
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId,
    resource: 'patient.demographics',
    action: created ? 'create' : 'link',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { consultationRequestId: id, careTeamUserIds: created ? body.careTeamUserIds : [], invited: invitationSentTo !== null },
  });
  return { patientId, created, invitationSentTo };
}

export const INVITATION_PURPOSE = INVITE_PURPOSE;
