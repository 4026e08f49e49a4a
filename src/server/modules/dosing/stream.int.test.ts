import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDosingWorld } from '../../../../test/helpers/dosing-world';
import { SseClient, sleep } from '../../../../test/helpers/sse-client';
import { TEST_DIALECT } from '../../../../test/helpers/test-database';
import { createTestApp, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import type { SessionView } from '../../../core/schemas/dosing.schema';
import { buildApp } from '../../app';
import { openDatabase } from '../../db/database';
import type { App } from '../../http/types';

let t: TestContext;
let world: Awaited<ReturnType<typeof createDosingWorld>>;
let nurse: Session;
let base: string;
let session: SessionView;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  world = await createDosingWorld(t.db, t.clock.now);
  nurse = await signIn(t.app, world.users.nurse.email);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  const res = await t.app.inject({ method: 'POST', url: '/api/sessions', headers: nurse.headers, payload: { appointmentId: world.appointmentId } });
  session = res.json<SessionView>();
});
afterAll(async () => {
  await t.close();
});

async function post(app: App, hr: number, headers = nurse.headers) {
  const at = new Date(t.clock.now.getTime() - 60_000 + hr * 10).toISOString();
  const res = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/vitals`,
    headers,
    payload: { idempotencyKey: `stream-${++n}-${hr}`, readings: [{ at, hr, spo2: 98 }] },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const hrs = (c: SseClient) => c.events.filter((e) => e.event === 'reading').map((e) => (JSON.parse(e.data) as { hr: number }).hr);

describe('GET /api/sessions/:id/stream (Server-Sent Events)', () => {
  it('pushes readings live; a reconnect with Last-Event-ID receives exactly the missed events', async () => {
    const first = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: nurse.cookie });
    expect(first.status).toBe(200);
    // The creation event is replayed from the durable log.
    await first.waitFor(1);
    expect(first.events[0]).toMatchObject({ id: '1', event: 'session-created' });

    for (const hr of [61, 62, 63]) await post(t.app, hr);
    await first.waitFor(4);
    expect(hrs(first)).toEqual([61, 62, 63]);
    expect(first.events.map((e) => e.id)).toEqual(['1', '2', '3', '4']);
    first.close();
    await sleep(50);

    for (const hr of [64, 65, 66, 67]) await post(t.app, hr);

    const resumed = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: nurse.cookie, 'last-event-id': '4' });
    await resumed.waitFor(4);
    expect(resumed.events.map((e) => e.id)).toEqual(['5', '6', '7', '8']);
    expect(hrs(resumed)).toEqual([64, 65, 66, 67]);
    await post(t.app, 68);
    await resumed.waitFor(5);
    await sleep(100);
    expect(resumed.events.map((e) => e.id)).toEqual(['5', '6', '7', '8', '9']);
    resumed.close();
  });

  it('?since= works like Last-Event-ID; nothing is duplicated across many concurrent posts', async () => {
    const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream?since=9`, { cookie: nurse.cookie });
    await Promise.all([70, 71, 72, 73, 74, 75, 76, 77].map((hr) => post(t.app, hr)));
    await c.waitFor(8);
    await sleep(100);
    expect(c.events.map((e) => Number(e.id))).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    expect(hrs(c).sort()).toEqual([70, 71, 72, 73, 74, 75, 76, 77]);
    c.close();
  });

  it('the stream is access-checked: front desk 403, no cookie 401, other tenant 404', async () => {
    const fd = await signIn(t.app, world.users.frontDesk.email);
    const refused = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: fd.cookie });
    expect(refused.status).toBe(403);
    refused.close();
    const anon = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, {});
    expect(anon.status).toBe(401);
    anon.close();
    const foreign = await signIn(t.app, world.users.foreignTherapist.email);
    const other = await SseClient.open(`${base}/api/sessions/${session.id}/stream`, { cookie: foreign.cookie });
    expect(other.status).toBe(404);
    other.close();
  });

  it('the board stream sends a snapshot, then the readings and alerts of visible sessions', async () => {
    const board = await SseClient.open(`${base}/api/board/stream`, { cookie: nurse.cookie });
    expect(board.status).toBe(200);
    await board.waitFor(1);
    expect(board.events[0]!.event).toBe('snapshot');
    const snap = JSON.parse(board.events[0]!.data) as { sessions: { sessionId: string }[] };
    expect(snap.sessions.map((s) => s.sessionId)).toContain(session.id);
    await post(t.app, 90);
    await board.waitFor(2);
    const ev = JSON.parse(board.events[1]!.data) as { sessionId: string; kind: string; data: { hr: number } };
    expect(ev).toMatchObject({ sessionId: session.id, kind: 'reading', data: { hr: 90 } });
    board.close();
  });

  it.runIf(TEST_DIALECT === 'postgres')('fans out across instances through LISTEN/NOTIFY', async () => {
    // A second instance of the service on the same database.
    const database = openDatabase(t.testDb.databaseConfig);
    const second = await buildApp(t.config, { database, now: () => t.clock.now });
    await second.app.ready();
    try {
      const c = await SseClient.open(`${base}/api/sessions/${session.id}/stream?since=${(await lastSeq())}`, { cookie: nurse.cookie });
      await sleep(100);
      await post(second.app, 99);
      await c.waitFor(1);
      expect(hrs(c)).toEqual([99]);
      c.close();
    } finally {
      await second.app.close();
      await database.close();
    }
  });
});

async function lastSeq(): Promise<number> {
  const row = await t.db.selectFrom('dosing_sessions').select('event_seq').where('id', '=', session.id).executeTakeFirstOrThrow();
  return Number(row.event_seq);
}
