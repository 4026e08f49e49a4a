import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDosingWorld } from '../../../../test/helpers/dosing-world';
import { createTestApp, errorOf, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { defaultClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { SessionView, VitalsBatchResult } from '../../../core/schemas/dosing.schema';

let t: TestContext;
let world: Awaited<ReturnType<typeof createDosingWorld>>;
const sessions: Record<string, Session> = {};
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  world = await createDosingWorld(t.db, t.clock.now);
  for (const [key, user] of Object.entries(world.users)) {
    sessions[key] = await signIn(t.app, user.email);
    lastUse[key] = t.clock.now.getTime();
  }
});
afterAll(async () => {
  await t.close();
});

type Who = keyof typeof world.users;
// The test clock moves hours ahead; sign in again when a session would have idled out.
const lastUse: Record<string, number> = {};
async function headers(who: Who): Promise<Record<string, string>> {
  const now = t.clock.now.getTime();
  if (now - lastUse[who]! > 20 * 60_000) sessions[who] = await signIn(t.app, world.users[who].email);
  lastUse[who] = now;
  return sessions[who]!.headers;
}
const get = async (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: await headers(who) });
const send = async (who: Who, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: await headers(who), ...(payload === undefined ? {} : { payload: payload as object }) });
const iso = (offsetMs = 0) => new Date(t.clock.now.getTime() + offsetMs).toISOString();
let keyCounter = 0;
const key = () => `batch-${++keyCounter}-${Math.random().toString(36).slice(2)}`;
const vitals = (who: Who, id: string, readings: object[], idempotencyKey = key()) =>
  send(who, 'POST', `/api/sessions/${id}/vitals`, { idempotencyKey, readings });

