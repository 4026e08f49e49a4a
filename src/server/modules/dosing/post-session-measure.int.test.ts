import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChair, createDosingAppointment, createDosingWorld } from '../../../../test/helpers/dosing-world';
import { createTestApp, createUser, errorOf, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { postSessionCheckIn } from '../../../core/instruments/definitions/post-session-check-in';
import { defaultClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { SessionView } from '../../../core/schemas/dosing.schema';
import type { StoredResponse, SubmitResponseResult } from '../../../core/schemas/intake.schema';
import type { PostSessionMeasureView } from '../../../core/schemas/post-session.schema';

/**
 * The optional post-session experience measure over HTTP: offered by the protocol, answered
 * after the session (recovery or discharge) by the patient in the portal or entered from
 * paper by staff, linked to the session, scored like any instrument, and access-checked.
 */
let t: TestContext;
let world: Awaited<ReturnType<typeof createDosingWorld>>;
const who: Record<string, Session> = {};
let patientBUser: { email: string };

beforeAll(async () => {
  t = await createTestApp();
  world = await createDosingWorld(t.db, t.clock.now);
  patientBUser = await createUser(t.db, world.org.id, 'patient', { patientId: world.patientB.id });
  for (const [key, user] of Object.entries({ ...world.users, patientB: patientBUser })) who[key] = await signIn(t.app, user.email);
});
afterAll(async () => {
  await t.close();
});

const get = (as: string, url: string) => t.app.inject({ method: 'GET', url, headers: who[as]!.headers });
const send = (as: string, method: 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who[as]!.headers, ...(payload ? { payload } : {}) });

/** A dosing session of patient A (or another patient), opened over HTTP, then put in `state` (test set-up). */
async function sessionIn(state: string, patientId = world.patientA.id, opener = 'nurse'): Promise<SessionView> {
  const appointmentId = await createDosingAppointment(t.db, world.org.id, patientId, world.users.prescriber.id, await createChair(t.db, world.org.id, `Chair ${Math.random()}`), t.clock.now);
  const res = await send(opener, 'POST', '/api/sessions', { appointmentId });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.json<SessionView>();
  await t.db.updateTable('dosing_sessions').set({ state }).where('id', '=', s.id).execute();
  return s;
}

const answers = { altered_body: 3, altered_surroundings: 2, altered_time: 4, distress: 1, supported: 4, drowsy_now: 2, describe: 'Like drifting over a quiet lake.' };

describe('post-session experience measure', () => {
  it('the default protocol offers the bundled check-in; not before the session is over', async () => {
    const s = await sessionIn('monitoring');
    const view = await get('therapistA', `/api/sessions/${s.id}/post-session-measure`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json<PostSessionMeasureView>()).toMatchObject({
      offered: true,
      available: false,
      instrument: 'post-session-check-in',
      instrumentTitle: postSessionCheckIn.title,
      patientId: world.patientA.id,
      responses: [],
    });
    expect(view.json<PostSessionMeasureView>().instrumentTitle).toMatch(/not a validated scale/);
    const early = await send('therapistA', 'POST', `/api/sessions/${s.id}/post-session-measure/request`);
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).field).toBe('dosingSessionId');
    const patientEarly = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'post-session-check-in', answers, complete: true, dosingSessionId: s.id });
    expect(patientEarly.statusCode).toBe(409);
  });

  it('the therapist asks; the patient finds the draft in the portal, answers it, and it is scored and shown on the session', async () => {
    const s = await sessionIn('recovery');
    const asked = await send('therapistA', 'POST', `/api/sessions/${s.id}/post-session-measure/request`);
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json<PostSessionMeasureView>().responses).toEqual([expect.objectContaining({ status: 'in_progress', entryMode: 'portal', dosingSessionId: s.id, answers: {} })]);
    const again = await send('therapistA', 'POST', `/api/sessions/${s.id}/post-session-measure/request`);
    expect(again.statusCode).toBe(200);
    expect(again.json<PostSessionMeasureView>().responses).toHaveLength(1);

    // The patient's portal lists the draft (as it lists any draft) and continues it.
    const drafts = await get('patientA', `/api/patients/${world.patientA.id}/responses?status=in_progress&instrument=post-session-check-in`);
    expect(drafts.statusCode).toBe(200);
    const draft = drafts.json<{ items: StoredResponse[] }>().items[0]!;
    expect(draft.dosingSessionId).toBe(s.id);
    const part = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'post-session-check-in', answers: { altered_body: 3 }, complete: false, responseId: draft.id });
    expect(part.statusCode, part.body).toBe(200);
    const done = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'post-session-check-in', answers, complete: true, responseId: draft.id });
    expect(done.statusCode, done.body).toBe(201);
    const result = done.json<SubmitResponseResult>();
    expect(result.id).toBe(draft.id);
    expect(result.score).toMatchObject({ status: 'scored', total: 9, band: null });

    const view = (await get('therapistA', `/api/sessions/${s.id}/post-session-measure`)).json<PostSessionMeasureView>();
    expect(view.available).toBe(true);
    expect(view.responses).toEqual([
      expect.objectContaining({ id: draft.id, status: 'submitted', entryMode: 'portal', answers: expect.objectContaining({ describe: 'Like drifting over a quiet lake.' }) }),
    ]);
    expect(view.responses[0]!.score).toMatchObject({ total: 9, subscales: [expect.objectContaining({ id: 'altered-experience', total: 9 })] });
    // It scores like any instrument: it is in the patient's score history too.
    const scores = await get('therapistA', `/api/patients/${world.patientA.id}/scores`);
    expect(scores.json<{ items: { responseId: string; total: number }[] }>().items).toContainEqual(expect.objectContaining({ responseId: draft.id, total: 9 }));

    // One submitted measure per session.
    const second = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'post-session-check-in', answers, complete: true, dosingSessionId: s.id });
    expect(second.statusCode).toBe(409);
    const askAfter = await send('therapistA', 'POST', `/api/sessions/${s.id}/post-session-measure/request`);
    expect(askAfter.statusCode).toBe(409);

    await t.deps.audit.flush();
    const audit = await t.db.selectFrom('audit_events').select(['detail', 'outcome']).where('patient_id', '=', world.patientA.id).where('action', '=', 'write').execute();
    expect(audit.some((r) => (r.detail ?? '').includes('request_post_session_measure') && r.outcome === 'allowed')).toBe(true);
    // The refused second answer is audited as failed, with the session it named.
    expect(audit.some((r) => (r.detail ?? '').includes(`"dosingSessionId":"${s.id}"`) && r.outcome === 'failed')).toBe(true);
  });

  it('a blank optional answer is not stored (never coerced to 0) and typed text stays text', async () => {
    const s = await sessionIn('recovery');
    const res = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, {
      instrument: 'post-session-check-in',
      answers: { ...answers, describe: '3', intention: null, unresolved: null },
      complete: true,
      dosingSessionId: s.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const stored = (await get('therapistA', `/api/sessions/${s.id}/post-session-measure`)).json<PostSessionMeasureView>().responses[0]!;
    expect(stored.answers.describe).toBe('3');
    expect(stored.answers).not.toHaveProperty('intention');
    // The same for an optional choice whose options include 0 (PHQ-9's difficulty item).
    const phq = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'phq-9', answers: { phq9_1: 1, phq9_difficulty: null }, complete: false });
    expect(phq.statusCode, phq.body).toBeLessThan(300);
    const drafts = await get('patientA', `/api/patients/${world.patientA.id}/responses?status=in_progress&instrument=phq-9`);
    expect(drafts.json<{ items: StoredResponse[] }>().items[0]!.answers).toEqual({ phq9_1: 1 });
  });

  it('staff enter the paper form after discharge; the wrong instrument is refused naming the field', async () => {
    const s = await sessionIn('discharged');
    const wrong = await send('therapistA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'phq-9', answers: {}, complete: false, entryMode: 'paper', dosingSessionId: s.id });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).field).toBe('instrument');
    const missing = await send('therapistA', 'POST', `/api/patients/${world.patientA.id}/responses`, {
      instrument: 'post-session-check-in',
      answers: { altered_body: 0 },
      complete: true,
      entryMode: 'paper',
      dosingSessionId: s.id,
    });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).field).toBe('answers.altered_surroundings');
    const paper = await send('therapistA', 'POST', `/api/patients/${world.patientA.id}/responses`, {
      instrument: 'post-session-check-in',
      answers: { altered_body: 0, altered_surroundings: 1, altered_time: 1, distress: 0, supported: 3, drowsy_now: 0 },
      complete: true,
      entryMode: 'paper',
      administeredOn: t.clock.now.toISOString().slice(0, 10),
      dosingSessionId: s.id,
    });
    expect(paper.statusCode, paper.body).toBe(201);
    expect(paper.json<SubmitResponseResult>().score.total).toBe(2);
    const view = (await get('nurse', `/api/sessions/${s.id}/post-session-measure`)).json<PostSessionMeasureView>();
    expect(view.responses).toEqual([expect.objectContaining({ status: 'submitted', entryMode: 'paper' })]);
  });

  it('access: a patient answers only their own; other patients, staff off the care team, front desk and other tenants cannot', async () => {
    const s = await sessionIn('recovery');
    const body = { instrument: 'post-session-check-in', answers, complete: true, dosingSessionId: s.id };
    // Another patient, on A's record: 403; on their own record with A's session: 404 naming the session.
    expect((await send('patientB', 'POST', `/api/patients/${world.patientA.id}/responses`, body)).statusCode).toBe(403);
    const borrowed = await send('patientB', 'POST', `/api/patients/${world.patientB.id}/responses`, body);
    expect(borrowed.statusCode).toBe(404);
    expect(errorOf(borrowed).field).toBe('dosingSessionId');
    // Other tenant: the patient and the session do not exist for them.
    expect((await send('foreignTherapist', 'POST', `/api/patients/${world.patientA.id}/responses`, { ...body, entryMode: 'paper' })).statusCode).toBe(404);
    expect((await get('foreignTherapist', `/api/sessions/${s.id}/post-session-measure`)).statusCode).toBe(404);
    expect((await send('foreignTherapist', 'POST', `/api/sessions/${s.id}/post-session-measure/request`)).statusCode).toBe(404);
    // Same clinic, not on the care team / not clinical: 403.
    expect((await get('therapistB', `/api/sessions/${s.id}/post-session-measure`)).statusCode).toBe(403);
    expect((await send('therapistB', 'POST', `/api/sessions/${s.id}/post-session-measure/request`)).statusCode).toBe(403);
    expect((await get('frontDesk', `/api/sessions/${s.id}/post-session-measure`)).statusCode).toBe(403);
    expect((await send('frontDesk', 'POST', `/api/patients/${world.patientA.id}/responses`, { ...body, entryMode: 'paper' })).statusCode).toBe(403);
    // The flowsheet view is staff work, even for the patient whose session it is.
    expect((await get('patientA', `/api/sessions/${s.id}/post-session-measure`)).statusCode).toBe(403);
    // Nothing was linked to the session by any of these.
    expect(await t.db.selectFrom('questionnaire_responses').select('id').where('dosing_session_id', '=', s.id).execute()).toEqual([]);
    // The patient themself may.
    expect((await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, body)).statusCode).toBe(201);
  });

  it('the protocol decides: not offered → refused; a licensed measure imported by the clinic (e.g. a CADSS file) replaces the check-in', async () => {
    const off = structuredClone(defaultClinicProtocol);
    off.postSession!.experienceMeasure.offered.value = false;
    const saved = await send('admin', 'PUT', '/api/protocol', { document: off, changeNote: 'no post-session measure' });
    expect(saved.statusCode, saved.body).toBe(200);
    const s1 = await sessionIn('recovery');
    expect((await get('therapistA', `/api/sessions/${s1.id}/post-session-measure`)).json<PostSessionMeasureView>().offered).toBe(false);
    expect((await send('therapistA', 'POST', `/api/sessions/${s1.id}/post-session-measure/request`)).statusCode).toBe(409);

    // Naming an instrument the clinic does not have is a 400 naming the field.
    const licensed = structuredClone(defaultClinicProtocol);
    licensed.postSession!.experienceMeasure.instrument = { value: 'cadss', source: 'Licensed by the clinic, 2026' };
    const unknown = await send('admin', 'PUT', '/api/protocol', { document: licensed });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).field).toBe('document.postSession.experienceMeasure.instrument.value');

    // The clinic imports its licensed file (placeholder wording here: the real CADSS text is licensed).
    const file = {
      code: 'cadss',
      title: 'Clinic-licensed dissociation scale (test file)',
      version: '1',
      kind: 'measure',
      licence: 'Licensed to the test clinic',
      source: 'Test fixture standing in for a licensed file',
      groups: [
        {
          id: 'items',
          items: [1, 2].map((n) => ({ id: `item_${n}`, kind: 'choice', text: `Placeholder item ${n}`, options: [0, 1, 2, 3, 4].map((v) => ({ value: v, label: String(v) })) })),
        },
      ],
      scoring: { kind: 'sum', itemIds: ['item_1', 'item_2'] },
      missingItems: { kind: 'require-all' },
    };
    expect((await send('admin', 'POST', '/api/questionnaires', { definition: file })).statusCode).toBe(201);
    expect((await send('admin', 'PUT', '/api/protocol', { document: licensed })).statusCode).toBe(200);
    const s2 = await sessionIn('recovery');
    const view = (await get('therapistA', `/api/sessions/${s2.id}/post-session-measure`)).json<PostSessionMeasureView>();
    expect(view).toMatchObject({ offered: true, instrument: 'cadss', instrumentTitle: file.title });
    const bundled = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'post-session-check-in', answers, complete: true, dosingSessionId: s2.id });
    expect(bundled.statusCode).toBe(400);
    const ok = await send('patientA', 'POST', `/api/patients/${world.patientA.id}/responses`, { instrument: 'cadss', answers: { item_1: 2, item_2: 3 }, complete: true, dosingSessionId: s2.id });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<SubmitResponseResult>()).toMatchObject({ instrument: 'cadss', score: { total: 5 } });
    // A session pinned to the earlier revision keeps its own setting.
    expect((await get('therapistA', `/api/sessions/${s1.id}/post-session-measure`)).json<PostSessionMeasureView>().offered).toBe(false);
  });
});
