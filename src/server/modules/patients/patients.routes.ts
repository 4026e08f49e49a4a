import { Type } from '@sinclair/typebox';
import { IdParams } from '../../../core/schemas/common.schema';
import {
  BreakGlassBody,
  BreakGlassGrant,
  CareTeamBody,
  CreatePatientBody,
  Patient,
  PatientList,
  PatientListQuery,
  PatientLookupQuery,
  PatientSummary,
  UpdatePatientBody,
} from '../../../core/schemas/patient.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import { breakTheGlass } from '../access/patient-access';
import * as service from './patients.service';

export function patientRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Search patients the caller may see (by name and/or date of birth)',
        querystring: PatientListQuery,
        response: { 200: PatientList, ...errorResponses(400, 401) },
      },
    },
    (request) => service.listPatients(deps, requireActor(request), request.query, metaOf(request)),
  );

  app.get(
    '/api/patients/lookup',
    {
      schema: {
        tags: ['patients'],
        summary: 'Emergency lookup of a patient outside your care team (name fragment + exact date of birth), before breaking the glass',
        querystring: PatientLookupQuery,
        response: { 200: Type.Object({ items: Type.Array(PatientSummary) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await service.lookupPatientsForBreakGlass(deps, requireActor(request), request.query, metaOf(request)) }),
  );

  app.post(
    '/api/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Register a patient (staff)',
        body: CreatePatientBody,
        response: { 201: Patient, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const patient = await service.createPatient(deps, requireActor(request), request.body, metaOf(request));
      return reply.status(201).send(patient);
    },
  );

  app.get(
    '/api/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'A patient’s demographics and care team',
        params: IdParams,
        response: { 200: Patient, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.getPatient(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.patch(
    '/api/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Change a patient’s demographics',
        params: IdParams,
        body: UpdatePatientBody,
        response: { 200: Patient, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.updatePatient(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );

  app.put(
    '/api/patients/:id/care-team',
    {
      schema: {
        tags: ['patients'],
        summary: 'Replace a patient’s care team (clinic admin)',
        params: IdParams,
        body: CareTeamBody,
        response: { 200: Patient, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.setCareTeam(deps, requireActor(request), request.params.id, request.body.userIds, metaOf(request)),
  );

  app.post(
    '/api/patients/:id/break-glass',
    {
      schema: {
        tags: ['patients'],
        summary: 'Emergency access to a patient outside your care team, with a reason (audited, time-boxed)',
        params: IdParams,
        body: BreakGlassBody,
        response: { 201: BreakGlassGrant, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const grant = await breakTheGlass(deps, requireActor(request), request.params.id, request.body.reason, metaOf(request));
      return reply.status(201).send(grant);
    },
  );
}
