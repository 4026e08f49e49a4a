import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/core/access/roles';
import { buildApp } from '../../src/server/app';
import { loadConfig, type Config } from '../../src/server/config';
import type { DB } from '../../src/server/db/schema';
import type { Deps } from '../../src/server/deps';
import type { App } from '../../src/server/http/types';
import { hashPassword } from '../../src/server/modules/auth/passwords';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;
/** Hashing is deliberately slow: one hash serves every account a test file creates. */
export const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

export interface TestContext {
  app: App;
  deps: Deps;
  db: Kysely<DB>;
  config: Config;
  testDb: TestDatabase;
  /** A controllable clock: tests move time instead of sleeping. */
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

export async function createTestApp(
  env: Record<string, string> = {},
  options: { logStream?: { write(line: string): void } } = {},
): Promise<TestContext> {
  const testDb = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: testDb.dataDir,
    WEB_DIST_DIR: `${testDb.dataDir}/no-web`,
    ...(testDb.databaseConfig.kind === 'postgres' ? { DATABASE_URL: testDb.databaseConfig.url } : {}),
    ...env,
  });
  const clock = {
    now: new Date('2026-11-26T18:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const { app, deps } = await buildApp(config, { database: testDb.database, now: () => clock.now, ...options });
  await app.ready();
  return {
    app,
    deps,
    db: testDb.database.db,
    config,
    testDb,
    clock,
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

// ---- factories: isolated data with random ids, never shared fixtures ----

export async function createOrganization(db: Kysely<DB>, name = `Clinic ${randomUUID().slice(0, 8)}`) {
  const id = randomUUID();
  await db
    .insertInto('organizations')
    .values({ id, name, slug: `org-${id}`, time_zone: 'America/Los_Angeles', created_at: new Date().toISOString() })
    .execute();
  return { id, name };
}

export async function createUser(db: Kysely<DB>, organizationId: string, role: Role, options: { patientId?: string; active?: boolean } = {}) {
  const id = randomUUID();
  const email = `${role}-${id.slice(0, 8)}@test.example`;
  const at = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      id,
      organization_id: organizationId,
      email,
      password_hash: await testPasswordHash(),
      role,
      display_name: `${role} ${id.slice(0, 4)}`,
      patient_id: options.patientId ?? null,
      active: options.active === false ? 0 : 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { id, email, role, organizationId };
}

export async function createPatientRow(
  db: Kysely<DB>,
  organizationId: string,
  fields: Partial<{ given: string; family: string; dob: string; email: string }> = {},
) {
  const id = randomUUID();
  const given = fields.given ?? `Given${id.slice(0, 4)}`;
  const family = fields.family ?? `Family${id.slice(4, 8)}`;
  const at = new Date().toISOString();
  await db
    .insertInto('patients')
    .values({
      id,
      organization_id: organizationId,
      legal_given_name: given,
      legal_family_name: family,
      preferred_name: null,
      pronouns: null,
      date_of_birth: fields.dob ?? '1985-05-05',
      email: fields.email ?? null,
      phone: null,
      address: null,
      emergency_contact_name: null,
      emergency_contact_phone: null,
      emergency_contact_relationship: null,
      preferred_language: null,
      search_name: `${given} ${family}`.toLowerCase(),
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { id, given, family };
}

export async function addToCareTeam(db: Kysely<DB>, organizationId: string, patientId: string, userId: string) {
  await db
    .insertInto('care_team_members')
    .values({ organization_id: organizationId, patient_id: patientId, user_id: userId, added_by: userId, added_at: new Date().toISOString() })
    .execute();
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'threshold_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie: `threshold_session=${cookie.value}`, csrf, headers: { cookie: `threshold_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

export function errorOf(res: LightMyRequestResponse): { code: string; message: string; field?: string } {
  return (res.json() as { error: { code: string; message: string; field?: string } }).error;
}

/** A whole clinic for access tests: two care teams, every role, and a second tenant. */
export async function createClinicWorld(db: Kysely<DB>) {
  const org = await createOrganization(db);
  const other = await createOrganization(db);
  const patientA = await createPatientRow(db, org.id, { given: 'Ada', family: 'Lovelace' });
  const patientB = await createPatientRow(db, org.id, { given: 'Grace', family: 'Hopper' });
  const foreignPatient = await createPatientRow(db, other.id, { given: 'Katherine', family: 'Johnson' });
  const users = {
    patientA: await createUser(db, org.id, 'patient', { patientId: patientA.id }),
    therapistA: await createUser(db, org.id, 'therapist'),
    therapistB: await createUser(db, org.id, 'therapist'),
    prescriber: await createUser(db, org.id, 'prescriber'),
    nurse: await createUser(db, org.id, 'nurse'),
    frontDesk: await createUser(db, org.id, 'front_desk'),
    admin: await createUser(db, org.id, 'clinic_admin'),
    foreignTherapist: await createUser(db, other.id, 'therapist'),
    foreignAdmin: await createUser(db, other.id, 'clinic_admin'),
  };
  for (const u of [users.therapistA, users.prescriber, users.nurse]) await addToCareTeam(db, org.id, patientA.id, u.id);
  await addToCareTeam(db, org.id, patientB.id, users.therapistB.id);
  await addToCareTeam(db, other.id, foreignPatient.id, users.foreignTherapist.id);
  return { org, other, patientA, patientB, foreignPatient, users };
}
