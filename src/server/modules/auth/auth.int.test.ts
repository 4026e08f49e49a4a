import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createTestApp, createUser, errorOf, signIn, TEST_PASSWORD, type TestContext } from '../../../../test/helpers/test-app';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const login = (email: string, password: string, ip = '203.0.113.7') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

describe('sign in, me, sign out', () => {
  it('signs in with an HttpOnly SameSite cookie and returns the user with a CSRF token', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const res = await login(user.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: user.id, email: user.email, role: 'therapist', organizationId: org.id, timeZone: 'America/Los_Angeles' });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(body).not.toHaveProperty('patientId');
    const cookie = res.cookies.find((c) => c.name === 'threshold_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `threshold_session=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, csrfToken: body.csrfToken });
  });

  it('gives a patient their patientId', async () => {
    const org = await createOrganization(t.db);
    const { createPatientRow } = await import('../../../../test/helpers/test-app');
    const p = await createPatientRow(t.db, org.id);
    const user = await createUser(t.db, org.id, 'patient', { patientId: p.id });
    const s = await signIn(t.app, user.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers });
    expect(me.json()).toMatchObject({ role: 'patient', patientId: p.id });
  });

  it('refuses a wrong password or unknown account with the same 401', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'nurse');
    const wrong = await login(user.email, 'not the password', '198.51.100.1');
    const unknown = await login('nobody@test.example', 'whatever', '198.51.100.2');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(errorOf(res)).toMatchObject({ code: 'unauthenticated', field: 'password' });
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('refuses a deactivated account', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'nurse', { active: false });
    expect((await login(user.email, TEST_PASSWORD, '198.51.100.3')).statusCode).toBe(401);
  });

  it('signs out: the cookie no longer works', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const s = await signIn(t.app, user.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers });
    expect(me.statusCode).toBe(401);
  });

  it('notices a session ended behind its back within seconds, however busy the session is', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const s = await signIn(t.app, user.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode).toBe(200);
    // Another process (or a database administrator) ends it: this process does not hear of it.
    await t.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    // Requests keep coming, a second apart; none may extend how long the row is remembered.
    let status = 200;
    for (let i = 0; i < 10 && status === 200; i++) {
      t.clock.advance(1_000);
      status = (await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode;
    }
    expect(status).toBe(401);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY says so: a client cannot choose the address that is throttled and audited', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '198.51.100.77' },
    });
    expect(res.statusCode).toBe(200);
    await t.deps.audit.flush();
    const row = await t.db.selectFrom('audit_events').select('ip').where('actor_user_id', '=', user.id).where('action', '=', 'login').executeTakeFirstOrThrow();
    expect(row.ip).toBe('203.0.113.9');
  });
});

describe('CSRF', () => {
  it('refuses a mutating request with the cookie but without the right x-csrf-token', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'front_desk');
    const s = await signIn(t.app, user.email);
    const payload = { legalGivenName: 'Csrf', legalFamilyName: 'Probe', dateOfBirth: '1990-01-01' };
    const missing = await t.app.inject({ method: 'POST', url: '/api/patients', headers: { cookie: s.cookie }, payload });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/patients', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload });
    for (const res of [missing, wrong]) {
      expect(res.statusCode).toBe(403);
      expect(errorOf(res)).toMatchObject({ code: 'csrf', field: 'x-csrf-token' });
    }
    const count = await t.db.selectFrom('patients').select('id').where('legal_family_name', '=', 'Probe').execute();
    expect(count).toHaveLength(0);
    const ok = await t.app.inject({ method: 'POST', url: '/api/patients', headers: s.headers, payload });
    expect(ok.statusCode).toBe(201);
  });
});

describe('session expiry', () => {
  it('ends a session idle for longer than the idle timeout', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const s = await signIn(t.app, user.email);
    t.clock.advance(29 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode).toBe(401);
  });

  it('ends an active session at the absolute limit', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'therapist');
    const s = await signIn(t.app, user.email);
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      t.clock.advance(20 * 60_000);
      expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode).toBe(200);
    }
    t.clock.advance(40 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers })).statusCode).toBe(401);
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After after repeated failures for an account, even with the right password', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'prescriber');
    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong-${i}`, `192.0.2.${i + 10}`)).statusCode).toBe(401);
    const blocked = await login(user.email, TEST_PASSWORD, '192.0.2.99');
    expect(blocked.statusCode).toBe(429);
    expect(errorOf(blocked).code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    t.clock.advance(retryAfter * 1000 + 1000);
    expect((await login(user.email, TEST_PASSWORD, '192.0.2.99')).statusCode).toBe(200);
  });

  it('throttles one address trying many accounts', async () => {
    const ip = '203.0.113.250';
    for (let i = 0; i < t.config.loginThrottle.perAddress; i++) expect((await login(`spray-${i}@test.example`, 'guess', ip)).statusCode).toBe(401);
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org.id, 'nurse');
    const blocked = await login(user.email, TEST_PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await login(user.email, TEST_PASSWORD, '203.0.113.251')).statusCode).toBe(200);
  });
});
