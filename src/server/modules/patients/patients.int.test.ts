import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClinicWorld,
  createTestApp,
  errorOf,
  signIn,
  type Session,
  type TestContext,
} from '../../../../test/helpers/test-app';

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  t = await createTestApp();
  world = await createClinicWorld(t.db);
  for (const [key, user] of Object.entries(world.users)) sessions[key] = await signIn(t.app, user.email);
});
afterAll(async () => {
  await t.close();
});

type Who = keyof typeof world.users;
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: sessions[who]!.headers });
const send = (who: Who, method: 'POST' | 'PATCH' | 'PUT', url: string, payload: unknown) =>
  t.app.inject({ method, url, headers: sessions[who]!.headers, payload: payload as object });

describe('access over HTTP: role × resource × own / other / other tenant', () => {
  // [who, target, read demographics, write demographics, write care team]
  const matrix: [Who, 'A' | 'B' | 'foreign', number, number, number][] = [
    ['patientA', 'A', 200, 200, 403],
    ['patientA', 'B', 403, 403, 403],
    ['patientA', 'foreign', 404, 404, 404],
    ['therapistA', 'A', 200, 200, 403],
    ['therapistA', 'B', 403, 403, 403],
    ['therapistA', 'foreign', 404, 404, 404],
    ['prescriber', 'A', 200, 200, 403],
    ['prescriber', 'B', 403, 403, 403],
    ['nurse', 'A', 200, 200, 403],
    ['nurse', 'B', 403, 403, 403],
    ['frontDesk', 'A', 200, 200, 403],
    ['frontDesk', 'B', 200, 200, 403],
    ['frontDesk', 'foreign', 404, 404, 404],
    ['admin', 'A', 200, 200, 200],
    ['admin', 'B', 200, 200, 200],
    ['admin', 'foreign', 404, 404, 404],
    ['foreignTherapist', 'A', 404, 404, 404],
    ['foreignTherapist', 'foreign', 200, 200, 403],
    ['foreignAdmin', 'B', 404, 404, 404],
  ];

  it.each(matrix)('%s → patient %s: read %i, write %i, care team %i', async (who, target, read, write, team) => {
    const patient = target === 'A' ? world.patientA : target === 'B' ? world.patientB : world.foreignPatient;
    const url = `/api/patients/${patient.id}`;
    const before = await t.db.selectFrom('patients').selectAll().where('id', '=', patient.id).executeTakeFirstOrThrow();

    const r = await get(who, url);
    expect(r.statusCode).toBe(read);
    if (read === 200) expect(r.json().id).toBe(patient.id);
    else expect(r.json().error.code).toBe(read === 404 ? 'not_found' : 'forbidden');

    const w = await send(who, 'PATCH', url, { phone: '+1 555 010 0000' });
    expect(w.statusCode).toBe(write);

    const members = await t.db.selectFrom('care_team_members').select('user_id').where('patient_id', '=', patient.id).execute();
    const c = await send(who, 'PUT', `${url}/care-team`, { userIds: members.map((m) => m.user_id) });
    expect(c.statusCode).toBe(team);

    if (write !== 200) {
      const after = await t.db.selectFrom('patients').selectAll().where('id', '=', patient.id).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
    }
  });

  it('records every decision in the audit log, denied ones included', async () => {
    const res = await get('therapistA', `/api/patients/${world.patientB.id}`);
    expect(res.statusCode).toBe(403);
    await t.deps.audit.flush();
    const row = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('actor_user_id', '=', world.users.therapistA.id)
      .where('patient_id', '=', world.patientB.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ resource: 'patient.demographics', action: 'read', outcome: 'denied', break_glass: 0 });
    expect(JSON.parse(row.detail!)).toEqual({ reason: 'not_on_care_team' });
  });

  it('does not reveal another tenant’s patient id in that tenant’s audit trail', async () => {
    await get('foreignTherapist', `/api/patients/${world.patientA.id}`);
    await t.deps.audit.flush();
    const rows = await t.db.selectFrom('audit_events').selectAll().where('actor_user_id', '=', world.users.foreignTherapist.id).execute();
    const denied = rows.filter((r) => r.outcome === 'denied' && r.detail?.includes('other_organization'));
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) expect(r.patient_id).toBeNull();
  });
});

