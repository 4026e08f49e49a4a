import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../../../test/helpers/test-database';
import type { ProviderProfileBody } from '../../../core/schemas/directory.schema';
import { providerRowOf } from '../../modules/directory/directory.service';
import type { DB } from '../schema';
import { migrateTo, migrateToLatest } from '../migrate';
import * as searchVectorInline from './2026-11-26-0010-directory-search-vector-inline';

const BEFORE = '2026-11-26-0009-post-session-measure';
// The benchmark's common bio vocabulary (bench/targets/directory-search.ts).
const WORDS = ['therapy', 'ketamine', 'support', 'trauma', 'depression', 'anxiety', 'integration', 'healing', 'session', 'experience', 'people', 'work', 'compassionate', 'safe', 'space', 'journey', 'mindful', 'body', 'relationship', 'clients', 'years', 'practice', 'care', 'change', 'meaning', 'together', 'preparation', 'psychotherapy', 'medicine', 'wellbeing'];

/** A profile as the benchmark writes them: a 40-word bio makes the row ~3 KB, past PostgreSQL's 2 KB threshold. */
async function insertProvider(db: Kysely<DB>, n: number): Promise<string> {
  const at = new Date().toISOString();
  const organizationId = randomUUID();
  const userId = randomUUID();
  await sql`insert into organizations (id, name, slug, time_zone, created_at)
    values (${organizationId}, ${`Clinic ${n}`}, ${`clinic-${organizationId}`}, 'America/Los_Angeles', ${at})`.execute(db);
  await sql`insert into users (id, organization_id, email, password_hash, role, display_name, active, created_at, updated_at)
    values (${userId}, ${organizationId}, ${`p${n}@example.test`}, 'not-a-login', 'therapist', 'Maya Chen', 1, ${at}, ${at})`.execute(db);
  const body: ProviderProfileBody = {
    listed: true,
    displayName: 'Maya Chen, LMFT',
    pronouns: null,
    credentials: ['LMFT'],
    licenceType: 'LMFT',
    licenceNumber: `S${n}`,
    licenceState: 'CA',
    licenceExpiresOn: '2099-01-31',
    conditions: ['ptsd', 'depression'],
    approaches: ['ifs'],
    routes: ['im'],
    formats: ['individual'],
    inPerson: true,
    telehealth: true,
    languages: ['en'],
    feeMinUsd: 150,
    feeMaxUsd: 300,
    slidingScale: false,
    superbill: true,
    acceptingNewPatients: true,
    bio: Array.from({ length: 40 }, (_, i) => WORDS[(i * 7 + n) % WORDS.length]!).join(' '),
    photoUrl: null,
  };
  const row = providerRowOf({
    userId,
    organizationId,
    body,
    location: { addressLine1: '1 Main St', addressLine2: null, city: 'Los Angeles', state: 'CA', postalCode: '90012', latitude: 34.06, longitude: -118.24 },
    usesClinicLocation: false,
    clinic: null,
    accountActive: true,
    verification: { at, by: null },
    at,
  });
  await db.insertInto('directory_providers').values({ ...row, created_at: at }).execute();
  return userId;
}

/** Buffers read to fetch one expression of one profile's row (index and heap, plus TOAST when out of line). */
async function buffersToRead(db: Kysely<DB>, userId: string, expression: string): Promise<number> {
  const query = sql.raw(`explain (analyze, buffers, costs off, timing off, summary off, format json)
    select ${expression} from directory_providers where user_id = '${userId}'`);
  let blocks = 0;
  // The second run: the first may also count catalog reads of a relation opened for the first time.
  for (let run = 0; run < 2; run++) {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }>`${query}`.execute(db);
    const plan = rows[0]!['QUERY PLAN'][0].Plan;
    blocks = plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
  }
  return blocks;
}

/** Extra buffers that reading the search vector costs beside reading the name: 0 when the vector is in the row. */
async function outOfLineCost(db: Kysely<DB>, userId: string): Promise<number> {
  return (await buffersToRead(db, userId, 'length(search_vector)')) - (await buffersToRead(db, userId, 'length(display_name)'));
}

async function layout(db: Kysely<DB>) {
  const { rows } = await sql<{ storage: string; options: string[] | null }>`select
      (select attstorage from pg_attribute where attrelid = 'directory_providers'::regclass and attname = 'search_vector') as storage,
      (select reloptions from pg_class where relname = 'directory_providers_search') as options`.execute(db);
  return rows[0]!;
}

let t: TestDatabase | null = null;
afterEach(async () => {
  await t?.drop();
  t = null;
});

describe.skipIf(TEST_DIALECT !== 'postgres')('migration 0010: the search vector in the row, the GIN index without a pending list', () => {
  it('moves the vectors of existing profiles into their rows, keeps new ones there, and is idempotent', async () => {
    t = await createTestDatabase();
    const db = t.database.db;
    await migrateTo(db, BEFORE);
    expect(await layout(db)).toEqual({ storage: 'x', options: null });
    const existing = await insertProvider(db, 1);
    const vectorBefore = await sql<{ v: string }>`select search_vector::text as v from directory_providers where user_id = ${existing}`.execute(db);
    // The fixture is realistic only if the vector went out of line before the migration.
    expect(await outOfLineCost(db, existing)).toBeGreaterThan(0);

    await migrateToLatest(db);
    expect(await layout(db)).toEqual({ storage: 'm', options: ['fastupdate=off'] });
    expect(await outOfLineCost(db, existing)).toBe(0);
    const vectorAfter = await sql<{ v: string }>`select search_vector::text as v from directory_providers where user_id = ${existing}`.execute(db);
    expect(vectorAfter.rows).toEqual(vectorBefore.rows);
    const written = await insertProvider(db, 2);
    expect(await outOfLineCost(db, written)).toBe(0);

    // Running it again changes nothing.
    await searchVectorInline.up(db);
    expect(await layout(db)).toEqual({ storage: 'm', options: ['fastupdate=off'] });
    expect(await outOfLineCost(db, existing)).toBe(0);

    await migrateTo(db, BEFORE);
    expect(await layout(db)).toEqual({ storage: 'x', options: null });
  });
});

describe.skipIf(TEST_DIALECT !== 'sqlite')('migration 0010 on SQLite', () => {
  it('changes nothing', async () => {
    t = await createTestDatabase();
    const db = t.database.db;
    const schema = () => sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_master order by name`.execute(db);
    const before = (await schema()).rows;
    await searchVectorInline.down(db);
    await searchVectorInline.up(db);
    expect((await schema()).rows).toEqual(before);
  });
});
