import { Type } from '@sinclair/typebox';
import { IdParams } from '../../../core/schemas/common.schema';
import { CreateStaffBody, StaffMember, UpdateStaffBody } from '../../../core/schemas/staff.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as service from './staff.service';

export function staffRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/staff',
    { schema: { tags: ['staff'], summary: 'Staff of the caller’s clinic', response: { 200: Type.Array(StaffMember), ...errorResponses(401, 403) } } },
    (request) => service.listStaff(deps, requireActor(request)),
  );
  app.post(
    '/api/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account (clinic admin)',
        body: CreateStaffBody,
        response: { 201: StaffMember, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createStaff(deps, requireActor(request), request.body, metaOf(request))),
  );
  app.patch(
    '/api/staff/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'Rename, change role, activate or deactivate a staff account (clinic admin)',
        params: IdParams,
        body: UpdateStaffBody,
        response: { 200: StaffMember, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.updateStaff(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
}
