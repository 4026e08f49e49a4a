import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, type PDFArray } from 'pdf-lib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PHQ9_ITEM_TEXTS } from '../../../core/instruments/definitions/phq-9';
import { COMPLETE_HISTORY } from '../../../core/instruments/test-support/complete-history';
import { answersForTotal, fixtureCountInstrument } from '../../../core/instruments/test-support/fixture-instrument';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink';
import {
  addToCareTeam,
  createClinicWorld,
  createPatientRow,
  createTestApp,
  createUser,
  errorOf,
  signIn,
  type Session,
  type TestContext,
} from '../../../../test/helpers/test-app';
import { hasCurrentConsent } from '../consents/consents.service';
import { assertEligibleForDosing } from '../eligibility/dosing-eligibility';
import { AlertEscalationJob } from './alerts.service';

let t: TestContext;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
const sessions: Record<string, Session> = {};
let signedInAt = 0;

async function signInAll() {
  for (const [key, user] of Object.entries(world.users)) sessions[key] = await signIn(t.app, user.email);
  signedInAt = t.clock.now.getTime();
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://clinic.example' });
  world = await createClinicWorld(t.db);
  await signInAll();
});
// Tests move the clock past the session idle limit: sign in again when they have.
beforeEach(async () => {
  if (t.clock.now.getTime() - signedInAt > 10 * 60_000) await signInAll();
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

type Who = keyof typeof world.users;
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: sessions[who]!.headers });
const send = (who: Who, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: sessions[who]!.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

const PHQ_IDS = PHQ9_ITEM_TEXTS.map((_, i) => `phq9_${i + 1}`);
/** PHQ-9 answers with the given total and item 9 = 0 (fill items 1–8 first). */
const phqAnswers = (total: number) => ({ ...answersForTotal(PHQ_IDS.slice(0, 8), 3, total), phq9_9: 0 });

async function freshPatient(w: Awaited<ReturnType<typeof createClinicWorld>> = world) {
  const p = await createPatientRow(t.db, w.org.id, { given: 'Robin', family: `Test${Math.random().toString(36).slice(2, 7)}` });
  const user = await createUser(t.db, w.org.id, 'patient', { patientId: p.id });
  for (const u of [w.users.therapistA, w.users.prescriber, w.users.nurse]) await addToCareTeam(t.db, w.org.id, p.id, u.id);
  const session = await signIn(t.app, user.email);
  const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: session.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { ...p, user, session, as };
}

describe('questionnaires', () => {
  it('lists the bundled instruments as data: codes, items with ids, options with values; no C-SSRS or DAST-10', async () => {
    const res = await get('patientA', '/api/questionnaires');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; groups: { items: { id: string; options?: { value: unknown }[] }[] }[]; criticalItemIds: string[]; licence: string }[];
    const codes = items.map((q) => q.code);
    expect(codes).toEqual(expect.arrayContaining(['phq-9', 'gad-7', 'pcl-5', 'audit', 'audit-c', 'scoff', 'pgic', 'medical-history']));
    expect(codes.some((c) => /c-ssrs|cssrs|dast/i.test(c))).toBe(false);
    const phq = items.find((q) => q.code === 'phq-9')!;
    const first = phq.groups[0]!.items[0]!;
    expect(first.id).toBe('phq9_1');
    expect(first.options!.map((o) => o.value)).toEqual([0, 1, 2, 3]);
    expect(phq.criticalItemIds).toEqual(['phq9_9']);
    expect(items.find((q) => q.code === 'scoff')!.licence.toLowerCase()).toMatch(/unclear|not found|licen/);
  });

  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/questionnaires' })).statusCode).toBe(401);
  });
});

