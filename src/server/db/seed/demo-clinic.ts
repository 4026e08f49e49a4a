import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '../../../core/access/roles';
import type { DB } from '../schema';
import { seedDemoScheduling } from './demo-scheduling';
import { seedDemoDirectory } from './demo-directory';
import { seedDemoDosing } from './demo-dosing';
import { seedDemoIntake } from './demo-intake';

export const DEMO_PASSWORD = 'threshold-demo';

interface PersonSeed {
  given: string;
  family: string;
  preferred?: string;
  pronouns?: string;
  dob: string;
  email: string;
  phone: string;
}

const DEMO_PATIENTS: PersonSeed[] = [
  { given: 'Alexandra', family: 'Rivera', preferred: 'Alex', pronouns: 'she/her', dob: '1988-04-12', email: 'patient@demo.clinic', phone: '+1 213 555 0101' },
  { given: 'Samuel', family: 'Okafor', preferred: 'Sam', pronouns: 'he/him', dob: '1979-09-30', email: 'sam.okafor@example.com', phone: '+1 213 555 0102' },
  { given: 'Jamie', family: 'Nguyen', pronouns: 'they/them', dob: '1995-01-22', email: 'jamie.nguyen@example.com', phone: '+1 213 555 0103' },
  { given: 'Morgan', family: 'Blake', pronouns: 'she/her', dob: '1969-11-05', email: 'morgan.blake@example.com', phone: '+1 213 555 0104' },
  { given: 'Riley', family: 'Park', pronouns: 'he/him', dob: '2001-06-17', email: 'riley.park@example.com', phone: '+1 213 555 0105' },
];

/** Ids of what the base seed created, for the capability seeds that extend it. */
export interface DemoContext {
  readonly now: Date;
  /** AES-256-GCM key (config.secrets.dataEncryptionKey) for seeds that store encrypted free text. */
  readonly dataEncryptionKey: string;
  readonly organizationId: string;
  readonly otherOrganizationId: string;
  readonly users: {
    readonly admin: string;
    readonly frontDesk: string;
    readonly therapist: string;
    readonly therapist2: string;
    readonly prescriber: string;
    readonly nurse: string;
    readonly patientAlex: string;
  };
  readonly patients: { readonly alex: string; readonly sam: string; readonly jamie: string; readonly morgan: string; readonly riley: string };
}

/**
 * Each capability adds its demo data here (directory listing, schedules, intake, …),
 * inside the same transaction as the base seed.
 */
const DEMO_EXTENSIONS: ((trx: Kysely<DB>, ctx: DemoContext) => Promise<void>)[] = [seedDemoDirectory, seedDemoScheduling, seedDemoIntake, seedDemoDosing];

/**
 * The demo clinic a new installation starts with: one account per role, a few
 * patients, a second therapist whose patients the first is not on the care team of,
 * and a second organization to show that tenants never see each other.
 */
export async function seedDemoClinic(db: Kysely<DB>, passwordHash: string, now: Date, dataEncryptionKey: string): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const org = async (name: string, slug: string, zone: string) => {
      const id = randomUUID();
      await trx.insertInto('organizations').values({ id, name, slug, time_zone: zone, created_at: at }).execute();
      return id;
    };
    const user = async (orgId: string, email: string, role: Role, displayName: string, patientId: string | null = null) => {
      const id = randomUUID();
      await trx
        .insertInto('users')
        .values({ id, organization_id: orgId, email, password_hash: passwordHash, role, display_name: displayName, patient_id: patientId, active: 1, created_at: at, updated_at: at })
        .execute();
      return id;
    };
    const patient = async (orgId: string, p: PersonSeed) => {
      const id = randomUUID();
      await trx
        .insertInto('patients')
        .values({
          id,
          organization_id: orgId,
          legal_given_name: p.given,
          legal_family_name: p.family,
          preferred_name: p.preferred ?? null,
          pronouns: p.pronouns ?? null,
          date_of_birth: p.dob,
          email: p.email,
          phone: p.phone,
          address: null,
          emergency_contact_name: null,
          emergency_contact_phone: null,
          emergency_contact_relationship: null,
          preferred_language: 'English',
          search_name: [p.given, p.family, p.preferred ?? ''].join(' ').toLowerCase().trim(),
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    const team = async (orgId: string, patientId: string, userIds: string[], addedBy: string) => {
      await trx
        .insertInto('care_team_members')
        .values(userIds.map((user_id) => ({ organization_id: orgId, patient_id: patientId, user_id, added_by: addedBy, added_at: at })))
        .execute();
    };

    const demo = await org('Demo Clinic — Los Angeles', 'demo-la', 'America/Los_Angeles');
    const admin = await user(demo, 'admin@demo.clinic', 'clinic_admin', 'Dana Whitfield');
    const frontDesk = await user(demo, 'frontdesk@demo.clinic', 'front_desk', 'Luis Ortega');
    const therapist = await user(demo, 'therapist@demo.clinic', 'therapist', 'Dr. Maya Chen, LMFT');
    const therapist2 = await user(demo, 'therapist2@demo.clinic', 'therapist', 'Jordan Reyes, LCSW');
    const prescriber = await user(demo, 'prescriber@demo.clinic', 'prescriber', 'Dr. Priya Natarajan, MD');
    const nurse = await user(demo, 'nurse@demo.clinic', 'nurse', 'Chris Adeyemi, RN');

    const [alex, sam, jamie, morgan, riley] = await Promise.all(DEMO_PATIENTS.map((p) => patient(demo, p)));
    const patientAlex = await user(demo, 'patient@demo.clinic', 'patient', 'Alex Rivera', alex!);
    for (const p of [alex!, sam!, jamie!]) await team(demo, p, [therapist, prescriber, nurse], admin);
    for (const p of [morgan!, riley!]) await team(demo, p, [therapist2, prescriber, nurse], admin);

    const other = await org('Harbor Wellness — Portland', 'harbor-pdx', 'America/Los_Angeles');
    const otherAdmin = await user(other, 'admin@harbor.example', 'clinic_admin', 'Pat Quinn');
    const otherTherapist = await user(other, 'therapist@harbor.example', 'therapist', 'Robin Hale, LPCC');
    const otherPatient = await patient(other, {
      given: 'Casey',
      family: 'Morgan',
      dob: '1990-02-14',
      email: 'casey.morgan@example.com',
      phone: '+1 503 555 0199',
    });
    await team(other, otherPatient, [otherTherapist], otherAdmin);

    const ctx: DemoContext = {
      now,
      dataEncryptionKey,
      organizationId: demo,
      otherOrganizationId: other,
      users: { admin, frontDesk, therapist, therapist2, prescriber, nurse, patientAlex },
      patients: { alex: alex!, sam: sam!, jamie: jamie!, morgan: morgan!, riley: riley! },
    };
    for (const extend of DEMO_EXTENSIONS) await extend(trx, ctx);
  });
}

export async function hasAnyOrganization(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()) !== undefined;
}
