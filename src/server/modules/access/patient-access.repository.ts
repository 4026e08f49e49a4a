import { SqliteAdapter, type Kysely } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Role } from '../../../core/access/roles';
import { CommittedDataCache } from '../../db/committed-data-cache';
import { preparedQuery } from '../../db/prepared-query';
import type { DB, PatientRow } from '../../db/schema';

export interface CareTeamMember {
  readonly user_id: string;
  readonly display_name: string;
  readonly role: Role;
}

const accessFacts = preparedQuery((db: Kysely<DB>, patientId: string, userId: string) => {
  const jsonArrayFrom = db.getExecutor().adapter instanceof SqliteAdapter ? sqliteJsonArrayFrom : pgJsonArrayFrom;
  return db
    .selectFrom('patients as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('care_team_members as c')
            .select('c.user_id')
            .whereRef('c.patient_id', '=', 'p.id')
            .where('c.user_id', '=', userId),
        )
        .as('on_team'),
      // The latest grant's end, live or not: whether it is live is decided at use, so
      // the answer does not depend on the time it was read (it can be cached).
      eb
        .selectFrom('break_glass_grants as g')
        .select((g) => g.fn.max('g.expires_at').as('until'))
        .whereRef('g.patient_id', '=', 'p.id')
        .where('g.user_id', '=', userId)
        .as('break_glass_until'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_members as t')
          .innerJoin('users as u', 'u.id', 't.user_id')
          .select(['u.id as user_id', 'u.display_name', 'u.role'])
          .whereRef('t.patient_id', '=', 'p.id')
          .orderBy('u.display_name'),
      ).as('care_team'),
    ])
    .where('p.id', '=', patientId);
});

interface StoredAccessFacts {
  readonly careTeam: readonly CareTeamMember[];
  readonly organizationId: string;
  readonly onTeam: boolean;
  /** The end of the actor's latest break-the-glass grant for this patient, past or future. */
  readonly latestGrantUntil: string | null;
  /** The same instant in epoch milliseconds (parsed once, compared on every read). */
  readonly latestGrantUntilMs: number;
  readonly patient: Readonly<PatientRow>;
}

// Every chart read starts here, and the same actor opens the same chart many times
// between changes; the cache is emptied by any commit (see CommittedDataCache).
const factsCache = new CommittedDataCache<StoredAccessFacts | undefined>();

async function loadAccessFacts(db: Kysely<DB>, patientId: string, userId: string): Promise<StoredAccessFacts | undefined> {
  const [row] = await accessFacts(db, patientId, userId);
  if (!row) return undefined;
  const { on_team, break_glass_until, care_team, ...patient } = row;
  // SQLite's json_group_array arrives as text; PostgreSQL's json_agg already parsed.
  const careTeam = (typeof care_team === 'string' ? JSON.parse(care_team) : care_team) as CareTeamMember[];
  return Object.freeze({
    careTeam: Object.freeze(careTeam.map((m) => Object.freeze(m))),
    organizationId: patient.organization_id,
    onTeam: Boolean(on_team),
    latestGrantUntil: (break_glass_until as string | null) ?? null,
    latestGrantUntilMs: break_glass_until ? Date.parse(break_glass_until as string) : Number.NEGATIVE_INFINITY,
    patient: Object.freeze(patient as PatientRow),
  });
}

/**
 * Everything the policy needs about one patient and one actor at `now`, in one query
 * (compiled once: every chart read runs it). It returns the patient's row and care team
 * too, so a chart read that is allowed does not read them again. The row and team are
 * frozen: they may be shared with other requests.
 */
export async function findPatientAccessFacts(db: Kysely<DB>, patientId: string, userId: string, now: Date) {
  const facts = await factsCache.get(db, `${patientId}\u0000${userId}`, () => loadAccessFacts(db, patientId, userId));
  if (!facts) return undefined;
  const breakGlassUntil = facts.latestGrantUntilMs > now.getTime() ? facts.latestGrantUntil : null;
  return {
    careTeam: facts.careTeam,
    organizationId: facts.organizationId,
    onTeam: facts.onTeam,
    breakGlass: breakGlassUntil !== null,
    breakGlassUntil,
    patient: facts.patient,
  };
}

export async function insertBreakGlassGrant(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; user_id: string; patient_id: string; reason: string; created_at: string; expires_at: string },
) {
  await db.insertInto('break_glass_grants').values(row).execute();
}
