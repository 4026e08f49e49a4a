import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { addDaysToLocalDate, instantOfLocalDateTime, isoWeekdayOfLocalDate, localDateOfInstant } from '../../../core/scheduling/zoned-time';
import type { AppointmentKind, DB } from '../schema';
import type { DemoContext } from './demo-clinic';

const ZONE = 'America/Los_Angeles';

interface TypeSeed {
  kind: AppointmentKind;
  name: string;
  duration: number;
  before: number;
  after: number;
  step: number;
  resources: string[];
  publicBookable?: boolean;
}

// Durations follow common KAP practice (see docs/clinical-references.md § Scheduling); each clinic edits them.
const TYPES: TypeSeed[] = [
  { kind: 'consultation', name: 'Free consultation (20 min, phone or video)', duration: 20, before: 0, after: 10, step: 30, resources: ['clinician'], publicBookable: true },
  { kind: 'intake', name: 'Intake assessment', duration: 90, before: 0, after: 15, step: 30, resources: ['clinician', 'room'] },
  { kind: 'preparation', name: 'Preparation session', duration: 60, before: 0, after: 10, step: 30, resources: ['clinician', 'room'] },
  { kind: 'dosing', name: 'Dosing session', duration: 180, before: 15, after: 30, step: 30, resources: ['clinician', 'chair', 'nurse'] },
  { kind: 'integration', name: 'Integration session', duration: 60, before: 0, after: 10, step: 30, resources: ['clinician', 'room'] },
  { kind: 'group', name: 'Integration group', duration: 90, before: 0, after: 15, step: 30, resources: ['clinician', 'room'] },
];

/**
 * Scheduling demo: appointment types, Room 1–2 and Chairs A–C, weekday hours for the demo
 * clinicians and rooms (clinic zone America/Los_Angeles), consultation hours, a booking
 * policy, a holiday and a few appointments over the coming days.
 */
export async function seedDemoScheduling(trx: Kysely<DB>, ctx: DemoContext): Promise<void> {
  const at = ctx.now.toISOString();
  const org = ctx.organizationId;
  const typeIds = new Map<AppointmentKind, string>();
  for (const t of TYPES) {
    const id = randomUUID();
    typeIds.set(t.kind, id);
    await trx
      .insertInto('appointment_types')
      .values({
        id,
        organization_id: org,
        kind: t.kind,
        name: t.name,
        duration_minutes: t.duration,
        buffer_before_minutes: t.before,
        buffer_after_minutes: t.after,
        slot_step_minutes: t.step,
        required_resources: JSON.stringify(t.resources),
        public_bookable: t.publicBookable ? 1 : 0,
        active: 1,
        created_at: at,
      })
      .execute();
  }
  const rooms: Record<string, string> = {};
  for (const [name, kind] of [['Room 1', 'room'], ['Room 2', 'room'], ['Chair A', 'chair'], ['Chair B', 'chair'], ['Chair C', 'chair']] as const) {
    rooms[name] = randomUUID();
    await trx.insertInto('rooms').values({ id: rooms[name]!, organization_id: org, kind, name, active: 1, created_at: at }).execute();
  }
  await trx.insertInto('booking_policies').values({ organization_id: org, horizon_days: 60, min_notice_minutes: 120, updated_at: at }).execute();

  const rule = async (resourceKind: 'clinician' | 'nurse' | 'room' | 'chair', resourceId: string, weekday: number, start: string, end: string, kinds: AppointmentKind[] | null) => {
    await trx
      .insertInto('availability_rules')
      .values({
        id: randomUUID(),
        organization_id: org,
        resource_kind: resourceKind,
        resource_id: resourceId,
        weekday,
        start_time: start,
        end_time: end,
        effective_from: null,
        effective_until: null,
        appointment_kinds: kinds ? JSON.stringify(kinds) : null,
        created_at: at,
      })
      .execute();
  };
  const care: AppointmentKind[] = ['intake', 'preparation', 'dosing', 'integration', 'group'];
  const { therapist, therapist2, prescriber, nurse } = ctx.users;
  for (let d = 1; d <= 5; d++) {
    // Care hours, with consultation hours kept apart so visitors never take a dosing day.
    await rule('clinician', therapist, d, '09:00', '12:00', care);
    await rule('clinician', therapist, d, '13:00', '16:00', care);
    await rule('clinician', therapist, d, '16:00', '18:00', ['consultation']);
    await rule('clinician', therapist2, d, '10:00', '13:00', ['consultation']);
    await rule('clinician', therapist2, d, '14:00', '18:00', care);
    await rule('clinician', prescriber, d, '08:00', '16:00', care);
    await rule('nurse', nurse, d, '08:00', '17:00', null);
    for (const id of Object.values(rooms)) await rule(rooms['Room 1'] === id || rooms['Room 2'] === id ? 'room' : 'chair', id, d, '08:00', '18:00', null);
  }
  await rule('clinician', therapist, 6, '10:00', '12:00', ['consultation']);

  // A few appointments in the coming days (weekdays, clinic time).
  const today = localDateOfInstant(ctx.now.getTime(), ZONE);
  const weekdays: string[] = [];
  for (let i = 1; weekdays.length < 4; i++) {
    const date = addDaysToLocalDate(today, i);
    if (isoWeekdayOfLocalDate(date) <= 5) weekdays.push(date);
  }
  const appt = async (kind: AppointmentKind, date: string, time: string, clinician: string, patient: string, room: string | null, nurseId: string | null = null) => {
    const t = TYPES.find((x) => x.kind === kind)!;
    const start = instantOfLocalDateTime(date, time, ZONE);
    await trx
      .insertInto('appointments')
      .values({
        id: randomUUID(),
        organization_id: org,
        kind,
        appointment_type_id: typeIds.get(kind)!,
        status: 'booked',
        cancel_reason: null,
        patient_id: patient,
        consultation_request_id: null,
        clinician_id: clinician,
        room_id: room,
        nurse_id: nurseId,
        start_at: new Date(start).toISOString(),
        end_at: new Date(start + t.duration * 60_000).toISOString(),
        buffer_before_minutes: t.before,
        buffer_after_minutes: t.after,
        created_by: ctx.users.frontDesk,
        created_at: at,
        updated_at: at,
      })
      .execute();
  };
  await appt('intake', weekdays[0]!, '09:00', therapist, ctx.patients.jamie, rooms['Room 1']!);
  await appt('preparation', weekdays[0]!, '13:00', therapist, ctx.patients.alex, rooms['Room 1']!);
  await appt('integration', weekdays[1]!, '14:00', therapist2, ctx.patients.morgan, rooms['Room 2']!);
  await appt('preparation', weekdays[2]!, '10:00', therapist, ctx.patients.sam, rooms['Room 2']!);
  await appt('integration', weekdays[3]!, '15:00', therapist2, ctx.patients.riley, rooms['Room 1']!);
}
