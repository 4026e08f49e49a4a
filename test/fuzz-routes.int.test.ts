import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, signIn, type Session, type TestContext } from './helpers/test-app';

/**
 * Throws malformed bodies, params and query strings at every route in the OpenAPI
 * document, signed in and not, and asserts: never a 5xx, always the error shape, and
 * a refused request changes no stored data.
 */

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
let admin: Session;
let routes: { method: string; path: string }[];

// Tables whose content a refused request must leave exactly as it was. (Audit rows,
// login failures and sessions are expected to grow: they record the attempts.)
const GUARDED = ['organizations', 'users', 'patients', 'care_team_members', 'break_glass_grants', 'outbox', 'local_mailbox'] as const;

async function snapshot(): Promise<string> {
  const parts = await Promise.all(GUARDED.map((table) => t.db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(parts.map((rows) => rows.map((r) => JSON.stringify(r)).sort()));
}

beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: '10000', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000' });
  world = await createClinicWorld(t.db);
  admin = await signIn(t.app, world.users.admin.email);
  const doc = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
});
afterAll(async () => {
  await t.close();
});

const jsonish = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: false, withBigInt: false, withBoxedValues: false, withTypedArray: false, withSparseArray: false }),
  fc.dictionary(
    fc.constantFrom('email', 'password', 'legalGivenName', 'legalFamilyName', 'dateOfBirth', 'userIds', 'reason', 'role', 'active', 'phone', 'q', '__proto__', 'constructor'),
    fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
  ),
);
const paramValue = () =>
  fc.oneof(
    fc.constant(world.patientA.id),
    fc.constant(world.foreignPatient.id),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', '%E0%A4%A', "1' OR '1'='1", '-1', '9'.repeat(30)),
  );
const queryString = fc
  .dictionary(
    fc.constantFrom('q', 'dob', 'limit', 'offset', 'patientId', 'userId', 'from', 'to', 'beforeSeq', 'zzz'),
    fc.oneof(fc.string({ maxLength: 50 }), fc.integer().map(String), fc.constantFrom('2026-02-30', '1e9', '-5', 'null', '%', '[]')),
  )
  .map((d) => new URLSearchParams(d).toString());

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value).replace(/%25/g, '%'));
}

describe('every route survives malformed input', () => {
  for (const signedIn of [true, false]) {
    it(`${signedIn ? 'signed in as an admin' : 'anonymous'}: no 5xx, error shape, refused requests change nothing`, async () => {
      const candidates = routes.filter((r) => !(signedIn && r.path === '/api/auth/logout'));
      expect(candidates.length).toBeGreaterThan(10);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...candidates),
          paramValue(),
          queryString,
          jsonish,
          fc.boolean(),
          async (route, param, query, body, sendRawString) => {
            const before = await snapshot();
            const url = `${fillPath(route.path, param)}${query ? `?${query}` : ''}`;
            const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
            const json = JSON.stringify(body ?? null);
            const payload = sendRawString ? json.slice(0, -1) : json;
            const res = await t.app.inject({
              method: route.method as 'GET',
              url,
              headers: { ...(signedIn ? admin.headers : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
              ...(hasBody ? { payload } : {}),
            });
            expect(res.statusCode, `${route.method} ${url} → ${res.body}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              if (String(res.headers['content-type'] ?? '').includes('json')) {
                const err = res.json() as { error?: { code?: unknown; message?: unknown } };
                expect(typeof err.error?.code).toBe('string');
                expect(typeof err.error?.message).toBe('string');
              }
              expect(await snapshot(), `${route.method} ${url} changed data while refusing`).toBe(before);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
