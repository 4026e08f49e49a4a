import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicListingBody, DirectorySearchResult, ManagedProvider, ProviderProfileBody } from '../../../core/schemas/directory.schema';
import { createClinicWorld, createTestApp, errorOf, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { haversineMiles } from '../../../core/directory/geo';
import { scoreMatches } from '../../../core/directory/ranking';
import { hitsOfStems, queryStemsOf, searchTextColumnsOf } from '../../../core/directory/search-text';
import { findRankedPage } from './directory.repository';
import { searchProviders } from './directory.service';

/**
 * The public directory and its admin editing, over HTTP against a real database
 * (SQLite by default, PostgreSQL with TEST_DATABASE=postgres).
 */
let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
let admin: Session;
let foreignAdmin: Session;

const LA_CLINIC: ClinicListingBody = {
  listed: true,
  publicName: 'Sunset Ketamine Therapy',
  description: 'KAP in downtown LA',
  address: { addressLine1: '300 S Spring St', city: 'Los Angeles', state: 'CA', postalCode: '90013', latitude: 34.0505, longitude: -118.2468 },
  phone: '+1 213 555 0111',
  website: 'https://sunset.example',
  telehealthStates: ['CA'],
};

const profile = (over: Partial<ProviderProfileBody> = {}): ProviderProfileBody => ({
  listed: true,
  displayName: 'Avery Stone, LMFT',
  credentials: ['LMFT'],
  licenceType: 'Licensed Marriage and Family Therapist',
  licenceNumber: 'LMFT 1001',
  licenceState: 'CA',
  licenceExpiresOn: '2028-06-30',
  conditions: ['depression', 'ptsd'],
  approaches: ['kap', 'somatic'],
  routes: ['im'],
  formats: ['individual'],
  inPerson: true,
  telehealth: true,
  languages: ['en'],
  feeMinUsd: 150,
  feeMaxUsd: 220,
  slidingScale: true,
  superbill: false,
  acceptingNewPatients: true,
  bio: 'Somatic integration after ketamine sessions for trauma survivors.',
  ...over,
});

async function put(session: Session, url: string, payload: unknown) {
  return t.app.inject({ method: 'PUT', url, headers: session.headers, payload: payload as object });
}
async function verify(session: Session, userId: string) {
  return t.app.inject({ method: 'POST', url: `/api/directory/manage/providers/${userId}/licence-verification`, headers: session.headers });
}
async function search(query: string): Promise<DirectorySearchResult> {
  const res = await t.app.inject({ method: 'GET', url: `/api/directory/providers?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DirectorySearchResult>();
}
const ids = (r: DirectorySearchResult) => r.items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  world = await createClinicWorld(t.db);
  admin = await signIn(t.app, world.users.admin.email);
  foreignAdmin = await signIn(t.app, world.users.foreignAdmin.email);
  // Clinic A in downtown LA with three clinicians; clinic B (the other tenant) in Portland.
  expect((await put(admin, '/api/directory/manage/clinic', LA_CLINIC)).statusCode).toBe(200);
  const a = world.users;
  expect((await put(admin, `/api/directory/manage/providers/${a.therapistA.id}`, profile())).statusCode).toBe(200);
  expect(
    (
      await put(
        admin,
        `/api/directory/manage/providers/${a.prescriber.id}`,
        profile({
          displayName: 'Dr. Lena Ortiz, MD',
          credentials: ['MD'],
          licenceType: 'Physician and Surgeon',
          licenceNumber: 'A 5555',
          conditions: ['treatment_resistant_depression', 'anxiety'],
          approaches: ['kap', 'medication_management'],
          routes: ['iv', 'im'],
          languages: ['en', 'es'],
          telehealth: false,
          feeMinUsd: 400,
          feeMaxUsd: 700,
          bio: 'Psychiatrist offering IV ketamine with careful medical screening.',
          // Practises in Pasadena, ~9 miles from 90012.
          location: { addressLine1: '1 Colorado Blvd', city: 'Pasadena', state: 'CA', postalCode: '91101', latitude: 34.1458, longitude: -118.1445 },
        }),
      )
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await put(
        admin,
        `/api/directory/manage/providers/${a.nurse.id}`,
        profile({ displayName: 'Sam Kiwi, RN', credentials: ['RN'], licenceType: 'Registered Nurse', licenceNumber: 'RN 77', bio: 'Monitoring nurse' }),
      )
    ).statusCode,
  ).toBe(200);
  for (const u of [a.therapistA, a.prescriber]) expect((await verify(admin, u.id)).statusCode).toBe(200);
  // The nurse's licence is left unverified.

  const portland: ClinicListingBody = {
    ...LA_CLINIC,
    publicName: 'Rose City Integration',
    address: { addressLine1: '1 NW Couch St', city: 'Portland', state: 'OR', postalCode: '97209' },
    telehealthStates: ['OR'],
  };
  expect((await put(foreignAdmin, '/api/directory/manage/clinic', portland)).statusCode).toBe(200);
  expect(
    (
      await put(
        foreignAdmin,
        `/api/directory/manage/providers/${a.foreignTherapist.id}`,
        profile({ displayName: 'Robin Vale, LPC', credentials: ['LPC'], licenceState: 'OR', licenceNumber: 'C 1', approaches: ['integration'], bio: 'Integration therapy in Portland' }),
      )
    ).statusCode,
  ).toBe(200);
  expect((await verify(foreignAdmin, a.foreignTherapist.id)).statusCode).toBe(200);
});

afterAll(async () => {
  await t.close();
});

describe('public search', () => {
  it('finds verified clinicians near a ZIP code, nearest first, with distances, without an account', async () => {
    const r = await search('zip=90012&radius=25');
    expect(ids(r)).toEqual([world.users.therapistA.id, world.users.prescriber.id]);
    expect(r.total).toBe(2);
    expect(r.sort).toBe('distance');
    expect(r.origin).toMatchObject({ label: expect.stringContaining('90012'), radiusMiles: 25 });
    expect(r.items[0]!.distanceMiles).toBeLessThan(2);
    expect(r.items[1]!.distanceMiles).toBeGreaterThan(7);
    expect(r.items[1]!.distanceMiles).toBeLessThan(11);
    expect(r.items[0]).toMatchObject({ clinic: { id: world.org.id, name: 'Sunset Ketamine Therapy' }, licenceVerifiedOn: '2026-11-26' });
    // DTOs only: no internal columns.
    expect(Object.keys(r.items[0]!)).not.toEqual(expect.arrayContaining(['licence_verified_by', 'visible', 'seq']));
  });

  it('applies the radius exactly (haversine after the bounding box)', async () => {
    expect(ids(await search('zip=90012&radius=5'))).toEqual([world.users.therapistA.id]);
    expect(ids(await search('lat=45.52&lng=-122.68&radius=10'))).toEqual([world.users.foreignTherapist.id]);
  });

  it('filters by every kind of field', async () => {
    const a = world.users;
    expect(ids(await search('zip=90012&routes=iv'))).toEqual([a.prescriber.id]);
    expect(ids(await search('zip=90012&routes=im&conditions=ptsd'))).toEqual([a.therapistA.id]);
    expect(ids(await search('zip=90012&conditions=ptsd,anxiety'))).toEqual([]);
    expect(ids(await search('zip=90012&languages=es'))).toEqual([a.prescriber.id]);
    expect(ids(await search('zip=90012&credentials=MD,DO'))).toEqual([a.prescriber.id]);
    expect(ids(await search('zip=90012&approaches=somatic'))).toEqual([a.therapistA.id]);
    expect(ids(await search('zip=90012&formats=group'))).toEqual([]);
    expect(ids(await search('zip=90012&telehealth=true'))).toEqual([a.therapistA.id]);
    expect(ids(await search('zip=90012&telehealth=false'))).toEqual([a.prescriber.id]);
    expect(ids(await search('zip=90012&inPerson=true'))).toHaveLength(2);
    expect(ids(await search('zip=90012&maxFee=200'))).toEqual([a.therapistA.id]);
    expect(ids(await search('zip=90012&slidingScale=true&acceptingNewPatients=true'))).toHaveLength(2);
    expect(ids(await search('zip=90012&superbill=true'))).toEqual([]);
    expect(ids(await search('telehealthState=OR'))).toEqual([a.foreignTherapist.id]);
    expect(ids(await search('licenceState=CA&sort=relevance'))).toHaveLength(2);
    expect(ids(await search(`clinicId=${world.other.id}`))).toEqual([a.foreignTherapist.id]);
  });

  it('searches free text over name, bio and approaches, ranked by relevance', async () => {
    const a = world.users;
    expect(ids(await search('q=ortiz'))).toEqual([a.prescriber.id]);
    expect(ids(await search('q=somatic'))).toEqual([a.therapistA.id]);
    // "Medication management" is an approach label, not in the bio.
    expect(ids(await search('q=medication'))).toEqual([a.prescriber.id]);
    // Stemming (survivor → survivors), every term must match.
    expect(ids(await search('q=survivor%20somatic'))).toEqual([a.therapistA.id]);
    expect(ids(await search('q=survivor%20psychiatrist'))).toEqual([]);
    const both = await search('q=ketamine&zip=90012&sort=relevance');
    expect(both.total).toBe(2);
    expect(both.sort).toBe('relevance');
    // Text, location and filters together.
    expect(ids(await search('q=ketamine&zip=90012&radius=25&routes=iv&inPerson=true'))).toEqual([a.prescriber.id]);
    // Query syntax is never interpreted.
    expect(ids(await search('q=%22somatic%22%20OR%20NEAR(ortiz*%3A'))).toEqual([]);
    expect(ids(await search('q=somatic%22)%20%7B'))).toEqual([a.therapistA.id]);
  });

  it('paginates with a total', async () => {
    const first = await search('licenceState=CA&limit=1&offset=0');
    const second = await search('licenceState=CA&limit=1&offset=1');
    expect(first.total).toBe(2);
    expect(second.total).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(second.items).toHaveLength(1);
    expect(first.items[0]!.id).not.toBe(second.items[0]!.id);
    const geo1 = await search('zip=90012&limit=1&offset=1');
    expect(geo1.total).toBe(2);
    expect(ids(geo1)).toEqual([world.users.prescriber.id]);
  });

  it('hides unverified and expired licences from search and profiles', async () => {
    const nurse = world.users.nurse.id;
    expect(ids(await search('zip=90012'))).not.toContain(nurse);
    expect((await t.app.inject({ url: `/api/directory/providers/${nurse}` })).statusCode).toBe(404);
    // Verified but the licence expires: listed until the expiry date has passed everywhere.
    expect((await verify(admin, nurse)).statusCode).toBe(200);
    expect(ids(await search('zip=90012'))).toContain(nurse);
    const r = await put(admin, `/api/directory/manage/providers/${nurse}`, profile({
      displayName: 'Sam Kiwi, RN', credentials: ['RN'], licenceType: 'Registered Nurse', licenceNumber: 'RN 77', bio: 'Monitoring nurse', licenceExpiresOn: '2026-12-01',
    }));
    // A changed licence (new expiry) must be verified again.
    expect(r.json<ManagedProvider>().profile!.licenceStatus).toBe('unverified');
    expect(ids(await search('zip=90012'))).not.toContain(nurse);
    expect((await verify(admin, nurse)).statusCode).toBe(200);
    expect(ids(await search('zip=90012'))).toContain(nurse);
    t.clock.advance(6 * 24 * 3600_000); // 2026-12-02T18:00Z: expired everywhere
    expect(ids(await search('zip=90012'))).not.toContain(nurse);
    expect((await t.app.inject({ url: `/api/directory/providers/${nurse}` })).statusCode).toBe(404);
    // Six days on, the morning's session has expired: sign in again.
    const later = await signIn(t.app, world.users.admin.email);
    const managed = (await t.app.inject({ url: `/api/directory/manage/providers/${nurse}`, headers: later.headers })).json<ManagedProvider>();
    expect(managed.profile).toMatchObject({ licenceStatus: 'expired', searchable: false });
    // An expired licence cannot be verified.
    const refused = await verify(later, nurse);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).field).toBe('licenceExpiresOn');
    t.clock.advance(-6 * 24 * 3600_000);
  });

  it('hides a clinician whose account is deactivated, and everyone when the clinic unlists', async () => {
    const therapist = world.users.therapistA.id;
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', therapist).execute();
    expect(ids(await search('zip=90012'))).not.toContain(therapist);
    await t.db.updateTable('users').set({ active: 1 }).where('id', '=', therapist).execute();
    expect(ids(await search('zip=90012'))).toContain(therapist);

    expect((await put(admin, '/api/directory/manage/clinic', { ...LA_CLINIC, listed: false })).statusCode).toBe(200);
    expect((await search('zip=90012')).total).toBe(0);
    expect((await t.app.inject({ url: `/api/directory/clinics/${world.org.id}` })).statusCode).toBe(404);
    expect((await put(admin, '/api/directory/manage/clinic', LA_CLINIC)).statusCode).toBe(200);
    expect(ids(await search('zip=90012'))).toContain(therapist);
  });

  it('serves a provider profile with its clinic, and a clinic page with its clinicians', async () => {
    const res = await t.app.inject({ url: `/api/directory/providers/${world.users.prescriber.id}` });
    expect(res.statusCode).toBe(200);
    const p = res.json<Record<string, unknown> & { clinic: { name: string }; licence: Record<string, string>; location: { city: string } }>();
    expect(p).toMatchObject({ displayName: 'Dr. Lena Ortiz, MD', routes: ['iv', 'im'], licence: { number: 'A 5555', state: 'CA', verifiedOn: '2026-11-26' } });
    expect(p.clinic.name).toBe('Sunset Ketamine Therapy');
    expect(p.location.city).toBe('Pasadena');
    expect(p).not.toHaveProperty('licence_verified_by');

    const clinic = await t.app.inject({ url: `/api/directory/clinics/${world.org.id}` });
    expect(clinic.statusCode).toBe(200);
    const c = clinic.json<{ name: string; providers: { id: string }[]; address: { postalCode: string } }>();
    expect(c.name).toBe('Sunset Ketamine Therapy');
    expect(c.address.postalCode).toBe('90013');
    // The nurse's renewed licence was verified again above.
    expect(c.providers.map((x) => x.id).sort()).toEqual([world.users.therapistA.id, world.users.prescriber.id, world.users.nurse.id].sort());
    expect((await t.app.inject({ url: '/api/directory/providers/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });
});

describe('bad search input gets a 400 naming the field', () => {
  it.each([
    ['zip=00000', 'zip'],
    ['zip=9001', 'zip'],
    ['zip=90012&lat=34&lng=-118', 'zip'],
    ['lat=34', 'lng'],
    ['lat=91&lng=0', 'lat'],
    ['zip=90012&radius=0', 'radius'],
    ['zip=90012&radius=5000', 'radius'],
    ['sort=distance', 'sort'],
    ['sort=nearest', 'sort'],
    ['conditions=ptsd,werewolfism', 'conditions'],
    ['routes=rectal', 'routes'],
    ['credentials=Shaman', 'credentials'],
    ['telehealth=maybe', 'telehealth'],
    ['telehealthState=ZZ', 'telehealthState'],
    ['limit=500', 'limit'],
    ['offset=-1', 'offset'],
    ['maxFee=cheap', 'maxFee'],
    ['clinicId=not-a-uuid', 'clinicId'],
    ['colour=blue', 'colour'],
  ])('%s → %s', async (query, field) => {
    const res = await t.app.inject({ url: `/api/directory/providers?${query}` });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation', field });
  });
});

describe('admin editing', () => {
  it('is for clinic admins only: other staff get 403, visitors 401', async () => {
    const therapist = await signIn(t.app, world.users.therapistA.email);
    const frontDesk = await signIn(t.app, world.users.frontDesk.email);
    for (const s of [therapist, frontDesk]) {
      expect((await put(s, '/api/directory/manage/clinic', LA_CLINIC)).statusCode).toBe(403);
      expect((await put(s, `/api/directory/manage/providers/${world.users.therapistA.id}`, profile())).statusCode).toBe(403);
      expect((await verify(s, world.users.therapistA.id)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'PUT', url: '/api/directory/manage/clinic', payload: LA_CLINIC })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/directory/manage/providers' })).statusCode).toBe(401);
  });

  it('refuses cross-tenant editing as if the clinician did not exist (404), and changes nothing', async () => {
    const before = await t.db.selectFrom('directory_providers').selectAll().where('user_id', '=', world.users.foreignTherapist.id).executeTakeFirstOrThrow();
    const res = await put(admin, `/api/directory/manage/providers/${world.users.foreignTherapist.id}`, profile({ displayName: 'Hijacked' }));
    expect(res.statusCode).toBe(404);
    expect((await verify(admin, world.users.foreignTherapist.id)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/directory/manage/providers/${world.users.foreignTherapist.id}`, headers: admin.headers })).statusCode).toBe(404);
    const after = await t.db.selectFrom('directory_providers').selectAll().where('user_id', '=', world.users.foreignTherapist.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('lists only the admin’s own clinicians with their licence status', async () => {
    const res = await t.app.inject({ url: '/api/directory/manage/providers', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const list = res.json<ManagedProvider[]>();
    const byId = new Map(list.map((m) => [m.userId, m]));
    expect(byId.has(world.users.foreignTherapist.id)).toBe(false);
    expect(byId.has(world.users.frontDesk.id)).toBe(false);
    expect(byId.get(world.users.therapistA.id)!.profile).toMatchObject({ licenceStatus: 'verified', searchable: true });
    expect(byId.get(world.users.therapistB.id)!.profile).toBeNull();
  });

  it.each([
    [{ ...profile(), credentials: ['Wizard'] }, 'credentials.0'],
    [{ ...profile(), licenceExpiresOn: '2027-02-30' }, 'licenceExpiresOn'],
    [{ ...profile(), inPerson: false, telehealth: false }, 'inPerson'],
    [{ ...profile(), feeMinUsd: 300, feeMaxUsd: 100 }, 'feeMaxUsd'],
    [{ ...profile(), photoUrl: 'http://insecure.example/p.jpg' }, 'photoUrl'],
    [{ ...profile(), location: { addressLine1: 'x', city: 'y', state: 'CA', postalCode: '00000' } }, 'location.postalCode'],
    [{ ...profile(), location: { addressLine1: 'x', city: 'y', state: 'CA', postalCode: '90012', latitude: 34 } }, 'location.longitude'],
    [{ ...profile(), formats: [] }, 'formats'],
    [{ ...profile(), surprise: 1 }, 'surprise'],
  ])('profile with bad input → 400 naming %#', async (body, field) => {
    const before = await t.db.selectFrom('directory_providers').selectAll().where('user_id', '=', world.users.therapistA.id).executeTakeFirstOrThrow();
    const res = await put(admin, `/api/directory/manage/providers/${world.users.therapistA.id}`, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).field).toBe(field);
    const after = await t.db.selectFrom('directory_providers').selectAll().where('user_id', '=', world.users.therapistA.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('clinic listing with bad input → 400 naming the field', async () => {
    const bad = await put(admin, '/api/directory/manage/clinic', { ...LA_CLINIC, address: { ...LA_CLINIC.address, postalCode: '99999', latitude: null, longitude: null } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toBe('address.postalCode');
    const badState = await put(admin, '/api/directory/manage/clinic', { ...LA_CLINIC, telehealthStates: ['XX'] });
    expect(badState.statusCode).toBe(400);
    expect(errorOf(badState).field).toMatch(/^telehealthStates/);
  });

  it('refuses a profile for a front-desk or patient account (400 naming userId)', async () => {
    const res = await put(admin, `/api/directory/manage/providers/${world.users.frontDesk.id}`, profile());
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('userId');
    expect((await put(admin, `/api/directory/manage/providers/${world.users.patientA.id}`, profile())).statusCode).toBe(400);
    expect((await t.db.selectFrom('directory_providers').select('user_id').where('user_id', 'in', [world.users.frontDesk.id, world.users.patientA.id]).execute())).toEqual([]);
  });

  it('stores null coordinates and fees as absent, never as 0', async () => {
    const res = await put(admin, `/api/directory/manage/providers/${world.users.therapistB.id}`, profile({ displayName: 'No Fee', feeMinUsd: null, feeMaxUsd: null, location: null }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ManagedProvider>().profile).toMatchObject({ feeMinUsd: null, feeMaxUsd: null, usesClinicLocation: true });
  });

  it('uses the ZIP centroid when no coordinates are given, and profiles follow the clinic address', async () => {
    const moved = { ...LA_CLINIC, address: { addressLine1: '1 Main St', city: 'Los Angeles', state: 'CA' as const, postalCode: '90012' } };
    const res = await put(admin, '/api/directory/manage/clinic', moved);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ address: { latitude: number } }>().address.latitude).toBeCloseTo(34.0614, 3);
    const therapist = (await t.app.inject({ url: `/api/directory/providers/${world.users.therapistA.id}` })).json<{ location: { addressLine1: string } }>();
    expect(therapist.location.addressLine1).toBe('1 Main St');
    // The prescriber has their own address and stays in Pasadena.
    const prescriber = (await t.app.inject({ url: `/api/directory/providers/${world.users.prescriber.id}` })).json<{ location: { city: string } }>();
    expect(prescriber.location.city).toBe('Pasadena');
    expect((await put(admin, '/api/directory/manage/clinic', LA_CLINIC)).statusCode).toBe(200);
  });

  it('keeps the search index in step with edits', async () => {
    const id = world.users.therapistA.id;
    expect(ids(await search('q=zanzibar'))).toEqual([]);
    expect((await put(admin, `/api/directory/manage/providers/${id}`, profile({ bio: 'Retreats in Zanzibar once a year.' }))).statusCode).toBe(200);
    expect(ids(await search('q=zanzibar'))).toEqual([id]);
    expect(ids(await search('q=somatic%20trauma%20survivors'))).toEqual([]);
    expect((await put(admin, `/api/directory/manage/providers/${id}`, profile())).statusCode).toBe(200);
    expect(ids(await search('q=zanzibar'))).toEqual([]);
  });

  it('audits every change with references only', async () => {
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['resource', 'action', 'actor_user_id', 'organization_id', 'detail', 'patient_id'])
      .where('resource', 'like', 'directory.%')
      .execute();
    const mine = rows.filter((r) => r.actor_user_id === world.users.admin.id);
    expect(mine.map((r) => r.resource)).toEqual(expect.arrayContaining(['directory.clinic', 'directory.provider', 'directory.licence_verification']));
    expect(mine.every((r) => r.organization_id === world.org.id && r.patient_id === null)).toBe(true);
    expect(rows.map((r) => r.detail ?? '').join(' ')).not.toContain('Somatic');
  });
});

describe('nearest first with text: colleagues at one address', () => {
  it('orders providers at the same distance by text relevance, and pages through the tie consistently', async () => {
    const a = world.users;
    const colleague = (displayName: string, licenceNumber: string, bio: string) =>
      profile({ displayName, licenceNumber, credentials: ['LCSW'], approaches: ['kap'], bio });
    // Both use the clinic's address, like therapistA: all three are at exactly the same distance.
    expect((await put(admin, `/api/directory/manage/providers/${a.therapistB.id}`, colleague('Blake Somatic, LCSW', 'LCSW 9', 'Somatic practice.'))).statusCode).toBe(200);
    expect((await put(admin, `/api/directory/manage/providers/${a.admin.id}`, colleague('Casey Moor, LCSW', 'LCSW 10', 'Somatic work.'))).statusCode).toBe(200);
    for (const u of [a.therapistB, a.admin]) expect((await verify(admin, u.id)).statusCode).toBe(200);
    try {
      // Name match ≫ keywords ("Somatic therapy") + bio ≫ keywords only (the nurse,
      // verified by an earlier test) ≫ bio only.
      const expected = [a.therapistB.id, a.therapistA.id, a.nurse.id, a.admin.id];
      const all = await search('q=somatic&zip=90012&radius=25');
      expect(all.sort).toBe('distance');
      expect(ids(all)).toEqual(expected);
      expect(new Set(all.items.map((i) => i.distanceMiles)).size).toBe(1);
      for (let offset = 0; offset < expected.length; offset++) {
        const page = await search(`q=somatic&zip=90012&radius=25&limit=1&offset=${offset}`);
        expect(page.total).toBe(expected.length);
        expect(ids(page)).toEqual([expected[offset]]);
      }
      expect(ids(await search('q=somatic&zip=90012&radius=25&limit=2&offset=1'))).toEqual(expected.slice(1, 3));
      expect(ids(await search('q=somatic&zip=90012&radius=25&offset=4'))).toEqual([]);
    } finally {
      for (const [u, n] of [[a.therapistB, 'LCSW 9'], [a.admin, 'LCSW 10']] as const) {
        await put(admin, `/api/directory/manage/providers/${u.id}`, { ...colleague('x', n, 'x'), listed: false });
      }
    }
  });
});

describe('text relevance: ranked in the database from stored term data', () => {
  const DENVER = { addressLine1: '1 Larimer Sq', city: 'Denver', state: 'CO' as const, postalCode: '80202', latitude: 39.7475, longitude: -104.9995 };
  const near = 'lat=39.74&lng=-104.99&radius=10';

  /** The order core/directory computes (BM25F over searchTextColumnsOf) for every visible match, as a reference. */
  async function expectedOrder(q: string, within: boolean): Promise<string[]> {
    const rows = await t.db
      .selectFrom('directory_providers')
      .select(['user_id', 'display_name', 'search_keywords', 'bio', 'latitude', 'longitude', 'licence_expires_on'])
      .where('visible', '=', 1)
      .execute();
    const stems = queryStemsOf(q);
    const matches = rows.flatMap((r) => {
      if (within && haversineMiles({ latitude: 39.74, longitude: -104.99 }, r) > 10) return [];
      if (r.licence_expires_on < '2026-11-26') return [];
      const stored = searchTextColumnsOf({ name: r.display_name, keywords: r.search_keywords, bio: r.bio });
      const hits = hitsOfStems(stored.search_terms, stems);
      return hits ? [{ r, counts: { hits, lengths: [stored.search_name_length, stored.search_keywords_length, stored.search_bio_length] as [number, number, number] } }] : [];
    });
    const scores = scoreMatches(matches.map((m) => m.counts));
    return matches
      .map((m, i) => ({ id: m.r.user_id, name: m.r.display_name, score: scores[i]! }))
      .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1))
      .map((m) => m.id);
  }

  it('orders by BM25F over the stored counts, identically on both SQLite plans, and follows edits', async () => {
    const a = world.users;
    const put3 = async (nurseBio: string) => {
      const common = { credentials: ['LCSW' as const], approaches: ['kap' as const], location: DENVER };
      expect((await put(admin, `/api/directory/manage/providers/${a.therapistB.id}`, profile({ ...common, displayName: 'Quinn Harbor, LCSW', licenceNumber: 'LCSW 9', bio: 'Ketamine integration: integration circles, integration retreats and integration groups for veterans.' }))).statusCode).toBe(200);
      expect((await put(admin, `/api/directory/manage/providers/${a.admin.id}`, profile({ ...common, displayName: 'Integration Smith, LCSW', licenceNumber: 'LCSW 10', bio: 'Ketamine-assisted psychotherapy.' }))).statusCode).toBe(200);
      expect((await put(admin, `/api/directory/manage/providers/${a.nurse.id}`, profile({ ...common, displayName: 'Sam Kiwi, RN', credentials: ['RN'], licenceType: 'Registered Nurse', licenceNumber: 'RN 77', bio: nurseBio }))).statusCode).toBe(200);
      for (const u of [a.therapistB, a.admin, a.nurse]) expect((await verify(admin, u.id)).statusCode).toBe(200);
    };
    try {
      await put3('One integration session with ketamine monitoring.');
      // Name match first; four mentions in a bio above one.
      const first = await search(`q=integration&${near}&sort=relevance`);
      expect(ids(first)).toEqual([a.admin.id, a.therapistB.id, a.nurse.id]);
      // An edit changes the stored counts: six mentions in a short bio now outrank four.
      await put3('Integration, integration, integration, integration, integration and integration.');
      const edited = await search(`q=integration&${near}&sort=relevance`);
      expect(ids(edited)).toEqual([a.admin.id, a.nurse.id, a.therapistB.id]);
      // A word only one of them has, and words removed by the edit, are matched exactly.
      expect(ids(await search(`q=veterans&${near}`))).toEqual([a.therapistB.id]);
      expect(ids(await search(`q=monitoring&${near}`))).toEqual([]);

      if (t.deps.database.dialect === 'sqlite') {
        // The SQL ranking is the core's BM25F, near a place and nationwide, for one or two words,
        // whether candidates come from the full-text index (rare words) or the area index.
        for (const [q, where] of [['integration', near], ['ketamine integration', near], ['ketamine', ''], ['integration therapy', '']] as const) {
          const expected = await expectedOrder(q, where !== '');
          const query = { q, sort: 'relevance' as const, limit: 50, ...(where ? { lat: 39.74, lng: -104.99, radius: 10 } : {}) };
          for (const rareTextMatches of [undefined, 0]) {
            const diagnostics = { plan: '', candidates: 0 };
            const result = await searchProviders(t.deps, query, { diagnostics, rareTextMatches });
            expect(result.items.map((i) => i.id), `${q} ${diagnostics.plan}`).toEqual(expected);
            expect(result.total).toBe(expected.length);
            expect(diagnostics.plan).toMatch(rareTextMatches === 0 ? /^area index/ : /^fts5/);
          }
        }
        // And the scores themselves: SQL's BM25F equals core's scoreMatches over the same matches.
        const stems = queryStemsOf('integration ketamine');
        const filters = { cutoffDate: '2026-11-26', all: [], credentialsAny: 0, flags: {} };
        const page = await findRankedPage(t.db, filters, { stems, origin: null, sort: 'relevance', fts: null, limit: 50, offset: 0 });
        const stored = await t.db.selectFrom('directory_providers').select(['user_id', 'display_name', 'search_keywords', 'bio']).where('user_id', 'in', page.rows.map((r) => r.user_id)).execute();
        const counts = page.rows.map((r) => {
          const row = stored.find((x) => x.user_id === r.user_id)!;
          const c = searchTextColumnsOf({ name: row.display_name, keywords: row.search_keywords, bio: row.bio });
          return { hits: hitsOfStems(c.search_terms, stems)!, lengths: [c.search_name_length, c.search_keywords_length, c.search_bio_length] as [number, number, number] };
        });
        expect(page.rows.length).toBeGreaterThan(2);
        scoreMatches(counts).forEach((score, i) => expect(page.rows[i]!.score).toBeCloseTo(score, 9));
        // Paging past the end still tells the total, on the area plan too.
        const past = await searchProviders(t.deps, { q: 'ketamine', offset: 500 }, { rareTextMatches: 0 });
        expect(past.items).toEqual([]);
        expect(past.total).toBe((await expectedOrder('ketamine', false)).length);
      }
    } finally {
      for (const [u, n] of [[a.therapistB, 'LCSW 9'], [a.admin, 'LCSW 10']] as const) {
        await put(admin, `/api/directory/manage/providers/${u.id}`, { ...profile({ displayName: 'x', licenceNumber: n, credentials: ['LCSW'], approaches: ['kap'], bio: 'x' }), listed: false });
      }
      await put(admin, `/api/directory/manage/providers/${a.nurse.id}`, profile({ displayName: 'Sam Kiwi, RN', credentials: ['RN'], licenceType: 'Registered Nurse', licenceNumber: 'RN 77', bio: 'Monitoring nurse' }));
    }
  });
});

describe('text search follows every change to a profile, on every plan', () => {
  /**
   * Searches a word near the clinic and nationwide, through each SQLite plan (the full-text
   * index for rare words, the area index with its stored term data; PostgreSQL has one), and
   * expects exactly `expected` from each: stale term data or index entries on any plan fail.
   */
  async function expectFound(q: string, expected: string[]) {
    const plans = t.deps.database.dialect === 'sqlite' ? [undefined, 0] : [undefined];
    for (const rareTextMatches of plans) {
      for (const where of [{ zip: '90012', radius: 25 }, {}]) {
        const diagnostics = { plan: '', candidates: 0 };
        const result = await searchProviders(t.deps, { q, ...where }, { diagnostics, rareTextMatches });
        const label = `${q} ${JSON.stringify(where)} ${diagnostics.plan}`;
        expect(result.items.map((i) => i.id).sort(), label).toEqual([...expected].sort());
        expect(result.total, label).toBe(expected.length);
      }
    }
  }

  it('after an edit, a deactivation, unlisting (own or the clinic’s) and licence expiry', async () => {
    const id = world.users.therapistA.id;
    const edited = profile({ bio: 'Quokka-themed waiting room, calm sessions.' });
    try {
      expect((await put(admin, `/api/directory/manage/providers/${id}`, edited)).statusCode).toBe(200);
      await expectFound('quokka', [id]);
      // The words the edit removed are gone from every plan.
      await expectFound('survivors', []);

      await t.db.updateTable('users').set({ active: 0 }).where('id', '=', id).execute();
      await expectFound('quokka', []);
      await t.db.updateTable('users').set({ active: 1 }).where('id', '=', id).execute();
      await expectFound('quokka', [id]);

      expect((await put(admin, `/api/directory/manage/providers/${id}`, { ...edited, listed: false })).statusCode).toBe(200);
      await expectFound('quokka', []);
      expect((await put(admin, `/api/directory/manage/providers/${id}`, edited)).statusCode).toBe(200);
      await expectFound('quokka', [id]);

      expect((await put(admin, '/api/directory/manage/clinic', { ...LA_CLINIC, listed: false })).statusCode).toBe(200);
      await expectFound('quokka', []);
      expect((await put(admin, '/api/directory/manage/clinic', LA_CLINIC)).statusCode).toBe(200);
      await expectFound('quokka', [id]);

      // The licence runs through 2028-06-30: gone once that day has ended everywhere.
      const untilExpiry = new Date('2028-07-01T13:00:00Z').getTime() - t.clock.now.getTime();
      t.clock.advance(untilExpiry);
      try {
        await expectFound('quokka', []);
      } finally {
        t.clock.advance(-untilExpiry);
      }
      await expectFound('quokka', [id]);
    } finally {
      expect((await put(admin, `/api/directory/manage/providers/${id}`, profile())).statusCode).toBe(200);
    }
    await expectFound('quokka', []);
  });

  it('returns the same results when a remembered plan choice is out of date', async () => {
    if (t.deps.database.dialect !== 'sqlite') return;
    const a = world.users;
    const query = { q: 'wombat' };
    const planOf = async () => {
      const diagnostics = { plan: '', candidates: 0 };
      const result = await searchProviders(t.deps, query, { diagnostics, rareTextMatches: 2 });
      return { plan: diagnostics.plan, ids: result.items.map((i) => i.id).sort(), total: result.total };
    };
    // No profile has the word: rare (fewer than 2), and the choice is remembered.
    expect(await planOf()).toEqual({ plan: expect.stringMatching(/^fts5/), ids: [], total: 0 });
    const wombat = (over: Partial<ProviderProfileBody>) => profile({ ...over, bio: `${over.bio ?? ''} Wombat sanctuary volunteer.` });
    const prescriberBody = {
      displayName: 'Dr. Lena Ortiz, MD', credentials: ['MD' as const], licenceType: 'Physician and Surgeon', licenceNumber: 'A 5555',
      location: { addressLine1: '1 Colorado Blvd', city: 'Pasadena', state: 'CA' as const, postalCode: '91101', latitude: 34.1458, longitude: -118.1445 },
    };
    try {
      expect((await put(admin, `/api/directory/manage/providers/${a.therapistA.id}`, wombat({}))).statusCode).toBe(200);
      expect((await put(admin, `/api/directory/manage/providers/${a.prescriber.id}`, wombat(prescriberBody))).statusCode).toBe(200);
      const both = [a.therapistA.id, a.prescriber.id].sort();
      // Two profiles now have it (not rare any more), but the remembered choice still reads the
      // full-text index, which the writes kept up to date: the results are complete.
      expect(await planOf()).toEqual({ plan: expect.stringMatching(/^fts5/), ids: both, total: 2 });
      // A minute later the choice is made again, from the area index: same results.
      t.clock.advance(61_000);
      expect(await planOf()).toEqual({ plan: expect.stringMatching(/^area index/), ids: both, total: 2 });
    } finally {
      expect((await put(admin, `/api/directory/manage/providers/${a.therapistA.id}`, profile())).statusCode).toBe(200);
      expect(
        (
          await put(admin, `/api/directory/manage/providers/${a.prescriber.id}`, profile({
            ...prescriberBody,
            conditions: ['treatment_resistant_depression', 'anxiety'], approaches: ['kap', 'medication_management'], routes: ['iv', 'im'],
            languages: ['en', 'es'], telehealth: false, feeMinUsd: 400, feeMaxUsd: 700, bio: 'Psychiatrist offering IV ketamine with careful medical screening.',
          }))
        ).statusCode,
      ).toBe(200);
    }
  });
});
