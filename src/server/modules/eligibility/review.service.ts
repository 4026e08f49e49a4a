
import { isItemVisible, type Answers } from '../../../core/instruments/score-response';
import type { ClinicianReview, ScoreEntry } from '../../../core/schemas/intake.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { loadPatientConsents } from '../consents/consents.service';
import { loadGoals } from '../goals/goals.service';
import { toClinicalAlert } from '../intake/alerts.service';
import { definitionById } from '../intake/instrument-catalog';
import * as intakeRepo from '../intake/intake.repository';
import { answerLabel, answersContext, cipherOf, loadScoreHistory } from '../intake/responses.service';
import { HISTORY_CODE, loadEligibilityView } from './eligibility.service';

/**
 * Everything a prescriber needs to decide eligibility, side by side: the history form as
 * answered, scores with bands (and outcome change), contraindication flags with reasons and
 * sources (plus rules that could not be evaluated), open safety alerts, eligibility
 * decisions with addenda and overrides, consent status and goals.
 */
export function getClinicianReview(deps: Deps, actor: SessionActor, patientId: string, meta: RequestMeta): Promise<ClinicianReview> {
  if (actor.role === 'patient') throw new AppError('forbidden', 'The review screen is for clinicians');
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'read',
    meta,
    async () => {
      const db = deps.db;
      const cipher = cipherOf(deps);
      const patient = await intakeRepo.findPatientBasics(db, patientId);
      if (!patient) throw new AppError('not_found', 'Patient not found');
      const historyRows = await intakeRepo.listResponses(db, patientId, { instrument: HISTORY_CODE });
      const historyRow = historyRows.find((r) => r.status === 'submitted') ?? historyRows[0] ?? null;
      let history: ClinicianReview['history'] = null;
      if (historyRow?.definition_id) {
        const def = await definitionById(db, historyRow.definition_id);
        const answers = cipher.decryptJson<Answers>(historyRow.answers_enc, answersContext(historyRow.id));
        if (def) {
          history = {
            responseId: historyRow.id,
            version: historyRow.instrument_version,
            status: historyRow.status,
            submittedAt: historyRow.submitted_at,
            sections: def.groups.map((g) => ({
              id: g.id,
              title: g.title ?? g.id,
              answers: g.items
                .filter((i) => isItemVisible(def, i.id, answers))
                .map((i) => {
                  const v = answers[i.id];
                  const missing = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
                  return { itemId: i.id, text: i.text, answer: missing ? 'Not answered' : answerLabel(def, i.id, v) };
                }),
            })),
          };
        }
      }
      const [scores, alertRows, eligibility, consents, goals] = await Promise.all([
        loadScoreHistory(db, cipher, patientId),
        intakeRepo.listAlerts(db, { organizationId: actor.organizationId, status: 'open', patientId }),
        loadEligibilityView(deps, db, actor.organizationId, patientId),
        loadPatientConsents(deps, db, actor.organizationId, patientId),
        loadGoals(db, deps, actor.organizationId, patientId),
      ]);
      const latest = new Map<string, ScoreEntry>();
      for (const s of scores.items) latest.set(s.instrument, s);
      return {
        patient: { id: patient.id, name: `${patient.legal_given_name} ${patient.legal_family_name}`, dateOfBirth: patient.date_of_birth },
        history,
        latestScores: [...latest.values()],
        scores,
        openAlerts: await Promise.all(alertRows.map((r) => toClinicalAlert(deps, db, r))),
        eligibility,
        consents: consents.items,
        goals,
      };
    },
    { view: 'clinician_review' },
  );
}
