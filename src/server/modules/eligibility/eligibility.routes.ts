import { IdParams } from '../../../core/schemas/common.schema';
import {
  AddendumBody,
  ClinicianReview,
  DecisionParams,
  EligibilityDecisionDto,
  EligibilityView,
  RecordEligibilityBody,
} from '../../../core/schemas/intake.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as service from './eligibility.service';
import { getClinicianReview } from './review.service';

export function eligibilityRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/patients/:id/eligibility',
    {
      schema: {
        tags: ['eligibility'],
        summary: 'Eligibility decisions (signed, with addenda), the current one, and flags evaluated now',
        params: IdParams,
        response: { 200: EligibilityView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.getEligibility(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.post(
    '/api/patients/:id/eligibility',
    {
      schema: {
        tags: ['eligibility'],
        summary: 'Sign an eligibility decision (prescriber); supersedes the previous one',
        params: IdParams,
        body: RecordEligibilityBody,
        response: { 201: EligibilityDecisionDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.recordEligibility(deps, requireActor(request), request.params.id, request.body, metaOf(request))),
  );

  app.post(
    '/api/patients/:id/eligibility/:decisionId/addenda',
    {
      schema: {
        tags: ['eligibility'],
        summary: 'Add an addendum to a signed eligibility decision (the decision itself never changes)',
        params: DecisionParams,
        body: AddendumBody,
        response: { 201: EligibilityDecisionDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.addAddendum(deps, requireActor(request), request.params.id, request.params.decisionId, request.body, metaOf(request))),
  );

  app.get(
    '/api/patients/:id/review',
    {
      schema: {
        tags: ['eligibility'],
        summary: 'Clinician review: history, scores with bands, flags, open alerts, eligibility, consents, goals',
        params: IdParams,
        response: { 200: ClinicianReview, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => getClinicianReview(deps, requireActor(request), request.params.id, metaOf(request)),
  );
}
