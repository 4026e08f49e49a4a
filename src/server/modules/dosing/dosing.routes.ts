import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { defaultClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import {
  AcknowledgeBody,
  AddendumBody,
  AdministrationBody,
  AlertList,
  AlertView,
  BoardView,
  CheckInFactsBody,
  ControlledSubstanceLot,
  CreateSessionBody,
  Decision,
  DischargeAssessmentBody,
  DischargeView,
  DoseCalculationView,
  DoseRequestBody,
  EndAdministrationBody,
  LotQuery,
  ProtocolRevisionList,
  ProtocolView,
  PutNoteBody,
  PutProtocolBody,
  SessionItemParams,
  SessionNoteView,
  SessionParams,
  SessionView,
  TransitionBlocked,
  TransitionBody,
  TransitionResult,
  VitalsBatchBody,
  VitalsBatchResult,
  VitalsList,
  WasteBody,
} from '../../../core/schemas/dosing.schema';
import { PostSessionMeasureView } from '../../../core/schemas/post-session.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as board from './board.service';
import { createDosingContext, type DosingContext } from './dosing-context';
import * as postSession from './post-session-measure';
import * as protocol from './protocol.service';
import { streamAccessFor, withSession } from './session-access';
import * as sessions from './sessions.service';
import { parseLastEventId, streamSession } from './sse';
import * as vitals from './vitals.service';

const StreamQuery = Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
const tags = ['dosing'];

/**
 * Dosing sessions (issue 5). Returns the module's handle so app.ts can start its periodic
 * job with the other workers; the live-event listener starts with the app and stops with it.
 */
export function dosingRoutes(app: App, deps: Deps): { ctx: DosingContext; startJobs(): void } {
  const ctx = createDosingContext(deps);
  let stopJobs: (() => Promise<void>) | null = null;
  (app as unknown as FastifyInstance).addHook('onReady', async () => {
    await ctx.live.start();
  });
  (app as unknown as FastifyInstance).addHook('onClose', async () => {
    await stopJobs?.();
    await ctx.live.close();
  });

  // ---- protocol ----
  app.get('/api/protocol', { schema: { tags, summary: 'The clinic protocol in force (staff)', response: { 200: ProtocolView, ...errorResponses(401, 403) } } }, (request) =>
    protocol.getProtocol(ctx, requireActor(request)),
  );
  app.get(
    '/api/protocol/default',
    { schema: { tags, summary: 'The built-in default protocol with its cited sources', response: { 200: Type.Unknown(), ...errorResponses(401, 403) } } },
    (request) => protocol.getDefaultProtocol(requireActor(request)) ?? defaultClinicProtocol,
  );
  app.get('/api/protocol/revisions', { schema: { tags, summary: 'Protocol revision history', response: { 200: ProtocolRevisionList, ...errorResponses(401, 403) } } }, (request) =>
    protocol.listRevisions(ctx, requireActor(request)),
  );
  app.put(
    '/api/protocol',
    { schema: { tags, summary: 'Save a new protocol revision (clinic admin); errors name the field', body: PutProtocolBody, response: { 200: ProtocolView, ...errorResponses(400, 401, 403, 409) } } },
    (request) => protocol.saveProtocol(ctx, requireActor(request), request.body, metaOf(request)),
  );

  // ---- sessions ----
  app.post(
    '/api/sessions',
    { schema: { tags, summary: 'Open the dosing session of a dosing appointment', body: CreateSessionBody, response: { 201: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.status(201).send(await sessions.createSession(ctx, requireActor(request), request.body, metaOf(request))),
  );
  app.get('/api/sessions/:id', { schema: { tags, summary: 'The session flowsheet', params: SessionParams, response: { 200: SessionView, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    sessions.getSession(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.put(
    '/api/sessions/:id/check-in-facts',
    { schema: { tags, summary: 'Record weight, pregnancy status, fasting, abstinence, escort, 24 h kept free', params: SessionParams, body: CheckInFactsBody, response: { 200: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.updateCheckInFacts(ctx, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.get('/api/sessions/:id/check-in-gate', { schema: { tags, summary: 'Evaluate the check-in gate now (no change)', params: SessionParams, response: { 200: Decision, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    sessions.previewCheckInGate(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/transition',
    {
      schema: {
        tags,
        summary: 'Move the session to its next state (or abort with a reason); 409 lists the blocking reasons. A prescriber overrides overridable reasons by giving a reason.',
        params: SessionParams,
        body: TransitionBody,
        response: { 200: TransitionResult, 409: TransitionBlocked, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      try {
        return await sessions.transition(ctx, requireActor(request), request.params.id, request.body, metaOf(request));
      } catch (error) {
        if (error instanceof sessions.TransitionBlockedError) {
          return reply.status(409).send({ error: { code: 'conflict', message: error.message, field: 'to' }, decision: error.decision });
        }
        throw error;
      }
    },
  );

  // ---- dose and administration ----
  app.post(
    '/api/sessions/:id/dose-calculation',
    { schema: { tags, summary: 'Calculate a dose from the protocol (no change)', params: SessionParams, body: DoseRequestBody, response: { 200: DoseCalculationView, ...errorResponses(400, 401, 403, 404) } } },
    (request) => sessions.calculate(ctx, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/dose-orders',
    { schema: { tags, summary: 'Record the calculated dose for a second clinician to verify', params: SessionParams, body: DoseRequestBody, response: { 201: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.status(201).send(await sessions.orderDose(ctx, requireActor(request), request.params.id, request.body, metaOf(request))),
  );
  app.post(
    '/api/sessions/:id/dose-orders/:itemId/verify',
    { schema: { tags, summary: 'Co-sign: a second clinician verifies the dose calculation', params: SessionItemParams, response: { 200: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.verifyDose(ctx, requireActor(request), request.params.id, request.params.itemId, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/administrations',
    { schema: { tags, summary: 'Record an administration (immutable; idempotent by key)', params: SessionParams, body: AdministrationBody, response: { 200: SessionView, 201: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      const r = await sessions.recordAdministration(ctx, requireActor(request), request.params.id, request.body, metaOf(request));
      return reply.status(r.created ? 201 : 200).send(r.session);
    },
  );
  app.post(
    '/api/sessions/:id/administrations/:itemId/end',
    { schema: { tags, summary: 'Record the end time of an infusion (once)', params: SessionItemParams, body: EndAdministrationBody, response: { 200: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.endAdministration(ctx, requireActor(request), request.params.id, request.params.itemId, request.body.endedAt, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/administrations/:itemId/addenda',
    { schema: { tags, summary: 'Correct an administration record by addendum', params: SessionItemParams, body: AddendumBody, response: { 201: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) =>
      reply.status(201).send(await sessions.addAdministrationAddendum(ctx, requireActor(request), request.params.id, request.params.itemId, request.body.text, metaOf(request))),
  );
  app.post(
    '/api/sessions/:id/waste',
    { schema: { tags, summary: 'Record drug wasted from a lot, with a witness', params: SessionParams, body: WasteBody, response: { 201: Type.Object({ ok: Type.Literal(true) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await sessions.recordWaste(ctx, requireActor(request), request.params.id, request.body, metaOf(request))),
  );
  app.get(
    '/api/controlled-substances',
    { schema: { tags, summary: 'Controlled-substance record of one lot: given, wasted, witnesses', querystring: LotQuery, response: { 200: ControlledSubstanceLot, ...errorResponses(400, 401, 403) } } },
    (request) => sessions.lotRecord(ctx, requireActor(request), request.query.lot, metaOf(request)),
  );

  // ---- vitals and alerts ----
  app.post(
    '/api/sessions/:id/vitals',
    { schema: { tags, summary: 'Add a batch of readings (idempotent; invalid readings rejected by index and field)', params: SessionParams, body: VitalsBatchBody, response: { 200: VitalsBatchResult, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => vitals.ingestVitals(ctx, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.get('/api/sessions/:id/vitals', { schema: { tags, summary: 'Readings in time order', params: SessionParams, response: { 200: VitalsList, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    vitals.listVitals(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.get('/api/sessions/:id/alerts', { schema: { tags, summary: 'Alerts of the session', params: SessionParams, response: { 200: AlertList, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    vitals.listSessionAlerts(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/alerts/:itemId/acknowledge',
    { schema: { tags, summary: 'Acknowledge an alert with the intervention taken', params: SessionItemParams, body: AcknowledgeBody, response: { 200: AlertView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => vitals.acknowledgeAlert(ctx, requireActor(request), request.params.id, request.params.itemId, request.body.intervention, metaOf(request)),
  );
  app.get(
    '/api/sessions/:id/stream',
    { schema: { tags, summary: 'Server-Sent Events: readings, alerts and state changes; resume with Last-Event-ID (or ?since=). Ends with `event: access-ended` when the caller\'s access ends (break-the-glass expiry, care team, sign-out).', params: SessionParams, querystring: StreamQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const meta = metaOf(request);
      const { session, grant } = await withSession(ctx, actor, request.params.id, 'read', meta, async (s, g) => ({ session: s, grant: g }), { stream: true });
      streamSession(ctx, request, reply, session, parseLastEventId(request, request.query), streamAccessFor(ctx, actor, session, grant, meta));
    },
  );

  // ---- discharge and notes ----
  app.put(
    '/api/sessions/:id/discharge-assessment',
    { schema: { tags, summary: 'Record the discharge checklist (Aldrete items, orientation, gait, escort)', params: SessionParams, body: DischargeAssessmentBody, response: { 200: SessionView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.saveDischargeAssessment(ctx, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.get('/api/sessions/:id/discharge', { schema: { tags, summary: 'Evaluate the discharge criteria now (no change)', params: SessionParams, response: { 200: DischargeView, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    sessions.previewDischarge(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.get('/api/sessions/:id/notes', { schema: { tags, summary: 'The therapist and experience record', params: SessionParams, response: { 200: SessionNoteView, ...errorResponses(400, 401, 403, 404) } } }, (request) =>
    sessions.getNote(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.put(
    '/api/sessions/:id/notes',
    { schema: { tags, summary: 'Save the draft record (refused once signed)', params: SessionParams, body: PutNoteBody, response: { 200: SessionNoteView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.saveNoteDraft(ctx, requireActor(request), request.params.id, request.body.content, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/notes/sign',
    { schema: { tags, summary: 'Sign the record: immutable from now on', params: SessionParams, response: { 200: SessionNoteView, ...errorResponses(400, 401, 403, 404, 409) } } },
    (request) => sessions.signNote(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/notes/addenda',
    { schema: { tags, summary: 'Add an addendum to the signed record', params: SessionParams, body: AddendumBody, response: { 201: SessionNoteView, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.status(201).send(await sessions.addNoteAddendum(ctx, requireActor(request), request.params.id, request.body.text, metaOf(request))),
  );

  // ---- post-session experience measure (optional) ----
  app.get(
    '/api/sessions/:id/post-session-measure',
    {
      schema: {
        tags,
        summary: 'The optional post-session experience measure: whether the protocol offers it, which instrument, and the responses linked to the session',
        params: SessionParams,
        response: { 200: PostSessionMeasureView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => postSession.getPostSessionMeasure(ctx, requireActor(request), request.params.id, metaOf(request)),
  );
  app.post(
    '/api/sessions/:id/post-session-measure/request',
    {
      schema: {
        tags,
        summary:
          'Ask the patient to answer the post-session measure in the portal (after the session: recovery or discharged). Answers, and paper entry, go through POST /api/patients/:id/responses with dosingSessionId.',
        params: SessionParams,
        response: { 200: PostSessionMeasureView, 201: PostSessionMeasureView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const r = await postSession.requestPostSessionMeasure(ctx, requireActor(request), request.params.id, metaOf(request));
      return reply.status(r.created ? 201 : 200).send(r.view);
    },
  );

  // ---- board ----
  app.get('/api/board', { schema: { tags, summary: 'Every active session of the clinic the caller may see', response: { 200: BoardView, ...errorResponses(401, 403) } } }, (request) =>
    board.getBoard(ctx, requireActor(request), metaOf(request)),
  );
  app.get('/api/board/stream', { schema: { tags, summary: 'The clinic board, live (Server-Sent Events)' } }, async (request, reply) => {
    await board.streamBoard(ctx, requireActor(request), request, reply, metaOf(request));
  });

  return {
    ctx,
    startJobs() {
      if (!stopJobs) stopJobs = vitals.startDosingJobs(ctx, app.log);
    },
  };
}
