import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Dosing sessions (issue 5): clinic protocol revisions, the session flowsheet, dose orders
// with co-signature, immutable administrations, the controlled-substance log, vital
// readings with idempotent batches, alerts, the per-session event log (SSE resume),
// therapist notes (encrypted, signed, addenda).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clinic_protocols')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    /** The ClinicProtocol document, JSON text, validated before it is stored. */
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('clinic_protocols_org_revision', ['organization_id', 'revision'])
    .execute();

  await db.schema
    .createTable('dosing_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('appointment_id', 'text', (c) => c.notNull().unique().references('appointments.id'))
    .addColumn('room_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    /** The protocol revision in force for this session (pinned at creation). */
    .addColumn('protocol_revision', 'integer', (c) => c.notNull())
    /** Last event sequence number: events of a session are numbered 1, 2, 3… (SSE ids). */
    .addColumn('event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    // check-in facts recorded at the chair
    .addColumn('weight_kg', 'double precision')
    .addColumn('weight_measured_at', 'text')
    .addColumn('pregnancy_status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('fasting_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('abstinence_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escort_name_enc', 'text')
    .addColumn('escort_phone_enc', 'text')
    .addColumn('next24h_free_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('facts_updated_by', 'text')
    .addColumn('facts_updated_at', 'text')
    /** The pre-dose reading accepted at check-in: the discharge baseline. JSON text. */
    .addColumn('baseline_vitals', 'text')
    /** Discharge assessment (Aldrete items, orientation, gait, escort present). JSON text. */
    .addColumn('discharge_assessment', 'text')
    .addColumn('last_reading_at', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('dosing_started_at', 'text')
    .addColumn('first_dose_at', 'text')
    .addColumn('monitoring_started_at', 'text')
    .addColumn('recovery_started_at', 'text')
    .addColumn('discharged_at', 'text')
    .addColumn('aborted_at', 'text')
    .addColumn('abort_reason_enc', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dosing_sessions_org_state').on('dosing_sessions').columns(['organization_id', 'state']).execute();
  await db.schema.createIndex('dosing_sessions_patient').on('dosing_sessions').columns(['patient_id', 'first_dose_at']).execute();

  await db.schema
    .createTable('dosing_transitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    /** Reasons that were overridden (JSON text), empty array when none. */
    .addColumn('overridden_reasons', 'text', (c) => c.notNull())
    .addColumn('reason_enc', 'text')
    .addColumn('by_user_id', 'text', (c) => c.notNull())
    .addColumn('by_role', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dosing_transitions_session').on('dosing_transitions').columns(['session_id', 'at']).execute();

  await db.schema
    .createTable('dose_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('calculation', 'text', (c) => c.notNull())
    .addColumn('dose_mg', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('override_reason_enc', 'text')
    .addColumn('calculated_by', 'text', (c) => c.notNull())
    .addColumn('calculated_by_role', 'text', (c) => c.notNull())
    .addColumn('calculated_at', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text')
    .addColumn('verified_at', 'text')
    .execute();
  await db.schema.createIndex('dose_orders_session').on('dose_orders').columns(['session_id', 'calculated_at']).execute();

  await db.schema
    .createTable('administrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('dose_order_id', 'text', (c) => c.notNull().references('dose_orders.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('concentration_mg_per_ml', 'double precision')
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('expiry', 'text', (c) => c.notNull())
    .addColumn('dose_mg', 'double precision', (c) => c.notNull())
    .addColumn('volume_ml', 'double precision')
    .addColumn('started_at', 'text', (c) => c.notNull())
    /** Set once: at creation or by the one-time "end infusion" step; never changed after. */
    .addColumn('ended_at', 'text')
    .addColumn('given_by', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('administrations_idempotency', ['session_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('administration_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('administration_id', 'text', (c) => c.notNull().references('administrations.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('controlled_substance_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_mg', 'double precision', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('administration_id', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('witness_id', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('controlled_substance_lot').on('controlled_substance_log').columns(['organization_id', 'lot', 'at']).execute();

  await db.schema
    .createTable('vital_batches')
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    /** The response given the first time (JSON text): a retry gets exactly this. */
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vital_batches_pk', ['session_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('vital_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    /** Device timestamp (UTC ISO). */
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('hr', 'double precision')
    .addColumn('sbp', 'double precision')
    .addColumn('dbp', 'double precision')
    .addColumn('spo2', 'double precision')
    .addColumn('rr', 'double precision')
    .addColumn('source', 'text', (c) => c.notNull())
    /** Session state when the reading arrived (scheduled = pre-dose). */
    .addColumn('phase', 'text', (c) => c.notNull())
    /** Event sequence number of this reading in its session's stream. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vital_readings_session_at').on('vital_readings').columns(['session_id', 'at']).execute();
  await db.schema.createIndex('vital_readings_session_seq').on('vital_readings').columns(['session_id', 'seq']).unique().execute();

  await db.schema
    .createTable('session_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('value', 'double precision')
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reading_id', 'text')
    /** Unique key that makes a periodic alert (no reading for N min) raise once across instances. */
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('escalation_level', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('intervention_enc', 'text')
    .execute();
  await db.schema.createIndex('session_alerts_session').on('session_alerts').columns(['session_id', 'status']).execute();
  await db.schema.createIndex('session_alerts_org_status').on('session_alerts').columns(['organization_id', 'status']).execute();

  await db.schema
    .createTable('session_events')
    .addColumn('session_id', 'text', (c) => c.notNull().references('dosing_sessions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The event body sent to the browser (JSON text; references and vitals only, no free text). */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_events_pk', ['session_id', 'seq'])
    .execute();

  await db.schema
    .createTable('session_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().unique().references('dosing_sessions.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('signed_by', 'text')
    .addColumn('signed_by_name', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('content_sha256', 'text')
    .execute();

  await db.schema
    .createTable('session_note_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('note_id', 'text', (c) => c.notNull().references('session_notes.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'session_note_addenda',
    'session_notes',
    'session_events',
    'session_alerts',
    'vital_readings',
    'vital_batches',
    'controlled_substance_log',
    'administration_addenda',
    'administrations',
    'dose_orders',
    'dosing_transitions',
    'dosing_sessions',
    'clinic_protocols',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
