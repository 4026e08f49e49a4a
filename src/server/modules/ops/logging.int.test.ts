import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, signIn, type TestContext } from '../../../../test/helpers/test-app';

describe('application logs carry no patient data', () => {
  const lines: string[] = [];
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'trace' }, { logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs each request without names, dates of birth, contact details or search terms', async () => {
    const world = await createClinicWorld(t.db);
    const s = await signIn(t.app, world.users.frontDesk.email);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: s.headers,
      payload: { legalGivenName: 'Zenobia', legalFamilyName: 'Quillfeather', dateOfBirth: '1977-07-07', email: 'zenobia@example.com', phone: '+1 213 555 0177' },
    });
    expect(created.statusCode).toBe(201);
    await t.app.inject({ method: 'GET', url: '/api/patients?q=quillfeather&dob=1977-07-07', headers: s.headers });
    await t.app.inject({ method: 'GET', url: `/api/patients/${created.json().id}`, headers: s.headers });
    await t.app.inject({ method: 'PATCH', url: `/api/patients/${created.json().id}`, headers: s.headers, payload: { phone: 'not a phone Quillfeather' } });
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'zenobia@example.com', password: 'Quillfeather-secret' } });

    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(text).toContain('request completed');
    for (const secret of ['Zenobia', 'Quillfeather', 'quillfeather', '1977-07-07', 'zenobia@example.com', '555 0177', s.csrf, 'threshold_session=']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('request log lines', () => {
  const lines: string[] = [];
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one access line per request, carrying the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.route === '/api/health');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ msg: 'request completed', status: 200, method: 'GET', level: 30 });
    expect(access[0]?.reqId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });
});