async function openSession(appointmentId = world.appointmentId): Promise<SessionView> {
  const res = await send('nurse', 'POST', '/api/sessions', { appointmentId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<SessionView>();
}

const readyFacts = {
  weightKg: 70,
  pregnancyStatus: 'confirmed-not-pregnant',
  fastingConfirmed: true,
  abstinenceConfirmed: true,
  escortName: 'Sam Escort',
  escortPhone: '+1 213 555 0199',
  next24hKeptFree: true,
};

describe('the whole session over HTTP', () => {
  let s: SessionView;

  it('opens a session for a dosing appointment, once', async () => {
    s = await openSession();
    expect(s).toMatchObject({ state: 'scheduled', nextState: 'checked-in', roomName: 'Chair 1', patientId: world.patientA.id, protocolRevision: 0 });
    const again = await send('nurse', 'POST', '/api/sessions', { appointmentId: world.appointmentId });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).field).toBe('appointmentId');
  });

  it('check-in is blocked by a high blood pressure (reading shown), then passes on a repeat reading', async () => {
    expect((await send('nurse', 'PUT', `/api/sessions/${s.id}/check-in-facts`, readyFacts)).statusCode).toBe(200);
    const high = await vitals('nurse', s.id, [{ at: iso(-60_000), hr: 80, sbp: 186, dbp: 100, spo2: 98, rr: 14 }]);
    expect(high.statusCode).toBe(200);
    const blocked = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in' });
    expect(blocked.statusCode).toBe(409);
    const body = blocked.json<{ decision: { reasons: { code: string; message: string; overridable: boolean }[]; overridable: boolean } }>();
    const bp = body.decision.reasons.filter((r) => r.code === 'pre-dose-vitals-out-of-range');
    expect(bp.length).toBeGreaterThan(0);
    expect(bp[0]!.message).toContain('186');
    expect(body.decision.overridable).toBe(false);
    // A prescriber cannot override a hard stop either.
    const override = await send('prescriber', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in', reason: 'clinically fine' });
    expect(override.statusCode).toBe(409);

    expect((await vitals('nurse', s.id, [{ at: iso(), hr: 76, sbp: 128, dbp: 82, spo2: 98, rr: 14 }])).statusCode).toBe(200);
    const gate = await get('nurse', `/api/sessions/${s.id}/check-in-gate`);
    expect(gate.json()).toMatchObject({ allowed: true, reasons: [] });
    const ok = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in' });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json<{ session: SessionView }>().session;
    expect(after.state).toBe('checked-in');
    expect(after.baselineVitals).toMatchObject({ sbp: 128, dbp: 82 });
    expect((await t.db.selectFrom('appointments').select('status').where('id', '=', world.appointmentId).executeTakeFirstOrThrow()).status).toBe('checked_in');
  });

  it('a transition out of order is refused with a reason', async () => {
    const res = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'recovery' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons[0]!.code).toBe('invalid-transition');
  });

  it('dose: calculated, refused outside the range unless a prescriber overrides, co-signed by a second clinician', async () => {
    const calc = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-calculation`, { route: 'ivInfusion' });
    expect(calc.statusCode).toBe(200);
    expect(calc.json()).toMatchObject({ doseMg: 35, withinProtocol: true, iv: { volumeMl: 35, durationMinutes: 40 } });

    const tooHigh = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-orders`, { route: 'ivInfusion', mgPerKg: 1 });
    expect(tooHigh.statusCode).toBe(409);
    expect(errorOf(tooHigh).field).toBe('overrideReason');
    const nurseOverride = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-orders`, { route: 'ivInfusion', mgPerKg: 1, overrideReason: 'tolerated before' });
    expect(nurseOverride.statusCode).toBe(403);

    const order = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-orders`, { route: 'ivInfusion', mgPerKg: 0.5 });
    expect(order.statusCode).toBe(201);
    const orderId = order.json<SessionView>().doseOrders.at(-1)!.id;

    // Not verified yet → dosing blocked.
    const early = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'dosing' });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code)).toContain('dose-not-verified');

    const self = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-orders/${orderId}/verify`);
    expect(self.statusCode).toBe(409);
    const verified = await send('prescriber', 'POST', `/api/sessions/${s.id}/dose-orders/${orderId}/verify`);
    expect(verified.statusCode).toBe(200);
    expect(verified.json<SessionView>().doseOrders.at(-1)).toMatchObject({ status: 'verified', doseMg: 35 });

    const dosing = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'dosing' });
    expect(dosing.statusCode, dosing.body).toBe(200);
  });

  it('administration: recorded once per key, immutable, end time once, corrections as addenda, controlled-substance log', async () => {
    const orderId = (await get('nurse', `/api/sessions/${s.id}`)).json<SessionView>().doseOrders.at(-1)!.id;
    const expired = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations`, {
      idempotencyKey: 'admin-key-expired',
      doseOrderId: orderId,
      lot: 'LOT-OLD',
      expiry: '2020-01-01',
      startedAt: iso(),
    });
    expect(expired.statusCode).toBe(400);
    expect(errorOf(expired).field).toBe('expiry');

    const body = { idempotencyKey: 'admin-key-0001', doseOrderId: orderId, lot: 'KET-2291', expiry: '2027-06-30', startedAt: iso() };
    const first = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations`, body);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations`, body);
    expect(retry.statusCode).toBe(200);
    const admins = retry.json<SessionView>().administrations;
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ drug: 'racemic-ketamine', route: 'ivInfusion', doseMg: 35, lot: 'KET-2291', concentrationMgPerMl: 1, volumeMl: 35, endedAt: null });
    expect(admins[0]!.givenBy).toBe(world.users.nurse.id);
    expect(admins[0]!.verifiedBy).toBe(world.users.prescriber.id);

    // No route changes an administration.
    expect((await send('nurse', 'PATCH', `/api/sessions/${s.id}/administrations/${admins[0]!.id}`, { doseMg: 50 })).statusCode).toBe(404);

    const blocked = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'monitoring' });
    expect(blocked.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code)).toEqual(['administration-in-progress']);

    t.clock.advance(40 * MIN);
    const end = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations/${admins[0]!.id}/end`, { endedAt: iso() });
    expect(end.statusCode).toBe(200);
    const endAgain = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations/${admins[0]!.id}/end`, { endedAt: iso() });
    expect(endAgain.statusCode).toBe(409);
    const addendum = await send('nurse', 'POST', `/api/sessions/${s.id}/administrations/${admins[0]!.id}/addenda`, { text: 'Pump paused 2 min for a line check' });
    expect(addendum.statusCode).toBe(201);
    expect(addendum.json<SessionView>().administrations[0]!.addenda[0]!.text).toBe('Pump paused 2 min for a line check');

    const selfWitness = await send('nurse', 'POST', `/api/sessions/${s.id}/waste`, { lot: 'KET-2291', amountMg: 15, witnessUserId: world.users.nurse.id });
    expect(selfWitness.statusCode).toBe(400);
    const waste = await send('nurse', 'POST', `/api/sessions/${s.id}/waste`, { lot: 'KET-2291', amountMg: 15, witnessUserId: world.users.prescriber.id });
    expect(waste.statusCode).toBe(201);
    const lot = await get('nurse', '/api/controlled-substances?lot=KET-2291');
    expect(lot.json()).toMatchObject({ lot: 'KET-2291', givenMg: 35, wastedMg: 15 });
    expect((await get('frontDesk', '/api/controlled-substances?lot=KET-2291')).statusCode).toBe(403);

    const monitoring = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'monitoring' });
    expect(monitoring.statusCode, monitoring.body).toBe(200);
  });

  it('vitals: a retried batch never doubles; a partly invalid batch rejects only the invalid readings by index and field', async () => {
    const before = (await get('nurse', `/api/sessions/${s.id}/vitals`)).json<{ items: unknown[] }>().items.length;
    const k = key();
    const readings = [
      { at: iso(-30_000), hr: 72, sbp: 124, dbp: 80, spo2: 98, rr: 14 },
      { at: iso(-90_000), hr: 74, sbp: 126, dbp: 81, spo2: 97, rr: 15 }, // earlier: out of order
      { at: iso(-60_000), hr: 0, sbp: 120, dbp: 80, spo2: 98, rr: 14 }, // HR 0: leads off
      { at: 'yesterday', hr: 70 },
      { at: iso(-10_000), sbp: 120, dbp: 130 },
    ];
    const first = await vitals('nurse', s.id, readings, k);
    expect(first.statusCode).toBe(200);
    const r1 = first.json<VitalsBatchResult>();
    expect(r1.accepted.map((a) => a.index)).toEqual([0, 1]);
    expect(r1.rejected).toEqual([
      expect.objectContaining({ index: 2, field: 'hr' }),
      expect.objectContaining({ index: 3, field: 'at' }),
      expect.objectContaining({ index: 4, field: 'dbp' }),
    ]);
    const retry = await vitals('nurse', s.id, readings, k);
    expect(retry.statusCode).toBe(200);
    const r2 = retry.json<VitalsBatchResult>();
    expect(r2.replayed).toBe(true);
    expect(r2.accepted).toEqual(r1.accepted);
    const list = (await get('nurse', `/api/sessions/${s.id}/vitals`)).json<{ items: { at: string; seq: number }[] }>().items;
    expect(list.length).toBe(before + 2);
    // Time order, whatever the arrival order.
    const ats = list.map((i) => i.at);
    expect([...ats].sort()).toEqual(ats);

    const allBad = await vitals('nurse', s.id, [{ at: iso(), spo2: 140 }]);
    expect(allBad.statusCode).toBe(400);
    expect(errorOf(allBad).field).toBe('readings.0.spo2');
    expect(allBad.json<{ error: { details: { field: string }[] } }>().error.details[0]!.field).toBe('readings.0.spo2');

    const malformed = await t.app.inject({ method: 'POST', url: `/api/sessions/${s.id}/vitals`, headers: sessions.nurse!.headers, payload: { readings: [] } });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).field).toBe('idempotencyKey');
  });

  it('an out-of-range reading raises an alert at once; it needs acknowledgement with the intervention; recovery waits for it', async () => {
    const res = await vitals('nurse', s.id, [
      { at: iso(-2000), hr: 88, sbp: 205, dbp: 104, spo2: 97, rr: 14 },
      { at: iso(-1000), hr: 90, sbp: 207, dbp: 104, spo2: 97, rr: 14 },
    ]);
    const alerts = res.json<VitalsBatchResult>().alerts;
    expect(alerts.map((a) => a.rule)).toEqual(['sbp-critical']);
    expect(alerts[0]).toMatchObject({ level: 'critical', value: 205, threshold: 200, status: 'open', escalationLevel: 'nurse' });

    const blocked = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'recovery' });
    expect(blocked.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code)).toEqual(['open-alerts']);

    const noText = await send('nurse', 'POST', `/api/sessions/${s.id}/alerts/${alerts[0]!.id}/acknowledge`, { intervention: '' });
    expect(noText.statusCode).toBe(400);
    const ack = await send('nurse', 'POST', `/api/sessions/${s.id}/alerts/${alerts[0]!.id}/acknowledge`, { intervention: 'Repeated BP, reassured, dimmed lights' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', intervention: 'Repeated BP, reassured, dimmed lights' });
    expect((await send('nurse', 'POST', `/api/sessions/${s.id}/alerts/${alerts[0]!.id}/acknowledge`, { intervention: 'again' })).statusCode).toBe(409);
    const raw = await t.db.selectFrom('session_alerts').select('intervention_enc').where('id', '=', alerts[0]!.id).executeTakeFirstOrThrow();
    expect(raw.intervention_enc).not.toContain('reassured');

    const recovery = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'recovery' });
    expect(recovery.statusCode, recovery.body).toBe(200);
  });

  it('therapist notes: draft, signed, immutable, addenda; encrypted at rest', async () => {
    const content = {
      setting: { room: 'Chair 1', music: 'Ambient playlist', eyeshades: true },
      intention: 'To feel less stuck',
      support: 'Grounding prompts at 20 min',
      observations: 'Calm, tearful at 30 min',
      patientWords: 'I saw my grandmother’s garden',
      adverseEvents: [{ type: 'nausea-vomiting', description: 'Mild nausea', severity: 'mild', intervention: 'Ondansetron per standing order' }],
    };
    const draft = await send('therapistA', 'PUT', `/api/sessions/${s.id}/notes`, { content });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', content });
    const raw = await t.db.selectFrom('session_notes').select('content_enc').where('session_id', '=', s.id).executeTakeFirstOrThrow();
    expect(raw.content_enc).not.toContain('grandmother');
    const signed = await send('therapistA', 'POST', `/api/sessions/${s.id}/notes/sign`);
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', signedByName: expect.any(String), contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const edit = await send('therapistA', 'PUT', `/api/sessions/${s.id}/notes`, { content: { ...content, intention: 'changed' } });
    expect(edit.statusCode).toBe(409);
    const add = await send('therapistA', 'POST', `/api/sessions/${s.id}/notes/addenda`, { text: 'Called the next day: feeling well' });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toMatchObject({ content: { intention: 'To feel less stuck' }, addenda: [{ text: 'Called the next day: feeling well' }] });
    const badType = await send('therapistA', 'PUT', `/api/sessions/${s.id}/notes`, { content: { ...content, adverseEvents: [{ type: 'headache' }] } });
    expect(badType.statusCode).toBe(400);
  });

  it('discharge is blocked until criteria are met; a prescriber overrides the observation time with a reason; aftercare email goes out', async () => {
    await vitals('nurse', s.id, [{ at: iso(), hr: 74, sbp: 130, dbp: 84, spo2: 98, rr: 14 }]);
    const blocked = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'discharged' });
    expect(blocked.statusCode).toBe(409);
    const codes = blocked.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['observation-time-not-met', 'aldrete-not-assessed']));

    const assess = await send('nurse', 'PUT', `/api/sessions/${s.id}/discharge-assessment`, {
      activity: 'moves-4-limbs',
      respiration: 'deep-breath-and-cough',
      consciousness: 'fully-awake',
      onSupplementalOxygen: false,
      alertAndOriented: true,
      steadyGait: true,
      escortPresent: true,
    });
    expect(assess.statusCode).toBe(200);
    const preview = (await get('nurse', `/api/sessions/${s.id}/discharge`)).json<{ reasons: { code: string }[]; aldrete: { total: number }; minObservationMinutes: number }>();
    expect(preview.reasons.map((r) => r.code)).toEqual(['observation-time-not-met']);
    expect(preview.aldrete.total).toBe(10);
    expect(preview.minObservationMinutes).toBe(120);

    const nurseOverride = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'discharged', reason: 'ride is here' });
    expect(nurseOverride.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code)).toContain('override-not-permitted');
    const ok = await send('prescriber', 'POST', `/api/sessions/${s.id}/transition`, { to: 'discharged', reason: 'Fully recovered at 60 min; examined by me' });
    expect(ok.statusCode, ok.body).toBe(200);
    const done = ok.json<{ session: SessionView; decision: { overridden: boolean } }>();
    expect(done.decision.overridden).toBe(true);
    expect(done.session.state).toBe('discharged');
    expect(done.session.transitions.at(-1)).toMatchObject({ to: 'discharged', reason: 'Fully recovered at 60 min; examined by me', overriddenReasons: [expect.objectContaining({ code: 'observation-time-not-met' })] });

    const appt = await t.db.selectFrom('appointments').select('status').where('id', '=', world.appointmentId).executeTakeFirstOrThrow();
    expect(appt.status).toBe('completed');
    const mail = await t.db.selectFrom('outbox').selectAll().where('kind', '=', 'dosing-aftercare').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to_address).toBe('ada.patient@test.example');
    expect(mail[0]!.text_body).toContain('Do not drive');
    expect(mail[0]!.text_body).not.toMatch(/ketamine|mg|mmHg|KET-2291|grandmother/i);

    const late = await vitals('nurse', s.id, [{ at: iso(), hr: 70 }]);
    expect(late.statusCode).toBe(409);
    const again = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'aborted', reason: 'x' });
    expect(again.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons[0]!.code).toBe('terminal-state');
  });
});