describe('responses and scoring through the API', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [24, 'severe'],
  ])('PHQ-9 total %i is %s', async (total, band) => {
    const res = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'phq-9', answers: phqAnswers(total), complete: true });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.score).toMatchObject({ status: 'scored', total, band });
    expect(body.alerts).toEqual([]);
    expect(body.crisisResources).toEqual([]);
  });

  it('scores 27 (every item 3, including item 9) as severe and raises an alert', async () => {
    const p = await freshPatient();
    const answers = Object.fromEntries(PHQ_IDS.map((id) => [id, 3]));
    const res = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers, complete: true });
    expect(res.json().score).toMatchObject({ total: 27, band: 'severe' });
    expect(res.json().alerts).toHaveLength(1);
  });

  it('GAD-7 and AUDIT-C score through the same path', async () => {
    const gad = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`gad7_${i + 1}`, i < 5 ? 2 : 0]));
    const res = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'gad-7', answers: gad, complete: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().score).toMatchObject({ total: 10, band: 'moderate' });
  });

  it('refuses bad answers with a 400 naming the item, and saves nothing', async () => {
    const p = await freshPatient();
    const url = `/api/patients/${p.id}/responses`;
    const bad = await p.as('POST', url, { instrument: 'phq-9', answers: { ...phqAnswers(5), phq9_3: 7 }, complete: true });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'validation', field: 'answers.phq9_3' });
    expect(errorOf(bad).message).toContain('phq9_3');

    const unknown = await p.as('POST', url, { instrument: 'phq-9', answers: { phq9_10: 1 }, complete: false });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).field).toBe('answers.phq9_10');

    const wrongType = await p.as('POST', url, { instrument: 'phq-9', answers: { phq9_1: 'often' }, complete: false });
    expect(errorOf(wrongType).field).toBe('answers.phq9_1');

    const answers: Record<string, number> = phqAnswers(5);
    delete answers.phq9_4;
    const skipped = await p.as('POST', url, { instrument: 'phq-9', answers, complete: true });
    expect(skipped.statusCode).toBe(400);
    expect(errorOf(skipped)).toMatchObject({ code: 'validation', field: 'answers.phq9_4' });

    const outOfRange = await p.as('POST', url, { instrument: 'medical-history', answers: { ...COMPLETE_HISTORY, hx_height_cm: 400 }, complete: true });
    expect(outOfRange.statusCode).toBe(400);
    expect(errorOf(outOfRange).field).toBe('answers.hx_height_cm');

    const unknownInstrument = await p.as('POST', url, { instrument: 'c-ssrs', answers: {}, complete: false });
    expect(errorOf(unknownInstrument)).toMatchObject({ code: 'validation', field: 'instrument' });

    const rows = await t.db.selectFrom('questionnaire_responses').select('id').where('patient_id', '=', p.id).execute();
    expect(rows).toEqual([]);
  });

  it('saves progress, resumes on another device, and submits the same response; answers are encrypted at rest', async () => {
    const p = await freshPatient();
    const url = `/api/patients/${p.id}/responses`;
    const part = await p.as('POST', url, { instrument: 'phq-9', answers: { phq9_1: 1, phq9_2: 2 }, complete: false });
    expect(part.statusCode).toBe(200);
    expect(part.json()).toMatchObject({ status: 'in_progress', score: { status: 'incomplete', total: null } });

    // "another device": a second sign-in
    const other = await signIn(t.app, p.user.email);
    const drafts = await t.app.inject({ method: 'GET', url: `${url}?status=in_progress&instrument=phq-9`, headers: other.headers });
    expect(drafts.statusCode).toBe(200);
    expect(drafts.json().items).toHaveLength(1);
    expect(drafts.json().items[0]).toMatchObject({ id: part.json().id, answers: { phq9_1: 1, phq9_2: 2 }, version: '1.0.0' });

    const rest = { phq9_3: 0, phq9_4: 1, phq9_5: 0, phq9_6: 0, phq9_7: 1, phq9_8: 0, phq9_9: 0 };
    const done = await t.app.inject({ method: 'POST', url, headers: other.headers, payload: { instrument: 'phq-9', answers: rest, complete: true } });
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({ id: part.json().id, status: 'submitted', score: { total: 5, band: 'mild' } });

    const stored = await t.db.selectFrom('questionnaire_responses').selectAll().where('id', '=', part.json().id).executeTakeFirstOrThrow();
    expect(stored.answers_enc).not.toContain('phq9_1');
    expect(stored.instrument_version).toBe('1.0.0');
    expect(stored.definition_id).toBeTruthy();

    // A submitted response is not reopened: continuing it by id is a conflict.
    const again = await p.as('POST', url, { instrument: 'phq-9', answers: { phq9_1: 0 }, complete: false, responseId: part.json().id });
    expect(again.statusCode).toBe(409);

    const scores = await get('therapistA', `/api/patients/${p.id}/scores`);
    expect(scores.statusCode).toBe(200);
    expect(scores.json().items).toEqual([expect.objectContaining({ instrument: 'phq-9', total: 5, band: 'mild', bandLabel: 'Mild' })]);
  });

  it('two devices saving at once continue one draft (no duplicate drafts, no lost answers)', async () => {
    const p = await freshPatient();
    const url = `/api/patients/${p.id}/responses`;
    const saves = await Promise.all(
      PHQ_IDS.map((id) => p.as('POST', url, { instrument: 'phq-9', answers: { [id]: 1 }, complete: false })),
    );
    expect(saves.map((r) => r.statusCode)).toEqual(PHQ_IDS.map(() => 200));
    expect(new Set(saves.map((r) => r.json().id)).size).toBe(1);
    const drafts = await p.as('GET', `${url}?status=in_progress`);
    expect(drafts.json().items).toHaveLength(1);
    expect(Object.keys(drafts.json().items[0].answers).sort()).toEqual([...PHQ_IDS].sort());
    // item 9 = 1 was among them: exactly one alert.
    expect(await t.db.selectFrom('safety_alerts').select('id').where('patient_id', '=', p.id).execute()).toHaveLength(1);
  });

  it('a patient always enters as "portal", whatever they claim', async () => {
    const p = await freshPatient();
    await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'pgic', answers: { pgic_1: 2 }, complete: false, entryMode: 'paper' });
    const row = await t.db.selectFrom('questionnaire_responses').select('entry_mode').where('patient_id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.entry_mode).toBe('portal');
  });

  it('reports response and remission against the baseline', async () => {
    const p = await freshPatient();
    const url = `/api/patients/${p.id}/responses`;
    await p.as('POST', url, { instrument: 'phq-9', answers: phqAnswers(18), complete: true });
    t.clock.advance(60_000);
    await p.as('POST', url, { instrument: 'phq-9', answers: phqAnswers(4), complete: true });
    const res = await p.as('GET', `/api/patients/${p.id}/scores`);
    expect(res.json().outcomes).toEqual([expect.objectContaining({ instrument: 'phq-9', baseline: 18, current: 4, response: true, remission: true })]);
  });

  it('AUDIT: the "step up one zone" rule shows as the adjusted band', async () => {
    const p = await freshPatient();
    // total 10 (zone II); item 9 = 4 (injury in the last year) steps up to zone III.
    const answers = { audit_1: 2, audit_2: 1, audit_3: 1, audit_4: 0, audit_5: 0, audit_6: 0, audit_7: 1, audit_8: 1, audit_9: 4, audit_10: 0 };
    const res = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'audit', answers, complete: true });
    expect(res.json().score).toMatchObject({ total: 10, band: 'zone-2', adjustedBand: 'zone-3' });
    const scores = await get('therapistA', `/api/patients/${p.id}/scores`);
    expect(scores.json().items[0]).toMatchObject({ instrument: 'audit', band: 'zone-2', adjustedBand: 'zone-3' });
  });

  it('staff enter a paper response; the entry mode and date are kept', async () => {
    const res = await send('therapistA', 'POST', `/api/patients/${world.patientA.id}/responses`, {
      instrument: 'gad-7',
      answers: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`gad7_${i + 1}`, 1])),
      complete: true,
      entryMode: 'paper',
      administeredOn: '2026-11-20',
    });
    expect(res.statusCode).toBe(201);
    const list = await get('therapistA', `/api/patients/${world.patientA.id}/responses?instrument=gad-7`);
    expect(list.json().items.find((r: { id: string }) => r.id === res.json().id)).toMatchObject({ entryMode: 'paper', administeredOn: '2026-11-20' });
    const future = await send('therapistA', 'POST', `/api/patients/${world.patientA.id}/responses`, {
      instrument: 'pgic',
      answers: {},
      complete: false,
      entryMode: 'paper',
      administeredOn: '2030-01-01',
    });
    expect(errorOf(future).field).toBe('administeredOn');
  });

  it('access: front desk and admins never see or write clinical content; other care teams 403; other tenants 404', async () => {
    const a = world.patientA.id;
    const cases: [Who, string, number][] = [
      ['patientA', a, 200],
      ['therapistA', a, 200],
      ['prescriber', a, 200],
      ['nurse', a, 200],
      ['therapistB', a, 403],
      ['frontDesk', a, 403],
      ['admin', a, 403],
      ['patientA', world.patientB.id, 403],
      ['therapistA', world.foreignPatient.id, 404],
      ['foreignTherapist', a, 404],
    ];
    for (const [who, patient, status] of cases) {
      for (const path of ['scores', 'responses', 'eligibility', 'consents', 'goals']) {
        const res = await get(who, `/api/patients/${patient}/${path}`);
        expect(`${who} GET ${path} → ${res.statusCode}`).toBe(`${who} GET ${path} → ${status}`);
      }
      const write = await send(who, 'POST', `/api/patients/${patient}/responses`, { instrument: 'pgic', answers: {}, complete: false });
      expect(`${who} POST responses → ${write.statusCode}`).toBe(`${who} POST responses → ${status}`);
    }
    // The review screen is for clinicians.
    expect((await get('therapistA', `/api/patients/${a}/review`)).statusCode).toBe(200);
    expect((await get('frontDesk', `/api/patients/${a}/review`)).statusCode).toBe(403);
    expect((await get('patientA', `/api/patients/${a}/review`)).statusCode).toBe(403);
    expect((await get('foreignTherapist', `/api/patients/${a}/review`)).statusCode).toBe(404);
  });

  it('audits every clinical read, including denials', async () => {
    await get('frontDesk', `/api/patients/${world.patientA.id}/scores`);
    await t.deps.audit.flush();
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['outcome', 'resource', 'actor_user_id'])
      .where('patient_id', '=', world.patientA.id)
      .where('resource', '=', 'patient.clinical')
      .execute();
    expect(rows.some((r) => r.outcome === 'denied' && r.actor_user_id === world.users.frontDesk.id)).toBe(true);
    expect(rows.some((r) => r.outcome === 'allowed' && r.actor_user_id === world.users.therapistA.id)).toBe(true);
  });
});

