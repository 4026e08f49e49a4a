import { IdParams } from '../../../core/schemas/common.schema';
import {
  AppointmentTypeBody,
  AppointmentTypePatchBody,
  BookingPolicyBody,
  HolidayBody,
  ResourceAvailability,
  ResourceParams,
  RoomBody,
  RoomPatchBody,
  SchedulingSettings,
  TimeOffBody,
  WeeklyRulesBody,
} from '../../../core/schemas/scheduling-settings.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as settings from './scheduling-settings.service';

/** Scheduling settings: clinic-wide (admins write, staff read) and per resource (own hours for clinicians). */
export function schedulingSettingsRoutes(app: App, deps: Deps): void {
  const tags = ['scheduling-settings'];
  const write = { 200: SchedulingSettings, ...errorResponses(400, 401, 403, 404, 409) };
  const writeCreated = { 201: SchedulingSettings, ...errorResponses(400, 401, 403, 404, 409) };

  app.get(
    '/api/scheduling/settings',
    { schema: { tags, summary: 'Rooms and chairs, appointment types, holidays, booking policy (staff read)', response: { 200: SchedulingSettings, ...errorResponses(401, 403) } } },
    (request) => settings.getSettings(deps, requireActor(request)),
  );
  app.post(
    '/api/scheduling/rooms',
    { schema: { tags, summary: 'Add a room or chair (clinic admin)', body: RoomBody, response: writeCreated } },
    async (request, reply) => reply.status(201).send(await settings.createRoom(deps, requireActor(request), request.body, metaOf(request))),
  );
  app.patch(
    '/api/scheduling/rooms/:id',
    { schema: { tags, summary: 'Rename or (de)activate a room or chair (clinic admin)', params: IdParams, body: RoomPatchBody, response: write } },
    (request) => settings.updateRoom(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.post(
    '/api/scheduling/appointment-types',
    { schema: { tags, summary: 'Add an appointment type (clinic admin)', body: AppointmentTypeBody, response: writeCreated } },
    async (request, reply) => reply.status(201).send(await settings.createAppointmentType(deps, requireActor(request), request.body, metaOf(request))),
  );
  app.patch(
    '/api/scheduling/appointment-types/:id',
    {
      schema: {
        tags,
        summary: 'Change duration, buffers, step, resources, public booking or active of an appointment type (clinic admin)',
        params: IdParams,
        body: AppointmentTypePatchBody,
        response: write,
      },
    },
    (request) => settings.updateAppointmentType(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );
  app.post(
    '/api/scheduling/holidays',
    { schema: { tags, summary: 'Add a clinic holiday: nobody is bookable that local date (clinic admin)', body: HolidayBody, response: writeCreated } },
    async (request, reply) => reply.status(201).send(await settings.addHoliday(deps, requireActor(request), request.body, metaOf(request))),
  );
  app.delete(
    '/api/scheduling/holidays/:id',
    { schema: { tags, summary: 'Remove a clinic holiday (clinic admin)', params: IdParams, response: write } },
    (request) => settings.removeHoliday(deps, requireActor(request), request.params.id, metaOf(request)),
  );
  app.put(
    '/api/scheduling/booking-policy',
    { schema: { tags, summary: 'Booking horizon and minimum notice (clinic admin)', body: BookingPolicyBody, response: write } },
    (request) => settings.setBookingPolicy(deps, requireActor(request), request.body, metaOf(request)),
  );

  const resourceResponses = { 200: ResourceAvailability, ...errorResponses(400, 401, 403, 404) };
  app.get(
    '/api/scheduling/resources/:kind/:id/availability',
    { schema: { tags, summary: 'Weekly hours and upcoming time off of a clinician, nurse, room or chair (staff read)', params: ResourceParams, response: resourceResponses } },
    (request) => settings.getResourceAvailability(deps, requireActor(request), request.params.kind, request.params.id),
  );
  app.put(
    '/api/scheduling/resources/:kind/:id/rules',
    {
      schema: {
        tags,
        summary: 'Replace the weekly hours of a resource (clinic admin; clinicians their own). 400 names the overlapping or malformed rule',
        params: ResourceParams,
        body: WeeklyRulesBody,
        response: resourceResponses,
      },
    },
    (request) => settings.setWeeklyRules(deps, requireActor(request), request.params.kind, request.params.id, request.body, metaOf(request)),
  );
  app.post(
    '/api/scheduling/resources/:kind/:id/time-off',
    {
      schema: {
        tags,
        summary: 'Add time off (whole local days, or a time span) for a resource (clinic admin; clinicians their own)',
        params: ResourceParams,
        body: TimeOffBody,
        response: { 201: ResourceAvailability, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await settings.addTimeOff(deps, requireActor(request), request.params.kind, request.params.id, request.body, metaOf(request))),
  );
  app.delete(
    '/api/scheduling/time-off/:id',
    { schema: { tags, summary: 'Remove time off (clinic admin; clinicians their own)', params: IdParams, response: { 200: ResourceAvailability, ...errorResponses(400, 401, 403, 404) } } },
    (request) => settings.removeTimeOff(deps, requireActor(request), request.params.id, metaOf(request)),
  );
}