describe('aborts', () => {
  it('need a reason, and are recorded with it (patient B, opened by a prescriber on B’s care team)', async () => {
    const { addToCareTeam } = await import('../../../../test/helpers/test-app');
    await addToCareTeam(t.db, world.org.id, world.patientB.id, world.users.prescriber.id);
    const res = await send('prescriber', 'POST', '/api/sessions', { appointmentId: world.patientBAppointment });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<SessionView>();
    const noReason = await send('prescriber', 'POST', `/api/sessions/${s.id}/transition`, { to: 'aborted' });
    expect(noReason.statusCode).toBe(409);
    expect(noReason.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons[0]!.code).toBe('abort-reason-required');
    // The abort of B's session is not done here: the board test needs an active session outside the nurse's care team.
  });
});

describe('escalation and no-reading alerts are driven by the clock', () => {
  it('an unacknowledged alert escalates nurse → prescriber → admin at the protocol times, once, with an email', async () => {
    // A fresh session for patient A in the monitoring phase.
    const { createDosingAppointment } = await import('../../../../test/helpers/dosing-world');
    const appt = await createDosingAppointment(t.db, world.org.id, world.patientA.id, world.users.prescriber.id, world.chair, t.clock.now);
    const s = await openSession(appt);
    await send('nurse', 'PUT', `/api/sessions/${s.id}/check-in-facts`, readyFacts);
    await vitals('nurse', s.id, [{ at: iso(), hr: 76, sbp: 128, dbp: 82, spo2: 98, rr: 14 }]);
    // Too soon after the previous session: overridable → the prescriber overrides.
    const nurse = await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in', reason: 'patient asked' });
    expect(nurse.statusCode).toBe(409);
    expect(nurse.json<{ decision: { reasons: { code: string }[] } }>().decision.reasons.map((r) => r.code)).toEqual(['too-soon-since-last-session', 'override-not-permitted']);
    const pres = await send('prescriber', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in', reason: 'Induction schedule per plan' });
    expect(pres.statusCode, pres.body).toBe(200);

    const raised = await vitals('nurse', s.id, [{ at: iso(), spo2: 88 }]);
    const alert = raised.json<VitalsBatchResult>().alerts[0]!;
    expect(alert.rule).toBe('spo2-critical');
    const { runDosingJobsOnce } = await import('./vitals.service');
    const { createDosingContext } = await import('./dosing-context');
    const ctx = createDosingContext(t.deps);

    t.clock.advance(4 * MIN);
    expect((await runDosingJobsOnce(ctx)).escalated).toBe(0);
    t.clock.advance(1 * MIN);
    expect((await runDosingJobsOnce(ctx)).escalated).toBe(1);
    expect((await runDosingJobsOnce(ctx)).escalated).toBe(0);
    let alerts = (await get('nurse', `/api/sessions/${s.id}/alerts`)).json<{ items: { id: string; escalationLevel: string }[] }>().items;
    expect(alerts.find((a) => a.id === alert.id)!.escalationLevel).toBe('prescriber');
    const mails = await t.db.selectFrom('outbox').select(['to_address', 'text_body']).where('kind', '=', 'dosing-alert-escalation').execute();
    expect(mails.map((m) => m.to_address)).toEqual([world.users.prescriber.email]);
    expect(mails[0]!.text_body).not.toMatch(/SpO2|88|Ada|Lovelace/);

    t.clock.advance(10 * MIN);
    // Two instances running the job at once still escalate once.
    const [a, b] = await Promise.all([runDosingJobsOnce(ctx), runDosingJobsOnce(createDosingContext(t.deps))]);
    expect(a.escalated + b.escalated).toBe(1);
    alerts = (await get('nurse', `/api/sessions/${s.id}/alerts`)).json<{ items: { id: string; escalationLevel: string }[] }>().items;
    expect(alerts.find((x) => x.id === alert.id)!.escalationLevel).toBe('admin');
  });

  it('"no reading for N minutes" raises one alert per silence', async () => {
    const { createDosingAppointment } = await import('../../../../test/helpers/dosing-world');
    const { runDosingJobsOnce } = await import('./vitals.service');
    const { createDosingContext } = await import('./dosing-context');
    const ctx = createDosingContext(t.deps);
    const appt = await createDosingAppointment(t.db, world.org.id, world.patientA.id, world.users.prescriber.id, world.chair, t.clock.now);
    const s = await openSession(appt);
    await send('nurse', 'PUT', `/api/sessions/${s.id}/check-in-facts`, readyFacts);
    await vitals('nurse', s.id, [{ at: iso(), hr: 76, sbp: 128, dbp: 82, spo2: 98, rr: 14 }]);
    expect((await send('prescriber', 'POST', `/api/sessions/${s.id}/transition`, { to: 'checked-in', reason: 'per plan' })).statusCode).toBe(200);
    const order = await send('nurse', 'POST', `/api/sessions/${s.id}/dose-orders`, { route: 'im', mgPerKg: 0.5 });
    const orderId = order.json<SessionView>().doseOrders.at(-1)!.id;
    await send('prescriber', 'POST', `/api/sessions/${s.id}/dose-orders/${orderId}/verify`);
    expect((await send('nurse', 'POST', `/api/sessions/${s.id}/transition`, { to: 'dosing' })).statusCode).toBe(200);
    await vitals('nurse', s.id, [{ at: iso(), hr: 76, sbp: 128, dbp: 82, spo2: 98, rr: 14 }]);

    t.clock.advance(defaultClinicProtocol.vitalAlerts.noReadingMinutes.value * MIN - 1000);
    const before = await runDosingJobsOnce(ctx);
    expect(before.gapAlerts).toBe(0);
    t.clock.advance(1000);
    const [x, y] = await Promise.all([runDosingJobsOnce(ctx), runDosingJobsOnce(createDosingContext(t.deps))]);
    expect(x.gapAlerts + y.gapAlerts).toBe(1);
    expect((await runDosingJobsOnce(ctx)).gapAlerts).toBe(0);
    const alerts = (await get('nurse', `/api/sessions/${s.id}/alerts`)).json<{ items: { rule: string; message: string }[] }>().items;
    expect(alerts.filter((a) => a.rule === 'no-reading')).toHaveLength(1);
    // A new reading, then silence again: a new gap alert.
    await vitals('nurse', s.id, [{ at: iso(), hr: 76 }]);
    t.clock.advance(defaultClinicProtocol.vitalAlerts.noReadingMinutes.value * MIN);
    expect((await runDosingJobsOnce(ctx)).gapAlerts).toBe(1);
  });
});

describe('access matrix', () => {
  let sessionA: string;
  beforeAll(async () => {
    const { createDosingAppointment } = await import('../../../../test/helpers/dosing-world');
    const appt = await createDosingAppointment(t.db, world.org.id, world.patientA.id, world.users.prescriber.id, world.chair, t.clock.now);
    sessionA = (await openSession(appt)).id;
  });

  const cases: [Who, number][] = [
    ['nurse', 200],
    ['prescriber', 200],
    ['therapistA', 200],
    ['therapistB', 403],
    ['frontDesk', 403],
    ['admin', 403],
    ['patientA', 403],
    ['foreignTherapist', 404],
    ['foreignAdmin', 404],
  ];
  for (const [who, status] of cases) {
    it(`${who}: GET session ${status}, vitals write ${status}`, async () => {
      expect((await get(who, `/api/sessions/${sessionA}`)).statusCode).toBe(status);
      expect((await get(who, `/api/sessions/${sessionA}/vitals`)).statusCode).toBe(status);
      expect((await get(who, `/api/sessions/${sessionA}/alerts`)).statusCode).toBe(status);
      const write = await vitals(who, sessionA, [{ at: iso(), hr: 70 }]);
      expect(write.statusCode).toBe(status);
    });
  }

  it('front desk is refused clinical data (and the refusal is audited); unknown session is 404', async () => {
    const before = await t.db.selectFrom('audit_events').select('seq').where('actor_user_id', '=', world.users.frontDesk.id).where('outcome', '=', 'denied').execute();
    expect((await get('frontDesk', `/api/sessions/${sessionA}`)).statusCode).toBe(403);
    await t.deps.audit.flush();
    const after = await t.db.selectFrom('audit_events').select('seq').where('actor_user_id', '=', world.users.frontDesk.id).where('outcome', '=', 'denied').execute();
    expect(after.length).toBe(before.length + 1);
    expect((await get('nurse', '/api/sessions/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('opening a session: front desk 403, other tenant’s appointment 404, patient 403', async () => {
    expect((await send('frontDesk', 'POST', '/api/sessions', { appointmentId: world.patientBAppointment })).statusCode).toBe(403);
    expect((await send('nurse', 'POST', '/api/sessions', { appointmentId: world.foreignAppointmentId })).statusCode).toBe(404);
    expect((await send('patientA', 'POST', '/api/sessions', { appointmentId: world.appointmentId })).statusCode).toBe(403);
    expect((await send('nurse', 'POST', '/api/sessions', { appointmentId: 'nope' })).statusCode).toBe(400);
  });

  it('the board shows only care-team patients, audits one row per patient shown, and refuses front desk', async () => {
    await t.deps.audit.flush();
    const startSeq = (await t.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0;
    const res = await get('nurse', '/api/board');
    expect(res.statusCode).toBe(200);
    const board = res.json<{ sessions: { patientId: string; roomName: string }[]; otherActiveSessions: number }>();
    const patients = new Set(board.sessions.map((r) => r.patientId));
    expect([...patients]).toEqual([world.patientA.id]);
    expect(board.otherActiveSessions).toBeGreaterThanOrEqual(1); // patient B's session (not on this nurse's team)
    await t.deps.audit.flush();
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['patient_id', 'action'])
      .where('seq', '>', Number(startSeq))
      .where('actor_user_id', '=', world.users.nurse.id)
      .where('action', '=', 'list')
      .execute();
    expect(rows.map((r) => r.patient_id)).toEqual([world.patientA.id]);
    expect((await get('frontDesk', '/api/board')).statusCode).toBe(403);
    expect((await get('admin', '/api/board')).statusCode).toBe(403);
    const therapistB = (await get('therapistB', '/api/board')).json<{ sessions: { patientId: string }[] }>();
    expect(therapistB.sessions.every((r) => r.patientId === world.patientB.id)).toBe(true);
  });
});

describe('clinic protocol storage', () => {
  it('defaults until an admin saves a revision; errors name the field; only admins change it', async () => {
    const current = await get('nurse', '/api/protocol');
    expect(current.json()).toMatchObject({ revision: 0, isDefault: true });
    const doc = structuredClone(defaultClinicProtocol);
    doc.routes.ivInfusion.dosing = { ...doc.routes.ivInfusion.dosing, mgPerKgMin: { value: 2, source: 'x' } } as typeof doc.routes.ivInfusion.dosing;
    const invalid = await send('admin', 'PUT', '/api/protocol', { document: doc });
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid).field).toBe('document.routes.ivInfusion.dosing.mgPerKgMin.value');
    const missing = await send('admin', 'PUT', '/api/protocol', { document: { ...defaultClinicProtocol, discharge: undefined } });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).field).toMatch(/^document\.discharge/);

    const good = structuredClone(defaultClinicProtocol);
    good.routes.ivInfusion.minObservationMinutes = { value: 60, source: 'Clinic medical director sign-off 2026-11' };
    expect((await send('nurse', 'PUT', '/api/protocol', { document: good })).statusCode).toBe(403);
    const saved = await send('admin', 'PUT', '/api/protocol', { document: good, changeNote: 'IV observation 60 min', baseRevision: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ revision: 1, isDefault: false, changeNote: 'IV observation 60 min' });
    const stale = await send('admin', 'PUT', '/api/protocol', { document: good, baseRevision: 0 });
    expect(stale.statusCode).toBe(409);
    const revisions = (await get('admin', '/api/protocol/revisions')).json<{ items: { revision: number }[] }>();
    expect(revisions.items.map((r) => r.revision)).toEqual([1]);
    expect((await get('patientA', '/api/protocol')).statusCode).toBe(403);
  });
});

