import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// Issue 5, the optional post-session experience measure: a questionnaire response may belong
// to a dosing session (answered after it, in recovery or after discharge). Null for every
// other response. The session view lists its responses by this column.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('questionnaire_responses')
    .addColumn('dosing_session_id', 'text', (c) => c.references('dosing_sessions.id'))
    .execute();
  await db.schema.createIndex('responses_by_dosing_session').on('questionnaire_responses').columns(['dosing_session_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_by_dosing_session').ifExists().execute();
  await db.schema.alterTable('questionnaire_responses').dropColumn('dosing_session_id').execute();
}