describe('patient list and search', () => {
  it('shows clinicians only their care team’s patients; front desk and admins the whole clinic; patients themselves', async () => {
    const ids = async (who: Who, query = '') => {
      const res = await get(who, `/api/patients${query}`);
      expect(res.statusCode).toBe(200);
      return (res.json().items as { id: string }[]).map((p) => p.id).sort();
    };
    expect(await ids('therapistA')).toEqual([world.patientA.id]);
    expect(await ids('therapistB')).toEqual([world.patientB.id]);
    expect(await ids('frontDesk')).toEqual([world.patientA.id, world.patientB.id].sort());
    expect(await ids('admin')).toEqual([world.patientA.id, world.patientB.id].sort());
    expect(await ids('patientA')).toEqual([world.patientA.id]);
    expect(await ids('foreignAdmin')).toEqual([world.foreignPatient.id]);
  });

  it('searches by part of a name, case-insensitive, and by date of birth', async () => {
    const created = await send('frontDesk', 'POST', '/api/patients', {
      legalGivenName: 'Octavia',
      legalFamilyName: 'Butler',
      preferredName: 'Tavi',
      dateOfBirth: '1947-06-22',
    });
    expect(created.statusCode).toBe(201);
    const byName = await get('frontDesk', '/api/patients?q=BUTL');
    expect(byName.json().items.map((p: { id: string }) => p.id)).toEqual([created.json().id]);
    const byPreferred = await get('frontDesk', '/api/patients?q=tavi');
    expect(byPreferred.json().total).toBe(1);
    const byDob = await get('frontDesk', '/api/patients?dob=1947-06-22');
    expect(byDob.json().items).toHaveLength(1);
    const none = await get('frontDesk', '/api/patients?q=butler&dob=1950-01-01');
    expect(none.json().items).toHaveLength(0);
    const wildcard = await get('frontDesk', '/api/patients?q=%25');
    expect(wildcard.statusCode).toBe(200);
  });

  it('rejects a malformed date of birth filter naming the field', async () => {
    const res = await get('frontDesk', '/api/patients?dob=22-06-1947');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('dob');
  });
});