describe('concurrent batches (group commit)', () => {
  it('the same key posted concurrently is stored once; a batch for an ended session fails alone', async () => {
    const { createDosingAppointment } = await import('../../../../test/helpers/dosing-world');
    const appt = await createDosingAppointment(t.db, world.org.id, world.patientA.id, world.users.prescriber.id, world.chair, t.clock.now);
    const live = await openSession(appt);
    const appt2 = await createDosingAppointment(t.db, world.org.id, world.patientA.id, world.users.prescriber.id, world.chair, t.clock.now);
    const ended = await openSession(appt2);
    expect((await send('nurse', 'POST', `/api/sessions/${ended.id}/transition`, { to: 'aborted', reason: 'Patient unwell on arrival' })).statusCode).toBe(200);

    await t.deps.audit.flush();
    const auditBefore = Number((await t.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
    const k = key();
    const readings = [{ at: iso(-5000), hr: 70 }, { at: iso(-4000), hr: 71 }];
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => vitals('nurse', live.id, readings, k)),
      vitals('nurse', ended.id, [{ at: iso(), hr: 70 }]),
      vitals('nurse', live.id, [{ at: iso(-3000), hr: 72 }]),
    ]);
    const same = results.slice(0, 5).map((r) => r.json<VitalsBatchResult>());
    expect(results.slice(0, 5).every((r) => r.statusCode === 200)).toBe(true);
    for (const r of same) expect(r.accepted).toEqual(same[0]!.accepted);
    expect(same.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results[5]!.statusCode).toBe(409);
    expect(results[6]!.statusCode).toBe(200);
    const stored = (await get('nurse', `/api/sessions/${live.id}/vitals`)).json<{ items: { seq: number }[]; eventSeq: number }>();
    expect(stored.items).toHaveLength(3);
    // Sequence numbers have no gaps: the stream can always resume.
    const seqs = stored.items.map((i) => i.seq).sort((a, b) => a - b);
    expect(seqs).toEqual([2, 3, 4]);
    expect(stored.eventSeq).toBe(4);

    // Each POST is audited once, with its outcome: on SQLite the allowed row is committed
    // with the batch itself (one commit), elsewhere after it; a refused batch is 'failed'.
    await t.deps.audit.flush();
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['outcome', 'detail', 'request_id'])
      .where('action', '=', 'write')
      .where('detail', 'like', '%"readings"%')
      .where('seq', '>', auditBefore)
      .execute();
    const bySession = (id: string) => rows.filter((r) => JSON.parse(r.detail!).sessionId === id);
    expect(bySession(live.id).map((r) => r.outcome)).toEqual(Array(6).fill('allowed'));
    expect(bySession(ended.id).map((r) => r.outcome)).toEqual(['failed']);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(7);
  });
});
