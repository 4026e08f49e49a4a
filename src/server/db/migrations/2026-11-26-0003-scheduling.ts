import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Scheduling: rooms and chairs, appointment types, weekly availability rules, time off,
// clinic holidays, booking policy, appointments, free-consultation requests (+ notes),
// public booking throttle, patient portal invitations, private calendar feed tokens.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    /** 'room' | 'chair' */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rooms_org').on('rooms').columns(['organization_id', 'kind']).execute();

  await db.schema
    .createTable('appointment_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    /** consultation | intake | preparation | dosing | integration | group */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('buffer_before_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('buffer_after_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('slot_step_minutes', 'integer', (c) => c.notNull())
    /** JSON array of resource kinds (clinician, room, chair, nurse); the first anchors the slot grid. */
    .addColumn('required_resources', 'text', (c) => c.notNull())
    /** 1 when visitors may book it without an account (free consultation). */
    .addColumn('public_bookable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appointment_types_org_kind').on('appointment_types').columns(['organization_id', 'kind']).execute();

  await db.schema
    .createTable('availability_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    /** clinician | nurse (users.id) or room | chair (rooms.id) */
    .addColumn('resource_kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    /** ISO weekday 1 = Monday … 7 = Sunday */
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text')
    .addColumn('effective_until', 'text')
    /** JSON array of appointment kinds this window is for; null = any kind. */
    .addColumn('appointment_kinds', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('availability_rules_resource')
    .on('availability_rules')
    .columns(['organization_id', 'resource_kind', 'resource_id'])
    .execute();

  await db.schema
    .createTable('time_off')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('resource_kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('time_off_resource').on('time_off').columns(['resource_id', 'end_at']).execute();

  await db.schema
    .createTable('clinic_holidays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clinic_holidays_org_date').on('clinic_holidays').columns(['organization_id', 'date']).unique().execute();

  await db.schema
    .createTable('booking_policies')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('horizon_days', 'integer', (c) => c.notNull())
    .addColumn('min_notice_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consultation_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('clinician_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    /** email | phone | text */
    .addColumn('contact_preference', 'text', (c) => c.notNull())
    .addColumn('consent_to_contact', 'integer', (c) => c.notNull())
    /** new | contacted | scheduled | converted | declined */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('visitor_time_zone', 'text')
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    /** Bumped to invalidate previously sent manage links. */
    .addColumn('link_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consultation_requests_org_status')
    .on('consultation_requests')
    .columns(['organization_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('consultation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull().references('consultation_requests.id'))
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_notes_request').on('consultation_notes').columns(['request_id', 'created_at']).execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('appointment_type_id', 'text', (c) => c.references('appointment_types.id'))
    /** booked | confirmed | checked_in | in_progress | completed | cancelled | no_show */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    .addColumn('consultation_request_id', 'text', (c) => c.references('consultation_requests.id'))
    .addColumn('clinician_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('room_id', 'text', (c) => c.references('rooms.id'))
    .addColumn('nurse_id', 'text', (c) => c.references('users.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('buffer_before_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('buffer_after_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appointments_clinician_time').on('appointments').columns(['clinician_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_room_time').on('appointments').columns(['room_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_nurse_time').on('appointments').columns(['nurse_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_patient_time').on('appointments').columns(['patient_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_org_time').on('appointments').columns(['organization_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_consultation').on('appointments').column('consultation_request_id').execute();

  await db.schema
    .createTable('booking_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('throttle_key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('booking_attempts_key_at').on('booking_attempts').columns(['throttle_key', 'at']).execute();

  await db.schema
    .createTable('patient_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patient_invitations_patient').on('patient_invitations').column('patient_id').execute();

  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** SHA-256 of the token in the feed URL: the database alone does not yield feeds. */
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('calendar_feed_tokens_user').on('calendar_feed_tokens').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'calendar_feed_tokens',
    'patient_invitations',
    'booking_attempts',
    'appointments',
    'consultation_notes',
    'consultation_requests',
    'booking_policies',
    'clinic_holidays',
    'time_off',
    'availability_rules',
    'appointment_types',
    'rooms',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
