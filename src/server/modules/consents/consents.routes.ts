import { Type } from '@sinclair/typebox';
import { IdParams } from '../../../core/schemas/common.schema';
import {
  ConsentDocument,
  ConsentDocumentList,
  ConsentKindSchema,
  ConsentSignature,
  CreateConsentDocumentBody,
  PatientConsents,
  SignatureParams,
  SignConsentBody,
  UpdateConsentDocumentBody,
} from '../../../core/schemas/intake.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as service from './consents.service';

const SignBody = Type.Composite([SignConsentBody, Type.Object({ textSha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })) })], {
  additionalProperties: false,
});

export function consentRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/consent-documents',
    {
      schema: {
        tags: ['consent'],
        summary: 'Consent documents: every version for admins, the published ones for everyone else',
        querystring: Type.Object({ kind: Type.Optional(ConsentKindSchema) }, { additionalProperties: false }),
        response: { 200: ConsentDocumentList, ...errorResponses(400, 401) },
      },
    },
    (request) => service.listConsentDocuments(deps, requireActor(request), request.query.kind),
  );

  app.post(
    '/api/consent-documents',
    {
      schema: {
        tags: ['consent'],
        summary: 'Start a new draft version of a consent document (clinic admin)',
        body: CreateConsentDocumentBody,
        response: { 201: ConsentDocument, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createConsentDraft(deps, requireActor(request), request.body, metaOf(request))),
  );

  app.patch(
    '/api/consent-documents/:id',
    {
      schema: {
        tags: ['consent'],
        summary: 'Edit a draft consent document (clinic admin); published versions never change',
        params: IdParams,
        body: UpdateConsentDocumentBody,
        response: { 200: ConsentDocument, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.updateConsentDraft(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );

  app.post(
    '/api/consent-documents/:id/publish',
    {
      schema: {
        tags: ['consent'],
        summary: 'Publish a draft: patients must sign the new version before their next dosing session',
        params: IdParams,
        response: { 200: ConsentDocument, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.publishConsentDocument(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.get(
    '/api/patients/:id/consents',
    {
      schema: {
        tags: ['consent'],
        summary: 'A patient’s consent status per document and signatures',
        params: IdParams,
        response: { 200: PatientConsents, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.getPatientConsents(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.post(
    '/api/patients/:id/consents',
    {
      schema: {
        tags: ['consent'],
        summary: 'Sign the current version of a consent document (the patient, in the portal)',
        params: IdParams,
        body: SignBody,
        response: { 201: ConsentSignature, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.signConsent(deps, requireActor(request), request.params.id, request.body, metaOf(request))),
  );

  app.get(
    '/api/patients/:id/consents/:signatureId/pdf',
    {
      schema: {
        tags: ['consent'],
        summary: 'The signed consent as a PDF',
        params: SignatureParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await service.getConsentPdf(deps, requireActor(request), request.params.id, request.params.signatureId, metaOf(request));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
}
