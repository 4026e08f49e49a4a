import { Type } from '@sinclair/typebox';
import { IdParams } from '../../../core/schemas/common.schema';
import {
  ClinicListing,
  ClinicListingBody,
  ClinicPage,
  DirectorySearchQuery,
  DirectorySearchResult,
  ManagedProvider,
  ProviderProfile,
  ProviderProfileBody,
  UserIdParams,
} from '../../../core/schemas/directory.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as service from './directory.service';

export function directoryRoutes(app: App, deps: Deps): void {
  // ---- public: no account ----
  app.get(
    '/api/directory/providers',
    {
      schema: {
        tags: ['directory'],
        summary: 'Search listed clinicians: free text, filters, distance from a ZIP code or coordinates (public)',
        querystring: DirectorySearchQuery,
        response: { 200: DirectorySearchResult, ...errorResponses(400) },
      },
    },
    (request) => service.searchProviders(deps, request.query),
  );
  app.get(
    '/api/directory/providers/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'A listed clinician’s public profile with their clinic (public)',
        params: IdParams,
        response: { 200: ProviderProfile, ...errorResponses(400, 404) },
      },
    },
    (request) => service.getProvider(deps, request.params.id),
  );
  app.get(
    '/api/directory/clinics/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'A listed clinic with its listed clinicians (public)',
        params: IdParams,
        response: { 200: ClinicPage, ...errorResponses(400, 404) },
      },
    },
    (request) => service.getClinic(deps, request.params.id),
  );

  // ---- clinic admin: the caller's own clinic ----
  app.get(
    '/api/directory/manage/clinic',
    {
      schema: {
        tags: ['directory'],
        summary: 'Your clinic’s directory listing (clinic admin)',
        response: { 200: ClinicListing, ...errorResponses(401, 403, 404) },
      },
    },
    (request) => service.getClinicListing(deps, requireActor(request)),
  );
  app.put(
    '/api/directory/manage/clinic',
    {
      schema: {
        tags: ['directory'],
        summary: 'Create or replace your clinic’s directory listing (clinic admin)',
        body: ClinicListingBody,
        response: { 200: ClinicListing, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => service.putClinicListing(deps, requireActor(request), request.body, metaOf(request)),
  );
  app.get(
    '/api/directory/manage/providers',
    {
      schema: {
        tags: ['directory'],
        summary: 'Your clinicians and their directory profiles (clinic admin)',
        response: { 200: Type.Array(ManagedProvider), ...errorResponses(401, 403) },
      },
    },
    (request) => service.listManagedProviders(deps, requireActor(request)),
  );
  app.get(
    '/api/directory/manage/providers/:userId',
    {
      schema: {
        tags: ['directory'],
        summary: 'One clinician’s directory profile (clinic admin)',
        params: UserIdParams,
        response: { 200: ManagedProvider, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.getManagedProvider(deps, requireActor(request), request.params.userId),
  );
  app.put(
    '/api/directory/manage/providers/:userId',
    {
      schema: {
        tags: ['directory'],
        summary: 'Create or replace a clinician’s directory profile (clinic admin); a changed licence needs verifying again',
        params: UserIdParams,
        body: ProviderProfileBody,
        response: { 200: ManagedProvider, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.putProviderProfile(deps, requireActor(request), request.params.userId, request.body, metaOf(request)),
  );
  app.post(
    '/api/directory/manage/providers/:userId/licence-verification',
    {
      schema: {
        tags: ['directory'],
        summary: 'Record that the clinic verified this clinician’s licence today (clinic admin)',
        params: UserIdParams,
        response: { 200: ManagedProvider, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.setLicenceVerification(deps, requireActor(request), request.params.userId, true, metaOf(request)),
  );
  app.delete(
    '/api/directory/manage/providers/:userId/licence-verification',
    {
      schema: {
        tags: ['directory'],
        summary: 'Withdraw the licence verification (hides the clinician from search) (clinic admin)',
        params: UserIdParams,
        response: { 200: ManagedProvider, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.setLicenceVerification(deps, requireActor(request), request.params.userId, false, metaOf(request)),
  );
}
