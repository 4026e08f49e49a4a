import { IdParams } from '../../../core/schemas/common.schema';
import { CreateGoalBody, Goal, GoalList, GoalParams, PatchGoalsBody, UpdateGoalBody } from '../../../core/schemas/intake.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as service from './goals.service';

export function goalRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/patients/:id/goals',
    {
      schema: {
        tags: ['goals'],
        summary: 'Treatment goals, with progress for goals tied to a measure',
        params: IdParams,
        response: { 200: GoalList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.listGoals(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.post(
    '/api/patients/:id/goals',
    {
      schema: {
        tags: ['goals'],
        summary: 'Set a goal (the patient, or a clinician on the care team)',
        params: IdParams,
        body: CreateGoalBody,
        response: { 201: Goal, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createGoal(deps, requireActor(request), request.params.id, request.body, metaOf(request))),
  );

  app.patch(
    '/api/patients/:id/goals',
    {
      schema: {
        tags: ['goals'],
        summary: 'Update a goal (its id in the body)',
        params: IdParams,
        body: PatchGoalsBody,
        response: { 200: Goal, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => {
      const { id: goalId, ...changes } = request.body;
      return service.updateGoal(deps, requireActor(request), request.params.id, goalId, changes, metaOf(request));
    },
  );

  app.patch(
    '/api/patients/:id/goals/:goalId',
    {
      schema: {
        tags: ['goals'],
        summary: 'Update a goal',
        params: GoalParams,
        body: UpdateGoalBody,
        response: { 200: Goal, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.updateGoal(deps, requireActor(request), request.params.id, request.params.goalId, request.body, metaOf(request)),
  );
}
