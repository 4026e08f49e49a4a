import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, signIn, type TestContext } from '../../../../test/helpers/test-app';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
});
afterAll(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await t.app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/api/ready')).json()).toMatchObject({ status: 'ready' });
    const metrics = await t.app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('threshold_http_request_duration_seconds');
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
  });

  it('counts each request under its method, route pattern and status', async () => {
    const count = async (labels: string) => {
      const body = (await t.app.inject('/metrics')).body;
      const line = body.split('\n').find((l) => l.startsWith(`threshold_http_request_duration_seconds_count{${labels}}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const health = 'method="GET",route="/api/health",status="200"';
    const missing = 'method="GET",route="unmatched",status="404"';
    const [h0, m0] = [await count(health), await count(missing)];
    for (let i = 0; i < 3; i++) await t.app.inject('/api/health');
    await t.app.inject('/api/no-such-route');
    expect(await count(health)).toBe(h0 + 3);
    expect(await count(missing)).toBe(m0 + 1);
  });

  it('publishes an OpenAPI 3 document generated from the route schemas', async () => {
    const res = await t.app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/me', '/api/patients', '/api/patients/{id}', '/api/patients/{id}/break-glass', '/api/audit', '/api/staff']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths['/api/patients'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['legalGivenName', 'legalFamilyName', 'dateOfBirth']),
    );
  });
});

describe('errors', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.inject('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/no-such-thing' } });
  });

  it('answers malformed JSON with a 400 and an oversized body with a 413, never a stack trace', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation');
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
    const big = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.co', password: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(wrongType.statusCode).toBe(415);
  });

  it('names the field for schema violations in body, query and params', async () => {
    const world = await createClinicWorld(t.db);
    const s = await signIn(t.app, world.users.frontDesk.email);
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.co' } });
    expect(missing.json().error).toMatchObject({ code: 'validation', field: 'password', message: 'password is required' });
    const query = await t.app.inject({ method: 'GET', url: '/api/patients?limit=0', headers: s.headers });
    expect(query.json().error).toMatchObject({ code: 'validation', field: 'limit' });
    const params = await t.app.inject({ method: 'GET', url: '/api/patients/not-a-uuid', headers: s.headers });
    expect(params.statusCode).toBe(400);
    expect(params.json().error.field).toBe('id');
  });

  it('sets protective headers; API answers are never stored by browsers or proxies', async () => {
    const res = await t.app.inject('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    const world = await createClinicWorld(t.db);
    const s = await signIn(t.app, world.users.therapistA.email);
    const chart = await t.app.inject({ method: 'GET', url: `/api/patients/${world.patientA.id}`, headers: s.headers });
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/api/no-such-route' })).headers['cache-control']).toBe('no-store');
  });
});
