import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppointmentKind, DB } from '../../db/schema';

/** Test factories for scheduling (isolated data with random ids). Imported by the *.int.test.ts files only. */

export async function createAppointmentType(
  db: Kysely<DB>,
  organizationId: string,
  t: { kind: AppointmentKind; duration: number; before?: number; after?: number; step?: number; resources?: string[]; publicBookable?: boolean },
) {
  const id = randomUUID();
  await db
    .insertInto('appointment_types')
    .values({
      id,
      organization_id: organizationId,
      kind: t.kind,
      name: `${t.kind} ${id.slice(0, 4)}`,
      duration_minutes: t.duration,
      buffer_before_minutes: t.before ?? 0,
      buffer_after_minutes: t.after ?? 0,
      slot_step_minutes: t.step ?? t.duration,
      required_resources: JSON.stringify(t.resources ?? ['clinician']),
      public_bookable: t.publicBookable ? 1 : 0,
      active: 1,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

export async function createRoom(db: Kysely<DB>, organizationId: string, kind: 'room' | 'chair', name: string) {
  const id = randomUUID();
  await db.insertInto('rooms').values({ id, organization_id: organizationId, kind, name, active: 1, created_at: new Date().toISOString() }).execute();
  return id;
}

export async function addRule(
  db: Kysely<DB>,
  organizationId: string,
  resourceKind: 'clinician' | 'nurse' | 'room' | 'chair',
  resourceId: string,
  weekdays: number[],
  start: string,
  end: string,
  kinds: AppointmentKind[] | null = null,
) {
  for (const weekday of weekdays) {
    await db
      .insertInto('availability_rules')
      .values({
        id: randomUUID(),
        organization_id: organizationId,
        resource_kind: resourceKind,
        resource_id: resourceId,
        weekday,
        start_time: start,
        end_time: end,
        effective_from: null,
        effective_until: null,
        appointment_kinds: kinds ? JSON.stringify(kinds) : null,
        created_at: new Date().toISOString(),
      })
      .execute();
  }
}

export async function setPolicy(db: Kysely<DB>, organizationId: string, horizonDays: number, minNoticeMinutes: number) {
  await db
    .insertInto('booking_policies')
    .values({ organization_id: organizationId, horizon_days: horizonDays, min_notice_minutes: minNoticeMinutes, updated_at: new Date().toISOString() })
    .execute();
}

export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
