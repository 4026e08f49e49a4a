import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CONSENT_KIND_LABELS, CONSENT_KINDS } from '../../../core/consent/consent-documents';
import { findBundledInstrument } from '../../../core/instruments/definitions/bundled-instruments';
import { scoreResponse, type Answers } from '../../../core/instruments/score-response';
import { createFieldCipher } from '../../crypto/field-encryption';
import { renderConsentPdf } from '../../modules/consents/consent-pdf';
import { ensureDefaultConsentDocuments } from '../../modules/consents/consents.service';
import { decisionContentHash, evaluatePatient } from '../../modules/eligibility/eligibility.service';
import { storeDefinition } from '../../modules/intake/instrument-catalog';
import { answersContext, scoreContext } from '../../modules/intake/responses.service';
import type { DB } from '../schema';
import type { DemoContext } from './demo-clinic';

const DAY = 86_400_000;

const ALEX_HISTORY: Answers = {
  hx_psychosis: 'no',
  hx_mania: 'no',
  hx_bipolar: 'no',
  hx_cognitive_impairment: 'no',
  hx_mental_health_other: 'Major depressive disorder since 2015; two SSRI trials and one SNRI trial with partial response.',
  hx_hypertension: 'no',
  hx_bp_systolic: 118,
  hx_bp_diastolic: 76,
  hx_aneurysm: 'no',
  hx_intracerebral_hemorrhage: 'no',
  hx_stroke: 'no',
  hx_cardiac: ['none'],
  hx_liver: 'no',
  hx_glaucoma: 'no',
  hx_intracranial_pressure: 'no',
  hx_cystitis: 'no',
  hx_medications: 'Sertraline 150 mg daily; vitamin D 1000 IU daily',
  hx_medication_classes: ['none'],
  hx_allergies: 'Penicillin (rash)',
  hx_ketamine_hypersensitivity: 'no',
  hx_nonprescribed_recent: ['none'],
  hx_sud_current: 'no',
  hx_sud_past: 'no',
  hx_ketamine_past: 'no',
  hx_psychedelic_experience: 'yes',
  hx_psychedelic_details: 'Psilocybin once in 2018; a meaningful, mostly calm experience.',
  hx_pregnant: 'no',
  hx_breastfeeding: 'no',
  hx_height_cm: 168,
  hx_weight_kg: 64,
};

// PHQ-9 total 16 (moderately severe), item 9 "not at all"; GAD-7 total 12 (moderate).
const ALEX_PHQ9: Answers = { phq9_1: 2, phq9_2: 3, phq9_3: 2, phq9_4: 3, phq9_5: 1, phq9_6: 2, phq9_7: 2, phq9_8: 1, phq9_9: 0, phq9_difficulty: 2 };
const ALEX_GAD7: Answers = { gad7_1: 2, gad7_2: 2, gad7_3: 2, gad7_4: 2, gad7_5: 1, gad7_6: 2, gad7_7: 1 };

/** Sam stopped part-way through the history form (two screens answered). */
const SAM_PARTIAL_HISTORY: Answers = {
  hx_psychosis: 'no',
  hx_mania: 'no',
  hx_bipolar: 'no',
  hx_cognitive_impairment: 'no',
  hx_hypertension: 'yes',
  hx_hypertension_controlled: 'unsure',
};

/**
 * Intake demo data: Alex (patient@demo.clinic) has finished intake — history, PHQ-9, GAD-7 —
 * signed the current consents, set goals, and has an `eligible` decision signed by the demo
 * prescriber (so a dosing session can be booked for her). Sam is part-way through the history.
 */
