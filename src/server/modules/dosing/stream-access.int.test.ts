import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDosingWorld } from '../../../../test/helpers/dosing-world';
import { SseClient, sleep } from '../../../../test/helpers/sse-client';
import { addToCareTeam, createTestApp, createUser, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import type { SessionView } from '../../../core/schemas/dosing.schema';

/**
 * A session stream ends when the caller's access ends: at a break-the-glass grant's
 * expiry (whether or not anything is being sent), on sign-out, or when the caller leaves
 * the care team. It ends with `event: access-ended`, and a reconnect is refused.
 */
let t: TestContext;
let world: Awaited<ReturnType<typeof createDosingWorld>>;
let base: string;
let session: SessionView;
let n = 0;
const BREAK_GLASS_MINUTES = 5;

beforeAll(async () => {
  t = await createTestApp({ BREAK_GLASS_MINUTES: String(BREAK_GLASS_MINUTES) });
  world = await createDosingWorld(t.db, t.clock.now);
  const nurse = await signIn(t.app, world.users.nurse.email);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  const res = await t.app.inject({ method: 'POST', url: '/api/sessions', headers: nurse.headers, payload: { appointmentId: world.appointmentId } });
  expect(res.statusCode, res.body).toBe(201);
  session = res.json<SessionView>();
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A reading posted by the care team's nurse (signed in afresh: the test clock moves). */
async function postReading(hr: number) {
  const nurse = await signIn(t.app, world.users.nurse.email);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/vitals`,
    headers: nurse.headers,
    payload: { idempotencyKey: `access-${++n}`, readings: [{ at: new Date(t.clock.now.getTime() - 1000).toISOString(), hr, spo2: 98 }] },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A clinician outside the care team who breaks the glass; returns their sign-in and the grant's expiry. */
async function breakGlassClinician(): Promise<{ who: Session; expiresAt: string }> {
  const user = await createUser(t.db, world.org.id, 'therapist');
  const who = await signIn(t.app, user.email);
  const refused = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
  expect(refused.status).toBe(403);
  refused.close();
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/patients/${world.patientA.id}/break-glass`,
    headers: who.headers,
    payload: { reason: 'Covering the recovery room in an emergency' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { who, expiresAt: res.json<{ expiresAt: string }>().expiresAt };
}

const lastId = (c: SseClient) => c.events.filter((e) => e.id !== null).at(-1)?.id ?? '0';

async function waitUntilEnded(c: SseClient, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!c.ended && Date.now() < until) await sleep(10);
  expect(c.ended).toBe(true);
}

async function streamEndAudits(reason: string) {
  await t.deps.audit.flush();
  const rows = await t.db.selectFrom('audit_events').select(['detail', 'outcome', 'break_glass']).where('patient_id', '=', world.patientA.id).where('outcome', '=', 'denied').execute();
  return rows.filter((r) => (r.detail ?? '').includes(`stream_ended_${reason}`));
}

describe('a session stream ends when access ends', () => {
  it('break-the-glass: nothing is sent after the grant expires; the stream says why and ends; a reconnect gets 403', async () => {
    const { who, expiresAt } = await breakGlassClinician();
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    expect(c.status).toBe(200);
    await c.waitFor(1);
    expect(c.events[0]).toMatchObject({ event: 'session-created' });

    await postReading(71);
    await c.waitFor(2);
    expect(c.events[1]).toMatchObject({ event: 'reading' });

    // The grant runs out; the next reading is not sent to this stream.
    t.clock.now = new Date(Date.parse(expiresAt) + 1000);
    await postReading(72);
    await c.waitFor(3);
    await waitUntilEnded(c);
    const last = c.events.at(-1)!;
    expect(last.event).toBe('access-ended');
    expect(last.id).toBeNull();
    expect(JSON.parse(last.data)).toMatchObject({ reason: 'break_glass_expired' });
    expect(c.events.filter((e) => e.event === 'reading').map((e) => (JSON.parse(e.data) as { hr: number }).hr)).toEqual([71]);

    const again = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie, 'last-event-id': lastId(c) });
    expect(again.status).toBe(403);
    again.close();
    expect(await streamEndAudits('break_glass_expired')).toHaveLength(1);
  });

  it('break-the-glass: an idle stream ends at the expiry too (timer), without any event to send', async () => {
    const { who, expiresAt } = await breakGlassClinician();
    // Connect shortly before the grant ends: the server's timer is set for the time left.
    t.clock.now = new Date(Date.parse(expiresAt) - 300);
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    expect(c.status).toBe(200);
    await c.waitFor(1);
    expect(c.events.some((e) => e.event === 'access-ended')).toBe(false);
    t.clock.advance(1000);
    await waitUntilEnded(c);
    expect(c.events.at(-1)).toMatchObject({ event: 'access-ended' });
    expect(JSON.parse(c.events.at(-1)!.data)).toMatchObject({ reason: 'break_glass_expired' });
    const again = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    expect(again.status).toBe(403);
    again.close();
  });

  it('break-the-glass renewed before expiry: the stream goes on', async () => {
    const { who, expiresAt } = await breakGlassClinician();
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    await c.waitFor(1);
    const before = c.events.length;
    t.clock.now = new Date(Date.parse(expiresAt) - 60_000);
    const renewed = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${world.patientA.id}/break-glass`,
      headers: who.headers,
      payload: { reason: 'Still covering the recovery room' },
    });
    expect(renewed.statusCode).toBe(201);
    t.clock.now = new Date(Date.parse(expiresAt) + 1000);
    await postReading(73);
    await c.waitFor(before + 1);
    expect(c.events.at(-1)).toMatchObject({ event: 'reading' });
    expect(c.ended).toBe(false);
    c.close();
  });

  it('heartbeat re-check: signing out ends the stream', async () => {
    const user = await createUser(t.db, world.org.id, 'nurse');
    await addToCareTeam(t.db, world.org.id, world.patientA.id, user.id);
    const who = await signIn(t.app, user.email);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    expect(c.status).toBe(200);
    await c.waitFor(1);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: who.headers });
    expect(out.statusCode).toBeLessThan(300);
    vi.advanceTimersByTime(15_000);
    await waitUntilEnded(c);
    expect(JSON.parse(c.events.at(-1)!.data)).toMatchObject({ reason: 'signed_out' });
  });

  it('heartbeat re-check: leaving the care team ends the stream; a care-team stream otherwise keeps going', async () => {
    const user = await createUser(t.db, world.org.id, 'nurse');
    await addToCareTeam(t.db, world.org.id, world.patientA.id, user.id);
    const who = await signIn(t.app, user.email);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    await c.waitFor(1);
    vi.advanceTimersByTime(15_000);
    await sleep(100);
    expect(c.ended).toBe(false);
    await t.db.deleteFrom('care_team_members').where('patient_id', '=', world.patientA.id).where('user_id', '=', user.id).execute();
    vi.advanceTimersByTime(15_000);
    await waitUntilEnded(c);
    expect(JSON.parse(c.events.at(-1)!.data)).toMatchObject({ reason: 'access_revoked' });
    const again = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: who.cookie });
    expect(again.status).toBe(403);
    again.close();
  });
});

describe('the board stream stops streaming a patient when access ends', () => {
  const sessionEvents = (c: SseClient) => c.events.filter((e) => e.event === 'session').map((e) => JSON.parse(e.data) as { sessionId: string; kind: string; data: { hr?: number } });

  it('break-the-glass expiry: the patient\'s readings stop, the client is told to refresh, and the refreshed board leaves them out', async () => {
    const { who, expiresAt } = await breakGlassClinician();
    const board = await SseClient.open(`${base}/api/board/stream`, { cookie: who.cookie });
    expect(board.status).toBe(200);
    await board.waitFor(1);
    const snap = JSON.parse(board.events[0]!.data) as { sessions: { sessionId: string }[] };
    expect(snap.sessions.map((s) => s.sessionId)).toContain(session.id);
    await postReading(81);
    await board.waitFor(2);
    expect(sessionEvents(board).at(-1)).toMatchObject({ sessionId: session.id, kind: 'reading', data: { hr: 81 } });

    t.clock.now = new Date(Date.parse(expiresAt) + 1000);
    await postReading(82);
    await board.waitFor(3);
    expect(board.events.at(-1)).toMatchObject({ event: 'refresh' });
    await postReading(83);
    await sleep(150);
    expect(sessionEvents(board).map((e) => e.data.hr)).toEqual([81]);
    const refreshed = await t.app.inject({ method: 'GET', url: '/api/board', headers: who.headers });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json<{ sessions: { sessionId: string }[] }>().sessions.map((s) => s.sessionId)).not.toContain(session.id);
    board.close();
  });

  it('an idle board stream drops the patient at the expiry (timer)', async () => {
    const { who, expiresAt } = await breakGlassClinician();
    t.clock.now = new Date(Date.parse(expiresAt) - 300);
    const board = await SseClient.open(`${base}/api/board/stream`, { cookie: who.cookie });
    await board.waitFor(1);
    t.clock.advance(1000);
    await board.waitFor(2);
    expect(board.events[1]).toMatchObject({ event: 'refresh' });
    board.close();
  });

  it('heartbeat re-check: signing out ends the board stream with access-ended', async () => {
    const user = await createUser(t.db, world.org.id, 'nurse');
    await addToCareTeam(t.db, world.org.id, world.patientA.id, user.id);
    const who = await signIn(t.app, user.email);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const board = await SseClient.open(`${base}/api/board/stream`, { cookie: who.cookie });
    await board.waitFor(1);
    vi.advanceTimersByTime(15_000);
    await sleep(100);
    expect(board.ended).toBe(false);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: who.headers })).statusCode).toBeLessThan(300);
    vi.advanceTimersByTime(15_000);
    await waitUntilEnded(board);
    expect(board.events.at(-1)).toMatchObject({ event: 'access-ended' });
    expect(JSON.parse(board.events.at(-1)!.data)).toMatchObject({ reason: 'signed_out' });
  });
});
