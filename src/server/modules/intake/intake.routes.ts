import { IdParams } from '../../../core/schemas/common.schema';
import {
  AcknowledgeAlertBody,
  AlertList,
  AlertListQuery,
  ImportedInstrumentList,
  ImportInstrumentBody,
  IntakeSettings,
  Questionnaire,
  QuestionnaireCodeParams,
  QuestionnaireList,
  ResponseList,
  ResponseListQuery,
  SafetyAlert,
  ScoreHistory,
  SubmitResponseBody,
  SubmitResponseResult,
  UpdateIntakeSettingsBody,
} from '../../../core/schemas/intake.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import { consentRoutes } from '../consents/consents.routes';
import { eligibilityRoutes } from '../eligibility/eligibility.routes';
import { goalRoutes } from '../goals/goals.routes';
import * as alerts from './alerts.service';
import { AlertEscalationJob } from './alerts.service';
import * as catalog from './instrument-catalog';
import * as settings from './intake-settings';
import * as responses from './responses.service';

/**
 * Intake, screening and eligibility (issue 4): questionnaires, responses and scores, safety
 * alerts (+ the escalation job), intake settings, eligibility, consents, goals.
 */
export function intakeRoutes(app: App, deps: Deps, options: { startWorkers?: boolean } = {}): AlertEscalationJob {
  const escalation = new AlertEscalationJob(deps);
  if (options.startWorkers) escalation.start();
  app.addHook('onClose', async () => escalation.stop());

  app.get(
    '/api/questionnaires',
    {
      schema: {
        tags: ['intake'],
        summary: 'Questionnaires and forms this clinic uses (bundled + imported), as data',
        response: { 200: QuestionnaireList, ...errorResponses(401) },
      },
    },
    (request) => catalog.listQuestionnaires(deps, requireActor(request)),
  );

  app.get(
    '/api/questionnaires/imported',
    {
      schema: {
        tags: ['intake'],
        summary: 'Imported (licensed) instrument definitions, every version (clinic admin)',
        response: { 200: ImportedInstrumentList, ...errorResponses(401, 403) },
      },
    },
    (request) => catalog.listImported(deps, requireActor(request)),
  );

  app.get(
    '/api/questionnaires/:code',
    {
      schema: {
        tags: ['intake'],
        summary: 'One questionnaire (current version)',
        params: QuestionnaireCodeParams,
        response: { 200: Questionnaire, ...errorResponses(400, 401, 404) },
      },
    },
    (request) => catalog.getQuestionnaire(deps, requireActor(request), request.params.code),
  );

  app.post(
    '/api/questionnaires',
    {
      schema: {
        tags: ['intake'],
        summary: 'Import an instrument definition file the clinic holds a licence for (clinic admin)',
        body: ImportInstrumentBody,
        response: { 201: Questionnaire, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await catalog.importInstrument(deps, requireActor(request), request.body, metaOf(request))),
  );

  app.post(
    '/api/patients/:id/responses',
    {
      schema: {
        tags: ['intake'],
        summary: 'Save progress on (complete:false) or submit (complete:true) a questionnaire response',
        params: IdParams,
        body: SubmitResponseBody,
        response: { 200: SubmitResponseResult, 201: SubmitResponseResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await responses.submitResponse(deps, requireActor(request), request.params.id, request.body, metaOf(request));
      return reply.status(result.status === 'submitted' ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/patients/:id/responses',
    {
      schema: {
        tags: ['intake'],
        summary: 'Saved (in progress) and submitted responses with answers',
        params: IdParams,
        querystring: ResponseListQuery,
        response: { 200: ResponseList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => responses.listPatientResponses(deps, requireActor(request), request.params.id, request.query, metaOf(request)),
  );

  app.get(
    '/api/patients/:id/scores',
    {
      schema: {
        tags: ['intake'],
        summary: 'Scores with bands over time, and response/remission against baseline',
        params: IdParams,
        response: { 200: ScoreHistory, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => responses.getScores(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        tags: ['intake'],
        summary: 'Safety alerts: the care team’s (clinicians), escalations (clinic admin)',
        querystring: AlertListQuery,
        response: { 200: AlertList, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => alerts.listAlerts(deps, requireActor(request), request.query, metaOf(request)),
  );

  app.post(
    '/api/alerts/:id/acknowledge',
    {
      schema: {
        tags: ['intake'],
        summary: 'Acknowledge a safety alert and record the follow-up taken (clinician on the care team)',
        params: IdParams,
        body: AcknowledgeAlertBody,
        response: { 200: SafetyAlert, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => alerts.acknowledgeAlert(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );

  app.get(
    '/api/intake/settings',
    {
      schema: {
        tags: ['intake'],
        summary: 'Clinic intake settings: alert escalation delay, eligibility validity, contraindication rules',
        response: { 200: IntakeSettings, ...errorResponses(401, 403) },
      },
    },
    (request) => settings.getIntakeSettings(deps, requireActor(request)),
  );

  app.patch(
    '/api/intake/settings',
    {
      schema: {
        tags: ['intake'],
        summary: 'Change intake settings (clinic admin)',
        body: UpdateIntakeSettingsBody,
        response: { 200: IntakeSettings, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => settings.updateIntakeSettings(deps, requireActor(request), request.body, metaOf(request)),
  );

  eligibilityRoutes(app, deps);
  consentRoutes(app, deps);
  goalRoutes(app, deps);
  return escalation;
}
