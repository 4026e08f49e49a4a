import type { Kysely } from 'kysely';
import type { ClinicListingBody, ProviderProfileBody } from '../../../core/schemas/directory.schema';
import { clinicLocation, clinicRowOf, providerRowOf } from '../../modules/directory/directory.service';
import type { DB } from '../schema';
import type { DemoContext } from './demo-clinic';

// Public listing of the demo clinic (downtown Los Angeles, ZIP 90012) and of Harbor Wellness
// (Portland). Addresses, licence numbers and phone numbers are fictional (555 numbers).
const DEMO_CLINIC: ClinicListingBody = {
  listed: true,
  publicName: 'Demo Clinic — Los Angeles',
  description:
    'A ketamine-assisted psychotherapy practice in downtown Los Angeles: medical screening, preparation, ' +
    'monitored dosing sessions with a nurse present, and integration therapy, individually or in small groups.',
  address: { addressLine1: '350 S Grand Ave, Suite 1200', addressLine2: null, city: 'Los Angeles', state: 'CA', postalCode: '90012', latitude: 34.0578, longitude: -118.2445 },
  phone: '+1 213 555 0100',
  website: 'https://demo.clinic.example',
  email: 'hello@demo.clinic',
  telehealthStates: ['CA'],
  photoUrl: null,
};

const HARBOR: ClinicListingBody = {
  listed: true,
  publicName: 'Harbor Wellness — Portland',
  description: 'Integration-focused ketamine therapy in Portland’s Pearl District, with telehealth integration across Oregon and Washington.',
  address: { addressLine1: '1120 NW Couch St', addressLine2: null, city: 'Portland', state: 'OR', postalCode: '97209', latitude: 45.5236, longitude: -122.6834 },
  phone: '+1 503 555 0190',
  website: 'https://harbor.example',
  email: null,
  telehealthStates: ['OR', 'WA'],
  photoUrl: null,
};

type Profile = Omit<ProviderProfileBody, 'licenceExpiresOn'> & { licenceYears: number };

const PROFILES: { key: 'therapist' | 'therapist2' | 'prescriber' | 'nurse'; profile: Profile }[] = [
  {
    key: 'therapist',
    profile: {
      listed: true,
      displayName: 'Dr. Maya Chen, LMFT',
      pronouns: 'she/her',
      credentials: ['LMFT', 'PsyD'],
      licenceType: 'Licensed Marriage and Family Therapist',
      licenceNumber: 'LMFT 104233',
      licenceState: 'CA',
      licenceYears: 2,
      conditions: ['depression', 'treatment_resistant_depression', 'anxiety', 'ptsd', 'grief'],
      approaches: ['kap', 'integration', 'somatic', 'mindfulness', 'ifs'],
      routes: ['im', 'sublingual_oral'],
      formats: ['individual', 'group'],
      inPerson: true,
      telehealth: true,
      languages: ['en', 'zh'],
      feeMinUsd: 180,
      feeMaxUsd: 250,
      slidingScale: true,
      superbill: true,
      acceptingNewPatients: true,
      bio:
        'I help people who have tried many treatments for depression and trauma find a different way in. ' +
        'In ketamine-assisted psychotherapy we prepare together, I stay with you through the session, and we ' +
        'spend the following weeks integrating what came up, with somatic and mindfulness practices.',
      photoUrl: null,
    },
  },
  {
    key: 'therapist2',
    profile: {
      listed: true,
      displayName: 'Jordan Reyes, LCSW',
      pronouns: 'they/them',
      credentials: ['LCSW'],
      licenceType: 'Licensed Clinical Social Worker',
      licenceNumber: 'LCSW 88412',
      licenceState: 'CA',
      licenceYears: 1,
      conditions: ['addiction', 'alcohol_use', 'anxiety', 'depression', 'relationship_issues'],
      approaches: ['kap', 'integration', 'cbt', 'harm_reduction', 'talk_therapy'],
      routes: ['im', 'intranasal'],
      formats: ['individual', 'group'],
      inPerson: true,
      telehealth: true,
      languages: ['en', 'es'],
      feeMinUsd: 140,
      feeMaxUsd: 200,
      slidingScale: true,
      superbill: true,
      acceptingNewPatients: true,
      bio:
        'Bilingual (English/Spanish) therapist working with substance use, anxiety and depression from a harm-reduction ' +
        'stance. I lead our Thursday integration group and see individuals for preparation and integration.',
      photoUrl: null,
    },
  },
  {
    key: 'prescriber',
    profile: {
      listed: true,
      displayName: 'Dr. Priya Natarajan, MD',
      pronouns: 'she/her',
      credentials: ['MD'],
      licenceType: 'Physician and Surgeon',
      licenceNumber: 'A 163902',
      licenceState: 'CA',
      licenceYears: 2,
      conditions: ['treatment_resistant_depression', 'depression', 'bipolar_depression', 'ptsd', 'suicidal_ideation'],
      approaches: ['kap', 'medication_management'],
      routes: ['iv', 'im', 'intranasal', 'sublingual_oral'],
      formats: ['individual'],
      inPerson: true,
      telehealth: true,
      languages: ['en', 'hi'],
      feeMinUsd: 350,
      feeMaxUsd: 750,
      slidingScale: false,
      superbill: true,
      acceptingNewPatients: true,
      bio:
        'Board-certified psychiatrist. I do the medical and psychiatric screening for ketamine treatment, choose the ' +
        'route and dose with you, and oversee every dosing session at the clinic.',
      photoUrl: null,
    },
  },
  {
    key: 'nurse',
    profile: {
      listed: true,
      displayName: 'Chris Adeyemi, RN',
      pronouns: 'he/him',
      credentials: ['RN'],
      licenceType: 'Registered Nurse',
      licenceNumber: 'RN 95501217',
      licenceState: 'CA',
      licenceYears: 1,
      conditions: ['depression', 'anxiety', 'chronic_pain'],
      approaches: ['kap', 'breathwork', 'music'],
      routes: ['iv', 'im'],
      formats: ['individual', 'group'],
      inPerson: true,
      telehealth: false,
      languages: ['en', 'fr'],
      feeMinUsd: null,
      feeMaxUsd: null,
      slidingScale: false,
      superbill: false,
      acceptingNewPatients: true,
      bio: 'Registered nurse monitoring dosing sessions: vital signs, comfort and safety from check-in until you go home.',
      photoUrl: null,
    },
  },
];

