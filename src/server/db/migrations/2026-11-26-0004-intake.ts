import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Intake, screening and eligibility: instrument definitions, responses, safety alerts,
// clinic intake settings, eligibility decisions (+ addenda), consent documents and
// signatures, goals. Free text columns named *_enc hold AES-256-GCM envelopes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clinic_intake_settings')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id'))
    /** Minutes an open safety alert may stay unacknowledged before escalating to the clinic admin. */
    .addColumn('alert_escalation_minutes', 'integer', (c) => c.notNull())
    /** JSON array of ContraindicationRule, or null for the bundled defaults. */
    .addColumn('contraindication_rules', 'text')
    /** Days an eligible decision stays current; null = until superseded. */
    .addColumn('eligibility_valid_days', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('instrument_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    /** 'bundled' (stored on first use so responses reference the exact version) | 'imported' (clinic upload). */
    .addColumn('origin', 'text', (c) => c.notNull())
    /** The validated definition, JSON text. */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('instrument_definitions_org_code_version', ['organization_id', 'code', 'version'])
    .execute();

  await db.schema
    .createTable('questionnaire_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('instrument_code', 'text', (c) => c.notNull())
    .addColumn('instrument_version', 'text', (c) => c.notNull())
    /** Set for clinic-imported instruments (the exact definition version answered on). */
    .addColumn('definition_id', 'text', (c) => c.references('instrument_definitions.id'))
    /** 'in_progress' (partial save, resumable) | 'submitted'. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** Encrypted JSON of {itemId: value}. */
    .addColumn('answers_enc', 'text', (c) => c.notNull())
    /** Scoring status: 'scored' | 'incomplete' | 'complete' (forms); null while in progress. */
    .addColumn('score_status', 'text')
    .addColumn('score_total', 'integer')
    .addColumn('score_band', 'text')
    /** Encrypted JSON of the full score result (subscales, flags, interpretation). */
    .addColumn('score_detail_enc', 'text')
    /** 'portal' (patient) | 'paper' (staff transcribing a paper form) | 'staff' (in clinic). */
    .addColumn('entry_mode', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('administered_on', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .execute();
  await db.schema
    .createIndex('responses_by_patient')
    .on('questionnaire_responses')
    .columns(['patient_id', 'instrument_code', 'status', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('safety_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('response_id', 'text', (c) => c.notNull().references('questionnaire_responses.id'))
    .addColumn('priority', 'text', (c) => c.notNull())
    /** References only: instrument code and item id that triggered it. */
    .addColumn('instrument_code', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('answer_value', 'integer', (c) => c.notNull())
    /** 'open' | 'acknowledged'. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('follow_up_enc', 'text')
    .addColumn('escalated_at', 'text')
    /** Claim for the escalation job: whichever instance sets it first sends. */
    .addColumn('escalation_claimed_by', 'text')
    .execute();
  await db.schema.createIndex('safety_alerts_org_status').on('safety_alerts').columns(['organization_id', 'status', 'raised_at']).execute();
  await db.schema.createIndex('safety_alerts_patient').on('safety_alerts').columns(['patient_id', 'status']).execute();

  await db.schema
    .createTable('eligibility_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    /** 'eligible' | 'not_eligible' | 'needs_more_information' | 'refer_out'. */
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('rationale_enc', 'text', (c) => c.notNull())
    .addColumn('conditions_enc', 'text')
    /** JSON snapshot of the flags shown to the prescriber when signing. */
    .addColumn('flags_snapshot', 'text', (c) => c.notNull())
    /** JSON array of overridden absolute-flag rule ids. */
    .addColumn('overridden_rule_ids', 'text', (c) => c.notNull())
    .addColumn('override_reason_enc', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('supersedes_id', 'text')
    .addColumn('superseded_by_id', 'text')
    .addColumn('signed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('signed_by_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    /** SHA-256 over the signed content (decision, plaintext rationale, conditions, flags, signer, time). */
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('eligibility_by_patient')
    .on('eligibility_decisions')
    .columns(['patient_id', 'signed_at'])
    .execute();

  await db.schema
    .createTable('eligibility_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('decision_id', 'text', (c) => c.notNull().references('eligibility_decisions.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eligibility_addenda_decision').on('eligibility_addenda').columns(['decision_id', 'created_at']).execute();

  await db.schema
    .createTable('consent_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    /** 'kap_treatment' | 'telehealth' | 'privacy_notice'. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** 'draft' | 'published' | 'retired'. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addUniqueConstraint('consent_documents_org_kind_version', ['organization_id', 'kind', 'version'])
    .execute();

  await db.schema
    .createTable('consent_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('consent_documents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('typed_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('text_sha256', 'text', (c) => c.notNull())
    .addColumn('signed_by_user_id', 'text', (c) => c.notNull())
    /** The PDF copy generated at signing, base64. */
    .addColumn('pdf_base64', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_signatures_patient').on('consent_signatures').columns(['patient_id', 'kind', 'signed_at']).execute();

  await db.schema
    .createTable('patient_goals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    /** 'insight' | 'symptom_reduction' | 'personal_growth' | 'coping'. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('what_enc', 'text', (c) => c.notNull())
    .addColumn('how_we_know_enc', 'text', (c) => c.notNull())
    .addColumn('by_when', 'text', (c) => c.notNull())
    .addColumn('measure_code', 'text')
    /** 'below' | 'at_or_below' | 'above' | 'at_or_above'. */
    .addColumn('target_comparator', 'text')
    .addColumn('target_value', 'integer')
    /** 'active' | 'achieved' | 'discontinued'. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patient_goals_patient').on('patient_goals').columns(['patient_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'patient_goals',
    'consent_signatures',
    'consent_documents',
    'eligibility_addenda',
    'eligibility_decisions',
    'safety_alerts',
    'questionnaire_responses',
    'instrument_definitions',
    'clinic_intake_settings',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
