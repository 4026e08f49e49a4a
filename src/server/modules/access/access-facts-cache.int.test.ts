import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { committedDataVersion } from '../../db/prepared-query';
import { findPatientAccessFacts } from './patient-access.repository';

// The access facts of a chart read may come from memory while nothing has been committed
// (CommittedDataCache). These reads happen with no commit in between — asserted through
// the data version, so the answers really come from remembered facts on SQLite — and
// must still be decided at the time of the request.
const BREAK_GLASS_MINUTES = 5;

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  t = await createTestApp({ BREAK_GLASS_MINUTES: String(BREAK_GLASS_MINUTES) });
  world = await createClinicWorld(t.db);
  for (const who of ['nurse', 'therapistA', 'admin'] as const) sessions[who] = await signIn(t.app, world.users[who].email);
});
afterAll(async () => t.close());

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: sessions[who]!.headers });

describe('remembered access facts', () => {
  it('a break-the-glass grant ends at its expiry even when nothing was written since the last read', async () => {
    const url = `/api/patients/${world.patientB.id}`;
    const grant = await t.app.inject({ method: 'POST', url: `${url}/break-glass`, headers: sessions.nurse!.headers, payload: { reason: 'Patient collapsed in the waiting room' } });
    expect(grant.statusCode).toBe(201);
    expect((await get('nurse', url)).statusCode).toBe(200);
    expect((await get('nurse', url)).json().breakGlassUntil).toBe(grant.json().expiresAt);

    t.clock.advance(BREAK_GLASS_MINUTES * 60_000 - 1_000);
    // (This read may record the sign-in's use, a commit; the next one does not.)
    expect((await get('nurse', url)).statusCode).toBe(200);
    const version = committedDataVersion(t.db);
    t.clock.advance(2_000);
    expect((await get('nurse', url)).statusCode).toBe(403);
    expect(committedDataVersion(t.db)).toBe(version);
  });

  it('a read after a change shows the change', async () => {
    const url = `/api/patients/${world.patientA.id}`;
    expect((await get('therapistA', url)).json().preferredName).not.toBe('Countess');
    const patch = await t.app.inject({ method: 'PATCH', url, headers: sessions.admin!.headers, payload: { preferredName: 'Countess' } });
    expect(patch.statusCode).toBe(200);
    expect((await get('therapistA', url)).json().preferredName).toBe('Countess');
  });

  it('shares remembered facts between requests only frozen, so one request cannot change another’s', async () => {
    const now = t.clock.now;
    const first = (await findPatientAccessFacts(t.db, world.patientA.id, world.users.therapistA.id, now))!;
    const second = (await findPatientAccessFacts(t.db, world.patientA.id, world.users.therapistA.id, now))!;
    expect(second.patient).toEqual(first.patient);
    expect(Object.isFrozen(second.patient)).toBe(true);
    expect(Object.isFrozen(second.careTeam)).toBe(true);
    expect(second.careTeam.every((m) => Object.isFrozen(m))).toBe(true);
    expect(() => {
      (second.patient as { legal_given_name: string }).legal_given_name = 'changed';
    }).toThrow(TypeError);
    expect(first.patient.legal_given_name).not.toBe('changed');
  });
});