const HARBOR_THERAPIST: Profile = {
  listed: true,
  displayName: 'Robin Hale, LPCC',
  pronouns: null,
  credentials: ['LPC'],
  licenceType: 'Licensed Professional Counselor',
  licenceNumber: 'C4521',
  licenceState: 'OR',
  licenceYears: 1,
  conditions: ['depression', 'anxiety', 'eating_disorders', 'existential_distress'],
  approaches: ['kap', 'integration', 'act', 'mindfulness'],
  routes: ['sublingual_oral'],
  formats: ['individual'],
  inPerson: true,
  telehealth: true,
  languages: ['en'],
  feeMinUsd: 150,
  feeMaxUsd: 190,
  slidingScale: true,
  superbill: true,
  acceptingNewPatients: false,
  bio: 'Counselor offering ketamine-assisted psychotherapy and long-term integration work, in person in Portland or by video in Oregon.',
  photoUrl: null,
};

/** The demo directory: both clinics listed, their clinicians' profiles filled in and licences verified. */
export async function seedDemoDirectory(trx: Kysely<DB>, ctx: DemoContext): Promise<void> {
  const at = ctx.now.toISOString();
  const inYears = (years: number) => `${ctx.now.getUTCFullYear() + years}-06-30`;
  const add = async (organizationId: string, listing: ClinicListingBody, people: { userId: string; profile: Profile }[], verifiedBy: string) => {
    const clinic = clinicRowOf(organizationId, listing, at, at);
    await trx.insertInto('directory_clinics').values(clinic).execute();
    for (const { userId, profile } of people) {
      const { licenceYears, ...rest } = profile;
      const row = providerRowOf({
        userId,
        organizationId,
        body: { ...rest, licenceExpiresOn: inYears(licenceYears) },
        location: clinicLocation(clinic),
        usesClinicLocation: true,
        clinic,
        accountActive: true,
        verification: { at, by: verifiedBy },
        at,
      });
      await trx.insertInto('directory_providers').values({ ...row, created_at: at }).execute();
    }
  };
  await add(
    ctx.organizationId,
    DEMO_CLINIC,
    PROFILES.map(({ key, profile }) => ({ userId: ctx.users[key], profile })),
    ctx.users.admin,
  );
  const harbor = await trx
    .selectFrom('users')
    .select(['id', 'role'])
    .where('organization_id', '=', ctx.otherOrganizationId)
    .where('role', 'in', ['therapist', 'clinic_admin'])
    .execute();
  const harborTherapist = harbor.find((u) => u.role === 'therapist');
  const harborAdmin = harbor.find((u) => u.role === 'clinic_admin');
  await add(
    ctx.otherOrganizationId,
    HARBOR,
    harborTherapist ? [{ userId: harborTherapist.id, profile: HARBOR_THERAPIST }] : [],
    harborAdmin?.id ?? ctx.users.admin,
  );
}
