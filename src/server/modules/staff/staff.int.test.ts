import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, errorOf, signIn, type TestContext } from '../../../../test/helpers/test-app';

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
beforeAll(async () => {
  t = await createTestApp();
  world = await createClinicWorld(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('staff accounts', () => {
  it('lets a clinic admin create a staff member who can then sign in', async () => {
    const admin = await signIn(t.app, world.users.admin.email);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/staff',
      headers: admin.headers,
      payload: { email: 'New.Nurse@Test.example', displayName: 'New Nurse, RN', role: 'nurse', password: 'a long enough password' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'new.nurse@test.example', role: 'nurse', active: true });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const s = await signIn(t.app, 'new.nurse@test.example', 'a long enough password');
    expect(s.csrf).toBeTruthy();

    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/staff',
      headers: admin.headers,
      payload: { email: 'new.nurse@test.example', displayName: 'Again', role: 'nurse', password: 'a long enough password' },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).field).toBe('email');
  });

  it.each([
    [{ email: 'x@test.example', displayName: 'X', role: 'patient', password: 'a long enough password' }, 'role'],
    [{ email: 'x@test.example', displayName: 'X', role: 'nurse', password: 'short' }, 'password'],
    [{ email: 'nope', displayName: 'X', role: 'nurse', password: 'a long enough password' }, 'email'],
  ])('rejects %j naming %s', async (payload, field) => {
    const admin = await signIn(t.app, world.users.admin.email);
    const res = await t.app.inject({ method: 'POST', url: '/api/staff', headers: admin.headers, payload });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe(field);
  });

  it('deactivating an account ends its sessions and blocks sign-in', async () => {
    const admin = await signIn(t.app, world.users.admin.email);
    const nurse = await signIn(t.app, world.users.nurse.email);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.nurse.id}`, headers: admin.headers, payload: { active: false } });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: nurse.headers })).statusCode).toBe(401);
    await expect(signIn(t.app, world.users.nurse.email)).rejects.toThrow(/401/);
    await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.nurse.id}`, headers: admin.headers, payload: { active: true } });
    await expect(signIn(t.app, world.users.nurse.email)).resolves.toBeTruthy();
  });

  it('changing a role ends the sessions opened under the old role at once', async () => {
    const admin = await signIn(t.app, world.users.admin.email);
    const nurse = await signIn(t.app, world.users.nurse.email);
    // A request just before the change: the session is now remembered by the server.
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: nurse.headers })).json().role).toBe('nurse');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.nurse.id}`, headers: admin.headers, payload: { role: 'front_desk' } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: nurse.headers })).statusCode).toBe(401);
    const again = await signIn(t.app, world.users.nurse.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: again.headers })).json().role).toBe('front_desk');
    await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.nurse.id}`, headers: admin.headers, payload: { role: 'nurse' } });
  });

  it('refuses non-admins, other tenants’ staff, and an admin locking themselves out', async () => {
    const therapist = await signIn(t.app, world.users.therapistA.email);
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/staff',
      headers: therapist.headers,
      payload: { email: 'y@test.example', displayName: 'Y', role: 'nurse', password: 'a long enough password' },
    });
    expect(create.statusCode).toBe(403);
    const admin = await signIn(t.app, world.users.admin.email);
    const foreign = await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.foreignTherapist.id}`, headers: admin.headers, payload: { active: false } });
    expect(foreign.statusCode).toBe(404);
    const self = await t.app.inject({ method: 'PATCH', url: `/api/staff/${world.users.admin.id}`, headers: admin.headers, payload: { active: false } });
    expect(self.statusCode).toBe(400);
  });

  it('lists colleagues to staff, not to patients', async () => {
    const fd = await signIn(t.app, world.users.frontDesk.email);
    const res = await t.app.inject({ method: 'GET', url: '/api/staff', headers: fd.headers });
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as { id: string }[]).map((s) => s.id);
    expect(ids).toContain(world.users.therapistA.id);
    expect(ids).not.toContain(world.users.foreignTherapist.id);
    expect(ids).not.toContain(world.users.patientA.id);
    const patient = await signIn(t.app, world.users.patientA.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/staff', headers: patient.headers })).statusCode).toBe(403);
  });
});