export async function seedDemoIntake(trx: Kysely<DB>, ctx: DemoContext): Promise<void> {
  const cipher = createFieldCipher(ctx.dataEncryptionKey);
  const org = ctx.organizationId;
  const iso = (daysAgo: number, minutes = 0) => new Date(ctx.now.getTime() - daysAgo * DAY + minutes * 60_000).toISOString();

  await ensureDefaultConsentDocuments(trx, org, iso(30), ctx.users.admin);

  const response = async (patientId: string, code: string, answers: Answers, at: string, submitted: boolean, enteredBy: string, mode: 'portal' | 'staff' = 'portal') => {
    const def = findBundledInstrument(code)!;
    const definitionId = await storeDefinition(trx, org, { definition: def, origin: 'bundled', storedId: null }, at);
    const id = randomUUID();
    const score = scoreResponse(def, answers);
    await trx
      .insertInto('questionnaire_responses')
      .values({
        id,
        organization_id: org,
        patient_id: patientId,
        instrument_code: code,
        instrument_version: def.version,
        definition_id: definitionId,
        status: submitted ? 'submitted' : 'in_progress',
        answers_enc: cipher.encryptJson(answers, answersContext(id)),
        score_status: submitted ? score.status : null,
        score_total: submitted ? (score.total ?? null) : null,
        score_band: submitted ? (score.band?.id ?? null) : null,
        score_detail_enc: submitted ? cipher.encryptJson(score, scoreContext(id)) : null,
        entry_mode: mode,
        entered_by: enteredBy,
        administered_on: null,
        started_at: at,
        updated_at: at,
        submitted_at: submitted ? at : null,
      })
      .execute();
  };

  const alex = ctx.patients.alex;
  await response(alex, 'medical-history', ALEX_HISTORY, iso(12), true, ctx.users.patientAlex);
  await response(alex, 'phq-9', ALEX_PHQ9, iso(12, 20), true, ctx.users.patientAlex);
  await response(alex, 'gad-7', ALEX_GAD7, iso(12, 25), true, ctx.users.patientAlex);

  // Consents: Alex signed each current document.
  const patient = await trx
    .selectFrom('patients as p')
    .innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .select(['p.legal_given_name', 'p.legal_family_name', 'p.date_of_birth', 'o.name', 'o.time_zone'])
    .where('p.id', '=', alex)
    .executeTakeFirstOrThrow();
  const legalName = `${patient.legal_given_name} ${patient.legal_family_name}`;
  for (const kind of CONSENT_KINDS) {
    const doc = await trx
      .selectFrom('consent_documents')
      .selectAll()
      .where('organization_id', '=', org)
      .where('kind', '=', kind)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const id = randomUUID();
    const signedAt = iso(10);
    const textSha256 = createHash('sha256').update(doc.body, 'utf8').digest('hex');
    const pdf = await renderConsentPdf({
      clinicName: patient.name,
      timeZone: patient.time_zone,
      title: doc.title,
      kindLabel: CONSENT_KIND_LABELS[kind],
      version: doc.version,
      body: doc.body,
      patientName: legalName,
      dateOfBirth: patient.date_of_birth,
      typedName: legalName,
      signedAt,
      ip: '203.0.113.24',
      textSha256,
      signatureId: id,
    });
    await trx
      .insertInto('consent_signatures')
      .values({
        id,
        organization_id: org,
        patient_id: alex,
        document_id: doc.id,
        kind,
        version: doc.version,
        typed_name: legalName,
        signed_at: signedAt,
        ip: '203.0.113.24',
        text_sha256: textSha256,
        signed_by_user_id: ctx.users.patientAlex,
        pdf_base64: Buffer.from(pdf).toString('base64'),
      })
      .execute();
  }

  // Goals, set together at the intake visit.
  const goal = async (kind: 'insight' | 'symptom_reduction' | 'personal_growth' | 'coping', what: string, how: string, byWhen: string, measure?: { code: string; target: number }) => {
    const id = randomUUID();
    await trx
      .insertInto('patient_goals')
      .values({
        id,
        organization_id: org,
        patient_id: alex,
        kind,
        what_enc: cipher.encrypt(what, `patient_goals.what:${id}`),
        how_we_know_enc: cipher.encrypt(how, `patient_goals.how_we_know:${id}`),
        by_when: byWhen,
        measure_code: measure?.code ?? null,
        target_comparator: measure ? 'below' : null,
        target_value: measure?.target ?? null,
        status: 'active',
        created_by: ctx.users.therapist,
        created_at: iso(9),
        updated_by: ctx.users.therapist,
        updated_at: iso(9),
      })
      .execute();
  };
  const inMonths = (m: number) => new Date(ctx.now.getTime() + m * 30 * DAY).toISOString().slice(0, 10);
  await goal('symptom_reduction', 'Have more mornings where I can get up and start the day without dread', 'PHQ-9 below 10 on two check-ins in a row', inMonths(3), { code: 'phq-9', target: 10 });
  await goal('coping', 'Notice rising anxiety earlier and use a grounding exercise', 'I use grounding at least three times a week and log it in my journal', inMonths(2));
  await goal('insight', 'Understand what keeps the "not good enough" story going', 'I can name two situations that trigger it and what I tell myself', inMonths(3));

  // Eligibility: signed by the demo prescriber, evaluated on the flags above.
  const prescriber = await trx.selectFrom('users').select(['display_name']).where('id', '=', ctx.users.prescriber).executeTakeFirstOrThrow();
  const evaluation = await evaluatePatient(trx, cipher, org, alex);
  const decisionId = randomUUID();
  const signedAt = iso(5);
  const rationale =
    'Treatment-resistant depression (three adequate antidepressant trials), PHQ-9 16 and GAD-7 12 at baseline. No label contraindications; BP normal; no psychosis, mania or active substance use. Good support at home.';
  const conditions = 'Blood pressure before and 40 minutes after each dose; escort home after every session; repeat PHQ-9 before session 3.';
  await trx
    .insertInto('eligibility_decisions')
    .values({
      id: decisionId,
      organization_id: org,
      patient_id: alex,
      decision: 'eligible',
      rationale_enc: cipher.encrypt(rationale, `eligibility_decisions.rationale:${decisionId}`),
      conditions_enc: cipher.encrypt(conditions, `eligibility_decisions.conditions:${decisionId}`),
      flags_snapshot: JSON.stringify(evaluation),
      overridden_rule_ids: '[]',
      override_reason_enc: null,
      valid_until: null,
      supersedes_id: null,
      superseded_by_id: null,
      signed_by: ctx.users.prescriber,
      signed_by_name: prescriber.display_name,
      signed_at: signedAt,
      content_sha256: decisionContentHash({
        id: decisionId,
        patientId: alex,
        decision: 'eligible',
        rationale,
        conditions,
        overriddenRuleIds: [],
        overrideReason: null,
        flags: evaluation,
        validUntil: null,
        signedBy: ctx.users.prescriber,
        signedByName: prescriber.display_name,
        signedAt,
        supersedes: null,
      }),
    })
    .execute();

  // Sam: part-way through the history form (started with the therapist by phone; resumable).
  const samUser = await trx.selectFrom('users').select('id').where('patient_id', '=', ctx.patients.sam).executeTakeFirst();
  await response(ctx.patients.sam, 'medical-history', SAM_PARTIAL_HISTORY, iso(1), false, samUser?.id ?? ctx.users.therapist, samUser ? 'portal' : 'staff');
}