describe('create and edit patients', () => {
  it('creates a patient with a care team, and the clinician then sees them', async () => {
    const res = await send('frontDesk', 'POST', '/api/patients', {
      legalGivenName: '  Toni ',
      legalFamilyName: 'Morrison',
      pronouns: 'she/her',
      dateOfBirth: '1931-02-18',
      email: 'Toni@Example.com',
      phone: '+1 (213) 555-0188',
      emergencyContactName: 'Slade Morrison',
      emergencyContactPhone: '+1 213 555 0189',
      emergencyContactRelationship: 'son',
      preferredLanguage: 'English',
      careTeamUserIds: [world.users.therapistA.id],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ legalGivenName: 'Toni', email: 'toni@example.com', emergencyContactRelationship: 'son' });
    expect(p.careTeam.map((m: { userId: string }) => m.userId)).toEqual([world.users.therapistA.id]);
    expect((await get('therapistA', `/api/patients/${p.id}`)).statusCode).toBe(200);
    expect((await get('therapistB', `/api/patients/${p.id}`)).statusCode).toBe(403);
  });

  it.each([
    [{ legalFamilyName: 'X', dateOfBirth: '1990-01-01' }, 'legalGivenName'],
    [{ legalGivenName: 'X', legalFamilyName: 'Y', dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
    [{ legalGivenName: 'X', legalFamilyName: 'Y', dateOfBirth: '2099-01-01' }, 'dateOfBirth'],
    [{ legalGivenName: 'X', legalFamilyName: 'Y', dateOfBirth: '1990-01-01', email: 'not-an-email' }, 'email'],
    [{ legalGivenName: 'X', legalFamilyName: 'Y', dateOfBirth: '1990-01-01', phone: 'call me' }, 'phone'],
    [{ legalGivenName: 'X', legalFamilyName: 'Y', dateOfBirth: '1990-01-01', favouriteColour: 'blue' }, 'favouriteColour'],
    [{ legalGivenName: '   ', legalFamilyName: 'Y', dateOfBirth: '1990-01-01' }, 'legalGivenName'],
    [{ legalGivenName: 'X'.repeat(101), legalFamilyName: 'Y', dateOfBirth: '1990-01-01' }, 'legalGivenName'],
  ])('rejects %j naming %s, storing nothing', async (payload, field) => {
    const before = await t.db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await send('frontDesk', 'POST', '/api/patients', payload);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation', field });
    const after = await t.db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a care team member from another clinic and stores nothing (transaction)', async () => {
    const before = await t.db.selectFrom('patients').select('id').execute();
    const res = await send('admin', 'POST', '/api/patients', {
      legalGivenName: 'Half',
      legalFamilyName: 'Written',
      dateOfBirth: '1990-01-01',
      careTeamUserIds: [world.users.therapistA.id, world.users.foreignTherapist.id],
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('careTeamUserIds');
    expect(await t.db.selectFrom('patients').select('id').execute()).toHaveLength(before.length);
  });

  it('lets a patient change their contact details but not their legal name', async () => {
    const url = `/api/patients/${world.patientA.id}`;
    const ok = await send('patientA', 'PATCH', url, { phone: '+1 213 555 0111', pronouns: 'they/them' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ phone: '+1 213 555 0111', pronouns: 'they/them', access: 'self' });
    const locked = await send('patientA', 'PATCH', url, { legalFamilyName: 'Byron' });
    expect(locked.statusCode).toBe(403);
    expect(errorOf(locked).field).toBe('legalFamilyName');
  });

  it('keeps search working after a rename', async () => {
    const url = `/api/patients/${world.patientB.id}`;
    expect((await send('frontDesk', 'PATCH', url, { preferredName: 'Amazing Grace' })).statusCode).toBe(200);
    const found = await get('frontDesk', '/api/patients?q=amazing');
    expect(found.json().items.map((p: { id: string }) => p.id)).toContain(world.patientB.id);
  });

  it('refuses an empty change', async () => {
    const res = await send('frontDesk', 'PATCH', `/api/patients/${world.patientA.id}`, {});
    expect(res.statusCode).toBe(400);
  });
});

describe('care team', () => {
  it('lets an admin replace the care team, which changes who can see the patient', async () => {
    const url = `/api/patients/${world.patientB.id}`;
    expect((await get('therapistA', url)).statusCode).toBe(403);
    const res = await send('admin', 'PUT', `${url}/care-team`, { userIds: [world.users.therapistB.id, world.users.therapistA.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json().careTeam).toHaveLength(2);
    expect((await get('therapistA', url)).statusCode).toBe(200);
    await send('admin', 'PUT', `${url}/care-team`, { userIds: [world.users.therapistB.id] });
    expect((await get('therapistA', url)).statusCode).toBe(403);
  });

  it.each(['patientA', 'frontDesk', 'admin', 'foreignTherapist'] as const)('refuses %s as a care team member', async (who) => {
    const before = await t.db.selectFrom('care_team_members').selectAll().where('patient_id', '=', world.patientB.id).execute();
    const res = await send('admin', 'PUT', `/api/patients/${world.patientB.id}/care-team`, {
      userIds: [world.users.therapistB.id, world.users[who].id],
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('userIds');
    expect(await t.db.selectFrom('care_team_members').selectAll().where('patient_id', '=', world.patientB.id).execute()).toEqual(before);
  });
});

describe('break the glass', () => {
  it('gives a clinician time-boxed access with a reason, flagged in the audit log', async () => {
    const url = `/api/patients/${world.patientB.id}`;
    expect((await get('nurse', url)).statusCode).toBe(403);

    const short = await send('nurse', 'POST', `${url}/break-glass`, { reason: 'urgent' });
    expect(short.statusCode).toBe(400);
    expect(errorOf(short).field).toBe('reason');

    const grant = await send('nurse', 'POST', `${url}/break-glass`, { reason: 'Patient collapsed in the waiting room' });
    expect(grant.statusCode).toBe(201);
    const read = await get('nurse', url);
    expect(read.statusCode).toBe(200);
    expect(read.json().access).toBe('break_glass');
    expect(read.json().breakGlassUntil).toBe(grant.json().expiresAt);
    expect((await get('therapistA', `/api/patients/${world.patientA.id}`)).json().breakGlassUntil).toBeNull();
    const listed = await get('nurse', '/api/patients');
    expect(listed.json().items.map((p: { id: string }) => p.id)).toContain(world.patientB.id);

    await t.deps.audit.flush();
    const rows = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('actor_user_id', '=', world.users.nurse.id)
      .where('patient_id', '=', world.patientB.id)
      .where('break_glass', '=', 1)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => `${r.resource}:${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining(['patient.break_glass:grant:allowed', 'patient.demographics:read:allowed']),
    );
    expect(JSON.parse(rows.find((r) => r.resource === 'patient.break_glass')!.detail!).reason).toBe('Patient collapsed in the waiting room');

    t.clock.advance(61 * 60_000);
    // The session has been idle too: sign in again, then the grant has expired.
    sessions.nurse = await signIn(t.app, world.users.nurse.email);
    expect((await get('nurse', url)).statusCode).toBe(403);
  });

  it('lets a clinician find a patient outside their care team by name and exact date of birth, audited', async () => {
    sessions.therapistA = await signIn(t.app, world.users.therapistA.email);
    const found = await get('therapistA', '/api/patients/lookup?q=hopp&dob=1985-05-05');
    expect(found.statusCode).toBe(200);
    expect(found.json().items).toEqual([expect.objectContaining({ id: world.patientB.id, legalFamilyName: 'Hopper' })]);
    expect(Object.keys(found.json().items[0]).sort()).toEqual(['dateOfBirth', 'id', 'legalFamilyName', 'legalGivenName', 'preferredName']);
    expect((await get('therapistA', '/api/patients/lookup?q=hopp&dob=1985-05-06')).json().items).toEqual([]);
    expect((await get('therapistA', '/api/patients/lookup?q=hopp')).statusCode).toBe(400);
    expect((await get('therapistA', '/api/patients/lookup?q=johnson&dob=1985-05-05')).json().items).toEqual([]); // other tenant
    await t.deps.audit.flush();
    const row = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('actor_user_id', '=', world.users.therapistA.id)
      .where('action', '=', 'lookup')
      .executeTakeFirstOrThrow();
    expect(row.patient_id).toBe(world.patientB.id);
    sessions.frontDesk = await signIn(t.app, world.users.frontDesk.email);
    expect((await get('frontDesk', '/api/patients/lookup?q=hopp&dob=1985-05-05')).statusCode).toBe(403);
  });

  it('is refused to front desk, and for another tenant’s patient', async () => {
    // The previous test moved the clock past the idle timeout.
    sessions.frontDesk = await signIn(t.app, world.users.frontDesk.email);
    sessions.therapistA = await signIn(t.app, world.users.therapistA.email);
    const fd = await send('frontDesk', 'POST', `/api/patients/${world.patientB.id}/break-glass`, { reason: 'Just curious about this one' });
    expect(fd.statusCode).toBe(403);
    const foreign = await send('therapistA', 'POST', `/api/patients/${world.foreignPatient.id}/break-glass`, {
      reason: 'Emergency in the other clinic',
    });
    expect(foreign.statusCode).toBe(404);
    expect(await t.db.selectFrom('break_glass_grants').select('id').where('patient_id', '=', world.foreignPatient.id).execute()).toHaveLength(0);
  });
});
