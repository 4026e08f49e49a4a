import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, testPasswordHash, type TestContext } from '../../../../test/helpers/test-app';
import { hasCurrentConsent } from '../../modules/consents/consents.service';
import { assertEligibleForDosing } from '../../modules/eligibility/dosing-eligibility';
import { seedDemoClinic } from './demo-clinic';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoClinic(t.db, await testPasswordHash(), t.clock.now, t.config.secrets.dataEncryptionKey);
});
afterAll(async () => {
  await t.close();
});

describe('intake demo data', () => {
  it('Alex has finished intake, signed current consents, has goals and an eligible decision; Sam is part-way', async () => {
    const alex = await t.db.selectFrom('users').select(['patient_id']).where('email', '=', 'patient@demo.clinic').executeTakeFirstOrThrow();
    const alexId = alex.patient_id!;
    await expect(assertEligibleForDosing(t.db, alexId)).resolves.toBeUndefined();
    for (const kind of ['kap_treatment', 'telehealth', 'privacy_notice'] as const) expect(await hasCurrentConsent(t.db, alexId, kind)).toBe(true);

    const prescriber = await signIn(t.app, 'prescriber@demo.clinic');
    const review = await t.app.inject({ method: 'GET', url: `/api/patients/${alexId}/review`, headers: prescriber.headers });
    expect(review.statusCode).toBe(200);
    const body = review.json();
    expect(body.history.status).toBe('submitted');
    // Baseline scores from intake (the dosing seed adds today's pre-dose PHQ-9 after them).
    expect(body.scores.items.map((s: { instrument: string; total: number; band: string }) => [s.instrument, s.total, s.band])).toEqual(
      expect.arrayContaining([
        ['phq-9', 16, 'moderately-severe'],
        ['gad-7', 12, 'moderate'],
      ]),
    );
    expect(body.eligibility.current).toMatchObject({ decision: 'eligible', allowsDosing: true });
    expect(body.eligibility.decisions[0].signedByName).toContain('Natarajan');
    expect(body.eligibility.contraindications.flags.filter((f: { level: string }) => f.level === 'absolute')).toEqual([]);
    expect(body.goals).toHaveLength(3);
    expect(body.consents.every((c: { signedCurrent: boolean }) => c.signedCurrent)).toBe(true);

    const patient = await signIn(t.app, 'patient@demo.clinic');
    const pdfUrl = body.consents[0].latestSignature.pdfUrl as string;
    const pdf = await t.app.inject({ method: 'GET', url: pdfUrl, headers: patient.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const sam = await t.db.selectFrom('patients').select('id').where('legal_given_name', '=', 'Samuel').executeTakeFirstOrThrow();
    const drafts = await t.app.inject({ method: 'GET', url: `/api/patients/${sam.id}/responses?status=in_progress`, headers: prescriber.headers });
    expect(drafts.json().items).toEqual([expect.objectContaining({ instrument: 'medical-history', status: 'in_progress' })]);
    await expect(assertEligibleForDosing(t.db, sam.id)).rejects.toMatchObject({ code: 'conflict' });
  });
});