describe('safety alerts', () => {
  it('PHQ-9 item 9 above 0 (even in a partial save) raises one high-priority alert, shows crisis resources, and e-mails the care team without clinical detail', async () => {
    const p = await freshPatient();
    await t.deps.outbox.runOnce();
    sink.received.length = 0;
    const url = `/api/patients/${p.id}/responses`;
    const res = await p.as('POST', url, { instrument: 'phq-9', answers: { phq9_9: 1 }, complete: false });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.alerts).toEqual([expect.objectContaining({ priority: 'high', instrument: 'phq-9', itemId: 'phq9_9', status: 'open' })]);
    const resources = body.crisisResources.map((r: { name: string; href: string }) => `${r.name} ${r.href}`).join(' | ');
    expect(resources).toContain('988');
    expect(resources).toContain('911');
    expect(body.crisisMessage).toBeTruthy();

    // Completing the same response does not raise a second alert.
    const done = await p.as('POST', url, { instrument: 'phq-9', answers: { ...phqAnswers(6), phq9_9: 1 }, complete: true });
    expect(done.json().alerts).toHaveLength(1);
    expect(done.json().crisisResources.length).toBeGreaterThan(0);
    const rows = await t.db.selectFrom('safety_alerts').selectAll().where('patient_id', '=', p.id).execute();
    expect(rows).toHaveLength(1);

    await t.deps.outbox.runOnce();
    const recipients = sink.received.flatMap((m) => m.to).sort();
    const team = [world.users.therapistA.email, world.users.prescriber.email, world.users.nurse.email].sort();
    expect(recipients).toEqual(team);
    for (const mail of sink.received) {
      expect(mail.raw.replace(/=\r?\n/g, '')).toContain('https://clinic.example/staff/alerts');
      for (const forbidden of ['PHQ', 'phq', 'item 9', 'better off dead', 'Robin', p.family, 'suicid', 'self-harm']) expect(mail.raw).not.toContain(forbidden);
    }
  });

  it('is listed for the care team with detail; not for another care team; front desk and patients are refused', async () => {
    const p = await freshPatient();
    await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: { phq9_9: 2 }, complete: false });
    const mine = await get('therapistA', `/api/alerts?patientId=${p.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ view: 'care_team' });
    expect(mine.json().items).toEqual([
      expect.objectContaining({ patientId: p.id, status: 'open', instrument: expect.stringContaining('PHQ-9'), itemId: 'phq9_9', answerLabel: 'More than half the days' }),
    ]);
    const others = await get('therapistB', `/api/alerts?patientId=${p.id}`);
    expect(others.json().items).toEqual([]);
    expect((await get('frontDesk', '/api/alerts')).statusCode).toBe(403);
    expect((await get('patientA', '/api/alerts')).statusCode).toBe(403);
  });

  it('stays open until a clinician on the care team acknowledges it with the follow-up taken', async () => {
    const p = await freshPatient();
    const raised = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: { phq9_9: 1 }, complete: false });
    const alertId = raised.json().alerts[0].id as string;
    const ack = (who: Who, followUp: string) => send(who, 'POST', `/api/alerts/${alertId}/acknowledge`, { followUp });
    expect((await ack('frontDesk', 'Called the patient at home.')).statusCode).toBe(403);
    expect((await ack('admin', 'Called the patient at home.')).statusCode).toBe(403);
    expect((await ack('therapistB', 'Called the patient at home.')).statusCode).toBe(403);
    expect((await ack('foreignTherapist', 'Called the patient at home.')).statusCode).toBe(404);
    const patientAck = await p.as('POST', `/api/alerts/${alertId}/acknowledge`, { followUp: 'I am fine, really fine.' });
    expect(patientAck.statusCode).toBe(403);
    const short = await ack('therapistA', 'ok');
    expect(short.statusCode).toBe(400);
    expect(errorOf(short).field).toBe('followUp');
    expect((await get('therapistA', `/api/alerts?patientId=${p.id}`)).json().items).toHaveLength(1);

    const ok = await ack('therapistA', 'Phoned the patient; safety plan reviewed, no intent. Session booked tomorrow.');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'acknowledged', acknowledgedByName: expect.any(String), followUp: expect.stringContaining('safety plan') });
    expect((await ack('prescriber', 'Second acknowledgement attempt.')).statusCode).toBe(409);
    expect((await get('therapistA', `/api/alerts?patientId=${p.id}`)).json().items).toEqual([]);
    const all = await get('therapistA', `/api/alerts?patientId=${p.id}&status=all`);
    expect(all.json().items[0]).toMatchObject({ status: 'acknowledged' });
    const row = await t.db.selectFrom('safety_alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(row.follow_up_enc).not.toContain('safety plan');
  });

  it('escalates an unacknowledged alert to the clinic admin after the configured time, exactly once across instances', async () => {
    // A clinic of its own, so no other test's open alerts escalate here.
    const w = await createClinicWorld(t.db);
    const adminOf = () => signIn(t.app, w.users.admin.email);
    const p = await freshPatient(w);
    const raised = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: { phq9_9: 3 }, complete: false });
    const alertId = raised.json().alerts[0].id as string;
    const settings = await t.app.inject({ method: 'PATCH', url: '/api/intake/settings', headers: (await adminOf()).headers, payload: { alertEscalationMinutes: 45 } });
    expect(settings.statusCode).toBe(200);
    expect(settings.json().alertEscalationMinutes).toBe(45);
    await t.deps.outbox.runOnce();
    sink.received.length = 0;
    const a = new AlertEscalationJob(t.deps);
    const b = new AlertEscalationJob(t.deps);

    t.clock.advance(44 * 60_000);
    await a.runOnce();
    expect((await t.db.selectFrom('safety_alerts').select('escalated_at').where('id', '=', alertId).executeTakeFirstOrThrow()).escalated_at).toBeNull();
    t.clock.advance(2 * 60_000);
    await Promise.all([a.runOnce(), b.runOnce()]);
    const row = await t.db.selectFrom('safety_alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(row.escalated_at).toBe(t.clock.now.toISOString());
    await Promise.all([a.runOnce(), b.runOnce()]);

    await t.deps.outbox.runOnce();
    const toAdmin = sink.received.filter((m) => m.to.includes(w.users.admin.email));
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]!.raw.replace(/=\r?\n/g, '')).toContain('https://clinic.example/staff/alerts');
    expect(toAdmin[0]!.raw).not.toMatch(/PHQ|Robin|item|better off dead/);

    const adminView = await t.app.inject({ method: 'GET', url: '/api/alerts', headers: (await adminOf()).headers });
    expect(adminView.json().view).toBe('escalations');
    expect(adminView.json().items).toHaveLength(1);
    const mine = adminView.json().items[0];
    expect(mine).toMatchObject({ id: alertId, patientId: p.id, escalatedAt: row.escalated_at });
    expect(mine.instrument).toBeUndefined();
    expect(mine.itemText).toBeUndefined();
    expect(mine.followUp).toBeUndefined();
  });

  it('does not escalate an alert acknowledged in time', async () => {
    const w = await createClinicWorld(t.db);
    const p = await freshPatient(w);
    const raised = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: { phq9_9: 1 }, complete: false });
    const alertId = raised.json().alerts[0].id as string;
    const nurse = await signIn(t.app, w.users.nurse.email);
    t.clock.advance(10 * 60_000);
    const ack = await t.app.inject({ method: 'POST', url: `/api/alerts/${alertId}/acknowledge`, headers: nurse.headers, payload: { followUp: 'Spoke with patient, safe, plan documented.' } });
    expect(ack.statusCode).toBe(200);
    t.clock.advance(120 * 60_000);
    await new AlertEscalationJob(t.deps).runOnce();
    const row = await t.db.selectFrom('safety_alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(row.escalated_at).toBeNull();
  });
});

describe('instrument import', () => {
  it('lets only admins import; validates with field-named errors; versions; responses keep their version; critical items raise alerts', async () => {
    const fixture = fixtureCountInstrument();
    expect((await send('therapistA', 'POST', '/api/questionnaires', { definition: fixture })).statusCode).toBe(403);

    const gap = fixtureCountInstrument();
    gap.bands![1]!.min = 3;
    const badBands = await send('admin', 'POST', '/api/questionnaires', { definition: gap });
    expect(badBands.statusCode).toBe(400);
    expect(errorOf(badBands).field).toBe('definition.bands[1].min');

    const noOptions = fixtureCountInstrument() as unknown as { groups: { items: { options: unknown[] }[] }[] };
    noOptions.groups[0]!.items[0]!.options = [];
    const structural = await send('admin', 'POST', '/api/questionnaires', { definition: noOptions });
    expect(errorOf(structural).field).toBe('definition.groups[0].items[0].options');

    const notAnObject = await send('admin', 'POST', '/api/questionnaires', { definition: 'C-SSRS' });
    expect(notAnObject.statusCode).toBe(400);
    expect(errorOf(notAnObject).field).toMatch(/^definition/);

    const bundledCode = await send('admin', 'POST', '/api/questionnaires', { definition: { ...fixtureCountInstrument(), code: 'phq-9' } });
    expect(bundledCode.statusCode).toBe(409);
    expect(errorOf(bundledCode).field).toBe('definition.code');

    const ok = await send('admin', 'POST', '/api/questionnaires', { definition: fixture });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'test-weather-check', version: '2.1.0', imported: true });
    expect((await send('admin', 'POST', '/api/questionnaires', { definition: fixture })).statusCode).toBe(409);

    const list = await get('patientA', '/api/questionnaires');
    expect(list.json().items.map((q: { code: string }) => q.code)).toContain('test-weather-check');
    // Another tenant does not see it.
    const foreign = await get('foreignTherapist', '/api/questionnaires');
    expect(foreign.json().items.map((q: { code: string }) => q.code)).not.toContain('test-weather-check');

    const p = await freshPatient();
    const answered = await p.as('POST', `/api/patients/${p.id}/responses`, {
      instrument: 'test-weather-check',
      answers: { w1: 'yes', w2: 'yes', w3: 'yes', w4: 'no' },
      complete: true,
    });
    expect(answered.statusCode).toBe(201);
    expect(answered.json()).toMatchObject({ version: '2.1.0', score: { total: 4, band: 'stormy' } });
    expect(answered.json().alerts).toEqual([expect.objectContaining({ itemId: 'w3' })]);

    const v3 = await send('admin', 'POST', '/api/questionnaires', { definition: { ...fixtureCountInstrument(), version: '3.0.0', title: 'Weather check v3' } });
    expect(v3.statusCode).toBe(201);
    const imported = await get('admin', '/api/questionnaires/imported');
    expect(imported.json().items.filter((i: { code: string }) => i.code === 'test-weather-check').map((i: { version: string; active: boolean }) => [i.version, i.active])).toEqual(
      expect.arrayContaining([
        ['3.0.0', true],
        ['2.1.0', false],
      ]),
    );
    const responses = await p.as('GET', `/api/patients/${p.id}/responses?instrument=test-weather-check`);
    expect(responses.json().items[0]).toMatchObject({ version: '2.1.0', instrumentTitle: 'Weather check (test fixture)' });
  });
});

describe('eligibility', () => {
  async function withHistory(overrides: Record<string, unknown> = {}) {
    const p = await freshPatient();
    const res = await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'medical-history', answers: { ...COMPLETE_HISTORY, ...overrides }, complete: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().score.status).toBe('complete');
    return p;
  }
  const decide = (who: Who, patientId: string, body: Record<string, unknown>) => send(who, 'POST', `/api/patients/${patientId}/eligibility`, body);

  it('only prescribers sign; the decision gates dosing; a new decision supersedes the previous one', async () => {
    const p = await withHistory();
    await expect(assertEligibleForDosing(t.db, p.id)).rejects.toMatchObject({ code: 'conflict', options: { field: 'patientId' } });
    for (const who of ['therapistA', 'nurse', 'frontDesk', 'admin'] as Who[]) {
      expect((await decide(who, p.id, { decision: 'eligible', rationale: 'Looks fine to me overall.' })).statusCode).toBe(403);
    }
    expect((await p.as('POST', `/api/patients/${p.id}/eligibility`, { decision: 'eligible', rationale: 'I think I am eligible.' })).statusCode).toBe(403);
    expect((await decide('prescriber', world.foreignPatient.id, { decision: 'eligible', rationale: 'Looks fine to me overall.' })).statusCode).toBe(404);

    const signed = await decide('prescriber', p.id, {
      decision: 'eligible',
      rationale: 'History unremarkable; PHQ-9 moderate; no contraindications.',
      conditions: 'Check BP before each session.',
    });
    expect(signed.statusCode).toBe(201);
    expect(signed.json()).toMatchObject({ decision: 'eligible', overriddenRuleIds: [], conditions: 'Check BP before each session.', contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(assertEligibleForDosing(t.db, p.id)).resolves.toBeUndefined();
    t.clock.advance(60_000);

    const row = await t.db.selectFrom('eligibility_decisions').selectAll().where('id', '=', signed.json().id).executeTakeFirstOrThrow();
    expect(row.rationale_enc).not.toContain('unremarkable');

    const later = await decide('prescriber', p.id, { decision: 'needs_more_information', rationale: 'New cardiac history reported; need cardiology letter.' });
    expect(later.statusCode).toBe(201);
    await expect(assertEligibleForDosing(t.db, p.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('needs more information') });
    const view = await get('therapistA', `/api/patients/${p.id}/eligibility`);
    expect(view.json().current).toMatchObject({ decision: 'needs_more_information', allowsDosing: false });
    expect(view.json().decisions.map((d: { decision: string; supersededById: string | null }) => [d.decision, d.supersededById])).toEqual([
      ['needs_more_information', null],
      ['eligible', later.json().id],
    ]);
  });

  it('is immutable: no edit route, addenda add without changing the decision', async () => {
    const p = await withHistory();
    const signed = await decide('prescriber', p.id, { decision: 'eligible', rationale: 'All clear after review of history.' });
    const id = signed.json().id as string;
    const before = await t.db.selectFrom('eligibility_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await send('prescriber', method, `/api/patients/${p.id}/eligibility/${id}`, { decision: 'not_eligible' })).statusCode).toBe(404);
    }
    const add = await send('therapistA', 'POST', `/api/patients/${p.id}/eligibility/${id}/addenda`, { text: 'Patient confirmed escort for every session.' });
    expect(add.statusCode).toBe(201);
    expect(add.json().addenda).toEqual([expect.objectContaining({ text: 'Patient confirmed escort for every session.' })]);
    expect((await send('frontDesk', 'POST', `/api/patients/${p.id}/eligibility/${id}/addenda`, { text: 'Front desk note here.' })).statusCode).toBe(403);
    const after = await t.db.selectFrom('eligibility_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const view = await get('prescriber', `/api/patients/${p.id}/eligibility`);
    expect(view.json().decisions[0]).toMatchObject({ id, rationale: 'All clear after review of history.', addenda: [expect.objectContaining({ text: expect.stringContaining('escort') })] });
  });

  it('needs a written reason to override an absolute flag, keeps it and shows it on the chart', async () => {
    const p = await withHistory({ hx_aneurysm: 'yes' });
    const view = await get('prescriber', `/api/patients/${p.id}/eligibility`);
    expect(view.json().contraindications.flags).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'aneurysmal-vascular-disease', level: 'absolute', source: expect.objectContaining({ citation: expect.any(String) }) })]),
    );
    expect(view.json().overrideRequiredFor).toEqual(['aneurysmal-vascular-disease']);

    const noReason = await decide('prescriber', p.id, { decision: 'eligible', rationale: 'Benefits outweigh risks in this case.' });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).field).toBe('overrideReason');
    expect(await t.db.selectFrom('eligibility_decisions').select('id').where('patient_id', '=', p.id).execute()).toEqual([]);

    // Not eligible needs no override.
    expect((await decide('prescriber', p.id, { decision: 'not_eligible', rationale: 'Aneurysm: label contraindication.' })).statusCode).toBe(201);

    const overridden = await decide('prescriber', p.id, {
      decision: 'eligible',
      rationale: 'Benefits outweigh risks in this case.',
      overrideReason: 'Small aneurysm repaired 2019; vascular surgeon letter on file clears treatment.',
    });
    expect(overridden.statusCode).toBe(201);
    expect(overridden.json()).toMatchObject({ overriddenRuleIds: ['aneurysmal-vascular-disease'], overrideReason: expect.stringContaining('vascular surgeon') });
    const review = await get('therapistA', `/api/patients/${p.id}/review`);
    expect(review.statusCode).toBe(200);
    expect(review.json().eligibility.decisions[0]).toMatchObject({ overriddenRuleIds: ['aneurysmal-vascular-disease'] });
    await t.deps.audit.flush();
    const audit = await t.db.selectFrom('audit_events').select(['action', 'detail']).where('patient_id', '=', p.id).where('action', '=', 'override_absolute_flag').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).not.toContain('vascular surgeon');
  });

  it('treats missing history as undetermined, never as "no contraindication"', async () => {
    const p = await freshPatient();
    const view = await get('prescriber', `/api/patients/${p.id}/eligibility`);
    expect(view.json().contraindications.flags).toEqual([]);
    expect(view.json().contraindications.undetermined.map((u: { ruleId: string }) => u.ruleId)).toContain('aneurysmal-vascular-disease');
    const res = await decide('prescriber', p.id, { decision: 'eligible', rationale: 'Not yet reviewed but eager to start.' });
    expect(errorOf(res).field).toBe('overrideReason');
  });

  it('the review screen shows history, scores with bands, flags and open alerts side by side', async () => {
    const p = await withHistory({ hx_pregnant: 'yes' });
    await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: { ...phqAnswers(12), phq9_9: 1 }, complete: true });
    const review = await get('prescriber', `/api/patients/${p.id}/review`);
    const body = review.json();
    expect(body.history.sections.find((s: { id: string }) => s.id === 'pregnancy').answers[0]).toMatchObject({ itemId: 'hx_pregnant', answer: 'Yes' });
    expect(body.latestScores).toEqual([expect.objectContaining({ instrument: 'phq-9', total: 13, band: 'moderate' })]);
    expect(body.eligibility.contraindications.flags.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(['pregnancy', 'phq9-item9-positive']));
    expect(body.openAlerts).toHaveLength(1);
  });

  it('the decision\'s own validUntil ends eligibility', async () => {
    const p = await withHistory();
    const validUntil = new Date(t.clock.now.getTime() + 86_400_000).toISOString();
    const past = await decide('prescriber', p.id, { decision: 'eligible', rationale: 'All clear after review of history.', validUntil: t.clock.now.toISOString() });
    expect(errorOf(past).field).toBe('validUntil');
    expect((await decide('prescriber', p.id, { decision: 'eligible', rationale: 'All clear after review of history.', validUntil })).statusCode).toBe(201);
    await expect(assertEligibleForDosing(t.db, p.id, { now: t.clock.now })).resolves.toBeUndefined();
    await expect(assertEligibleForDosing(t.db, p.id, { now: new Date(t.clock.now.getTime() + 2 * 86_400_000) })).rejects.toMatchObject({
      code: 'conflict',
      options: { field: 'patientId' },
    });
    const view = await get('prescriber', `/api/patients/${p.id}/eligibility`);
    expect(view.json().current).toMatchObject({ decision: 'eligible', expiresAt: validUntil, expired: false, allowsDosing: true });
  });

  it('an expiry from the clinic setting ends eligibility', async () => {
    const org = world.org.id;
    const p = await withHistory();
    await decide('prescriber', p.id, { decision: 'eligible', rationale: 'All clear after review of history.' });
    await send('admin', 'PATCH', '/api/intake/settings', { eligibilityValidDays: 90 });
    await expect(assertEligibleForDosing(t.db, p.id, { now: new Date(t.clock.now.getTime() + 89 * 86_400_000) })).resolves.toBeUndefined();
    await expect(assertEligibleForDosing(t.db, p.id, { now: new Date(t.clock.now.getTime() + 91 * 86_400_000) })).rejects.toMatchObject({
      message: expect.stringContaining('expired'),
    });
    await send('admin', 'PATCH', '/api/intake/settings', { eligibilityValidDays: null });
    expect(org).toBeTruthy();
  });
});

describe('consent', () => {
  it('the patient signs the current version; hash, time, address and a PDF are kept; a new version asks for re-consent', async () => {
    const p = await freshPatient();
    const status = await p.as('GET', `/api/patients/${p.id}/consents`);
    expect(status.statusCode).toBe(200);
    const kap = status.json().items.find((i: { kind: string }) => i.kind === 'kap_treatment');
    expect(kap).toMatchObject({ needsSignature: true, signedCurrent: false });
    expect(kap.current.body).toContain('TEMPLATE');
    expect(await hasCurrentConsent(t.db, p.id, 'kap_treatment')).toBe(false);

    const url = `/api/patients/${p.id}/consents`;
    const byTherapist = await send('therapistA', 'POST', url, { documentId: kap.current.id, typedName: `Robin ${p.family}`, agree: true });
    expect(byTherapist.statusCode).toBe(403);
    const wrongName = await p.as('POST', url, { documentId: kap.current.id, typedName: 'Someone Else', agree: true });
    expect(wrongName.statusCode).toBe(400);
    expect(errorOf(wrongName).field).toBe('typedName');
    const noAgree = await p.as('POST', url, { documentId: kap.current.id, typedName: `Robin ${p.family}`, agree: false });
    expect(errorOf(noAgree).field).toBe('agree');

    const signed = await p.as('POST', url, { documentId: kap.current.id, typedName: `  robin   ${p.family} `, agree: true, textSha256: kap.current.textSha256 });
    expect(signed.statusCode).toBe(201);
    const expectedHash = createHash('sha256').update(kap.current.body, 'utf8').digest('hex');
    expect(signed.json()).toMatchObject({ kind: 'kap_treatment', version: 1, textSha256: expectedHash, ip: '127.0.0.1', signedAt: t.clock.now.toISOString() });
    expect(await hasCurrentConsent(t.db, p.id, 'kap_treatment')).toBe(true);
    expect((await p.as('POST', url, { documentId: kap.current.id, typedName: `Robin ${p.family}`, agree: true })).statusCode).toBe(409);

    // The PDF: download, parse back, find the hash and the typed name.
    const pdfRes = await p.as('GET', signed.json().pdfUrl);
    expect(pdfRes.statusCode).toBe(200);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    const doc = await PDFDocument.load(pdfRes.rawPayload);
    expect(doc.getSubject()).toContain(expectedHash);
    expect(doc.getTitle()).toContain('version 1');
    const text = doc
      .getPages()
      .map((page) => {
        const contents = page.node.Contents();
        const streams = contents instanceof PDFRawStream ? [contents] : ((contents as PDFArray | undefined)?.asArray() ?? []).map((r) => doc.context.lookup(r) as PDFRawStream);
        return streams
          .map((s) => {
            const raw = Buffer.from(s.getContents());
            const filter = s.dict.get(PDFName.of('Filter'));
            const decoded = filter ? inflateSync(raw).toString('latin1') : raw.toString('latin1');
            return [...decoded.matchAll(/<([0-9A-Fa-f]+)> Tj/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join('\n');
          })
          .join('\n');
      })
      .join('\n');
    expect(text).toContain(expectedHash);
    expect(text).toContain(`robin ${p.family}`);
    expect(text).toContain('Informed consent for ketamine-assisted psychotherapy');
    expect(text).toContain('127.0.0.1');
    expect((await get('frontDesk', signed.json().pdfUrl)).statusCode).toBe(403);
    expect((await get('therapistB', signed.json().pdfUrl)).statusCode).toBe(403);
    expect((await get('therapistA', signed.json().pdfUrl)).statusCode).toBe(200);

    // Admin publishes version 2: the patient must re-consent.
    expect((await send('therapistA', 'POST', '/api/consent-documents', { kind: 'kap_treatment', title: 'x', body: 'y'.repeat(30) })).statusCode).toBe(403);
    const draft = await send('admin', 'POST', '/api/consent-documents', { kind: 'kap_treatment', title: 'Informed consent for KAP (2027)', body: `${kap.current.body}\n\n7. New section on fees.` });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({ version: 2, status: 'draft' });
    expect(await hasCurrentConsent(t.db, p.id, 'kap_treatment')).toBe(true);
    const edited = await send('admin', 'PATCH', `/api/consent-documents/${draft.json().id}`, { body: `${kap.current.body}\n\n7. New section on fees and cancellations.` });
    expect(edited.statusCode).toBe(200);
    const published = await send('admin', 'POST', `/api/consent-documents/${draft.json().id}/publish`);
    expect(published.statusCode).toBe(200);
    expect((await send('admin', 'PATCH', `/api/consent-documents/${draft.json().id}`, { title: 'Changed after publish' })).statusCode).toBe(409);
    expect(await hasCurrentConsent(t.db, p.id, 'kap_treatment')).toBe(false);
    const after = (await p.as('GET', url)).json().items.find((i: { kind: string }) => i.kind === 'kap_treatment');
    expect(after).toMatchObject({ needsSignature: true, signedCurrent: false, latestSignature: { version: 1 }, current: { version: 2 } });
    const stale = await p.as('POST', url, { documentId: kap.current.id, typedName: `Robin ${p.family}`, agree: true });
    expect(stale.statusCode).toBe(409);
    expect((await p.as('POST', url, { documentId: after.current.id, typedName: `Robin ${p.family}`, agree: true })).statusCode).toBe(201);
    expect(await hasCurrentConsent(t.db, p.id, 'kap_treatment')).toBe(true);

    const docs = await get('admin', '/api/consent-documents?kind=kap_treatment');
    expect(docs.json().items.map((d: { version: number; status: string }) => [d.version, d.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    expect((await p.as('GET', '/api/consent-documents?kind=kap_treatment')).json().items).toHaveLength(1);
  });
});

describe('goals', () => {
  it('patient and clinician set specific goals, optionally tied to a measure target, and update them', async () => {
    const p = await freshPatient();
    const url = `/api/patients/${p.id}/goals`;
    const created = await p.as('POST', url, {
      kind: 'symptom_reduction',
      what: 'Feel less weighed down in the mornings',
      howWeWillKnow: 'PHQ-9 below 10 on two check-ins',
      byWhen: '2027-03-01',
      measure: { instrument: 'phq-9', comparator: 'below', target: 10 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ kind: 'symptom_reduction', measure: { instrument: 'phq-9', description: 'PHQ-9 below 10', latestTotal: null, targetMet: null }, status: 'active' });
    await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'phq-9', answers: phqAnswers(8), complete: true });
    const listed = await get('therapistA', url);
    expect(listed.json().items[0].measure).toMatchObject({ latestTotal: 8, targetMet: true });

    const byClinician = await send('therapistA', 'POST', url, { kind: 'coping', what: 'Use grounding when panic starts', howWeWillKnow: 'Reports using it weekly', byWhen: '2027-01-15' });
    expect(byClinician.statusCode).toBe(201);
    const patched = await send('therapistA', 'PATCH', url, { id: created.json().id, status: 'achieved' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().status).toBe('achieved');
    const patched2 = await p.as('PATCH', `${url}/${byClinician.json().id}`, { what: 'Use 5-4-3-2-1 grounding when panic starts' });
    expect(patched2.json().what).toContain('5-4-3-2-1');

    const row = await t.db.selectFrom('patient_goals').selectAll().where('id', '=', created.json().id).executeTakeFirstOrThrow();
    expect(row.what_enc).not.toContain('weighed');

    const badMeasure = await p.as('POST', url, { kind: 'insight', what: 'Understand triggers', howWeWillKnow: 'Journal', byWhen: '2027-01-01', measure: { instrument: 'medical-history', comparator: 'below', target: 3 } });
    expect(errorOf(badMeasure).field).toBe('measure.instrument');
    const badTarget = await p.as('POST', url, { kind: 'insight', what: 'Understand triggers', howWeWillKnow: 'Journal', byWhen: '2027-01-01', measure: { instrument: 'phq-9', comparator: 'below', target: 99 } });
    expect(errorOf(badTarget).field).toBe('measure.target');
    const badKind = await p.as('POST', url, { kind: 'wealth', what: 'x y z', howWeWillKnow: 'x y z', byWhen: '2027-01-01' });
    expect(errorOf(badKind).field).toBe('kind');
    const badDate = await p.as('POST', url, { kind: 'insight', what: 'x y z', howWeWillKnow: 'x y z', byWhen: '2027-02-30' });
    expect(errorOf(badDate).field).toBe('byWhen');
    expect((await send('frontDesk', 'POST', url, { kind: 'insight', what: 'x y z', howWeWillKnow: 'x y z', byWhen: '2027-01-01' })).statusCode).toBe(403);
    expect((await send('therapistB', 'PATCH', url, { id: created.json().id, status: 'active' })).statusCode).toBe(403);
    expect((await send('foreignTherapist', 'GET' as 'POST', url)).statusCode).toBe(404);
  });
});

describe('intake settings', () => {
  it('admins change contraindication rules with validation naming the field; clinicians read them', async () => {
    const read = await get('prescriber', '/api/intake/settings');
    expect(read.json()).toMatchObject({ usingDefaultRules: true, alertEscalationMinutes: expect.any(Number) });
    expect((await get('frontDesk', '/api/intake/settings')).statusCode).toBe(403);
    expect((await send('prescriber', 'PATCH', '/api/intake/settings', { alertEscalationMinutes: 10 })).statusCode).toBe(403);
    const rules = read.json().contraindicationRules as { id: string; level: string }[];
    const bad = await send('admin', 'PATCH', '/api/intake/settings', { contraindicationRules: [{ ...rules[0], level: 'maybe' }] });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toBe('contraindicationRules[0].level');
    // Make pregnancy an absolute clinic exclusion.
    const changed = rules.map((r) => (r.id === 'pregnancy' ? { ...r, level: 'absolute' } : r));
    const ok = await send('admin', 'PATCH', '/api/intake/settings', { contraindicationRules: changed });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().usingDefaultRules).toBe(false);
    const p = await freshPatient();
    await p.as('POST', `/api/patients/${p.id}/responses`, { instrument: 'medical-history', answers: { ...COMPLETE_HISTORY, hx_pregnant: 'yes' }, complete: true });
    const view = await get('prescriber', `/api/patients/${p.id}/eligibility`);
    expect(view.json().overrideRequiredFor).toContain('pregnancy');
    const reset = await send('admin', 'PATCH', '/api/intake/settings', { contraindicationRules: null });
    expect(reset.json().usingDefaultRules).toBe(true);
  });
});
