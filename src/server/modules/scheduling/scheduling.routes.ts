import { Type } from '@sinclair/typebox';
import { IdParams, IsoDate } from '../../../core/schemas/common.schema';
import {
  AcceptedInvitation,
  AcceptInvitationBody,
  Appointment,
  AppointmentList,
  AppointmentListQuery,
  AvailabilityQuery,
  AvailabilityResponse,
  BookConsultationBody,
  BookedConsultation,
  CalendarFeedStatus,
  ConsultationList,
  ConsultationListQuery,
  ConsultationNoteBody,
  ConsultationRequest,
  ConvertConsultationBody,
  ConvertResult,
  CreateAppointmentBody,
  DuplicatePatientBody,
  InvitationInfo,
  InvitationTokenParams,
  ManageCancelBody,
  ManagedBooking,
  ManageRescheduleBody,
  ManageTokenQuery,
  PublicAvailabilityQuery,
  PublicAvailabilityResponse,
  SchedulingSetup,
  SlotTakenBody,
  UpdateAppointmentBody,
  UpdateConsultationBody,
} from '../../../core/schemas/scheduling.schema';
import type { Deps } from '../../deps';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import * as appointments from './appointments.service';
import { getAvailability } from './availability.service';
import * as feeds from './calendar-feed.service';
import * as consultations from './consultations.service';
import { DuplicatePatientError, SlotTakenError } from './consultations.service';
import * as invitations from './invitations.service';

const slotTaken = (e: SlotTakenError) => ({ error: { code: e.code, message: e.message, field: 'start' }, nextSlots: e.nextSlots });

export function schedulingRoutes(app: App, deps: Deps): void {
  // ---- availability ----
  app.get(
    '/api/availability',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Open slots for an appointment type (staff), as ISO instants with the clinic’s offset',
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityResponse, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => getAvailability(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/public/consultations/availability',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Open free-consultation slots of a clinician or a clinic (no account)',
        querystring: PublicAvailabilityQuery,
        response: { 200: PublicAvailabilityResponse, ...errorResponses(400) },
      },
    },
    (request) => consultations.getPublicAvailability(deps, request.query),
  );

  // ---- public booking and the signed manage link ----
  app.post(
    '/api/consultations',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Book a free consultation (no account); 409 with the next open slots when the slot is gone',
        body: BookConsultationBody,
        response: { 201: BookedConsultation, 409: SlotTakenBody, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      try {
        const booked = await consultations.bookConsultation(deps, request.body, metaOf(request));
        return reply.status(201).send(booked);
      } catch (error) {
        if (error instanceof SlotTakenError) return reply.status(409).send(slotTaken(error));
        throw error;
      }
    },
  );

  app.get(
    '/api/consultations/manage',
    {
      schema: {
        tags: ['consultations'],
        summary: 'The booking a signed manage link points to',
        querystring: ManageTokenQuery,
        response: { 200: ManagedBooking, ...errorResponses(400, 404) },
      },
    },
    (request) => consultations.getManagedBooking(deps, request.query.token),
  );

  app.post(
    '/api/consultations/manage/cancel',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Cancel a booked consultation with the signed link',
        body: ManageCancelBody,
        response: { 200: ManagedBooking, ...errorResponses(400, 404, 409) },
      },
    },
    (request) => consultations.cancelManagedBooking(deps, request.body.token, request.body.reason, metaOf(request)),
  );

  app.post(
    '/api/consultations/manage/reschedule',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Move a booked consultation to another open slot with the signed link',
        body: ManageRescheduleBody,
        response: { 200: ManagedBooking, 409: SlotTakenBody, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      try {
        return await consultations.rescheduleManagedBooking(deps, request.body.token, request.body.start, metaOf(request));
      } catch (error) {
        if (error instanceof SlotTakenError) return reply.status(409).send(slotTaken(error));
        throw error;
      }
    },
  );

  // ---- staff consultation inbox ----
  app.get(
    '/api/consultations',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Consultation inbox (staff), newest first, filterable by status',
        querystring: ConsultationListQuery,
        response: { 200: ConsultationList, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => consultations.listConsultations(deps, requireActor(request), request.query, metaOf(request)),
  );

  app.get(
    '/api/consultations/:id',
    {
      schema: {
        tags: ['consultations'],
        summary: 'One consultation request with notes and its appointment',
        params: IdParams,
        response: { 200: ConsultationRequest, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => consultations.getConsultation(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.patch(
    '/api/consultations/:id',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Change a consultation request’s status',
        params: IdParams,
        body: UpdateConsultationBody,
        response: { 200: ConsultationRequest, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => consultations.setConsultationStatus(deps, requireActor(request), request.params.id, request.body.status, metaOf(request)),
  );

  app.post(
    '/api/consultations/:id/notes',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Add a staff note to a consultation request',
        params: IdParams,
        body: ConsultationNoteBody,
        response: { 201: ConsultationRequest, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const dto = await consultations.addConsultationNote(deps, requireActor(request), request.params.id, request.body.body, metaOf(request));
      return reply.status(201).send(dto);
    },
  );

  app.get(
    '/api/consultations/:id/matches',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Existing patients with the request’s email and this date of birth (checked before converting)',
        params: IdParams,
        querystring: Type.Object({ dateOfBirth: IsoDate }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            matches: Type.Array(
              Type.Object({ id: Type.String(), legalGivenName: Type.String(), legalFamilyName: Type.String(), dateOfBirth: Type.String() }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    (request) => consultations.findConsultationMatches(deps, requireActor(request), request.params.id, request.query.dateOfBirth, metaOf(request)),
  );

  app.post(
    '/api/consultations/:id/convert',
    {
      schema: {
        tags: ['consultations'],
        summary: 'Convert a request into a patient (dedupe on email + date of birth), assign the care team, email a portal invitation',
        params: IdParams,
        body: ConvertConsultationBody,
        response: { 201: ConvertResult, 409: DuplicatePatientBody, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      try {
        const result = await consultations.convertConsultation(deps, requireActor(request), request.params.id, request.body, metaOf(request));
        return reply.status(201).send(result);
      } catch (error) {
        if (error instanceof DuplicatePatientError) {
          return reply
            .status(409)
            .send({ error: { code: error.code, message: error.message, field: 'dateOfBirth' }, existingPatient: error.existingPatient });
        }
        throw error;
      }
    },
  );

  // ---- invitations ----
  app.get(
    '/api/invitations/:token',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Who a portal invitation is for (no account)',
        params: InvitationTokenParams,
        response: { 200: InvitationInfo, ...errorResponses(400, 404, 409) },
      },
    },
    (request) => invitations.getInvitation(deps, request.params.token),
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Accept a portal invitation: set a password and create the patient account (single use)',
        body: AcceptInvitationBody,
        response: { 201: AcceptedInvitation, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await invitations.acceptInvitation(deps, request.body.token, request.body.password, metaOf(request));
      return reply.status(201).send(result);
    },
  );

  // ---- appointments ----
  app.get(
    '/api/scheduling/setup',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Appointment types, rooms and chairs, clinicians and booking policy of the caller’s clinic',
        response: { 200: SchedulingSetup, ...errorResponses(401, 403) },
      },
    },
    (request) => appointments.getSetup(deps, requireActor(request)),
  );

  app.get(
    '/api/appointments',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Appointments between two instants, by clinician or room (patients: their own)',
        querystring: AppointmentListQuery,
        response: { 200: AppointmentList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => appointments.listAppointments(deps, requireActor(request), request.query, metaOf(request)),
  );

  app.post(
    '/api/appointments',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Book an appointment (staff); 409 naming the conflicting appointment',
        body: CreateAppointmentBody,
        response: { 201: Appointment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const appt = await appointments.createAppointment(deps, requireActor(request), request.body, metaOf(request));
      return reply.status(201).send(appt);
    },
  );

  app.get(
    '/api/appointments/:id',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'One appointment',
        params: IdParams,
        response: { 200: Appointment, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => appointments.getAppointment(deps, requireActor(request), request.params.id, metaOf(request)),
  );

  app.patch(
    '/api/appointments/:id',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Move, cancel (with reason) or change the status of an appointment',
        params: IdParams,
        body: UpdateAppointmentBody,
        response: { 200: Appointment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => appointments.updateAppointment(deps, requireActor(request), request.params.id, request.body, metaOf(request)),
  );

  // ---- private calendar feed ----
  app.get(
    '/api/calendar-feed',
    { schema: { tags: ['scheduling'], summary: 'Whether the caller has a private calendar feed', response: { 200: CalendarFeedStatus, ...errorResponses(401, 403) } } },
    (request) => feeds.getFeedStatus(deps, requireActor(request)),
  );
  app.post(
    '/api/calendar-feed',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Create (or replace) the caller’s private .ics feed URL; shown once',
        response: { 201: CalendarFeedStatus, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await feeds.createFeed(deps, requireActor(request), metaOf(request))),
  );
  app.delete(
    '/api/calendar-feed',
    {
      schema: { tags: ['scheduling'], summary: 'Revoke the caller’s private calendar feed', response: { 200: CalendarFeedStatus, ...errorResponses(401, 403) } },
    },
    (request) => feeds.revokeFeed(deps, requireActor(request), metaOf(request)),
  );
  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'A clinician’s private iCalendar feed: /api/calendar/<token>.ics',
        params: Type.Object({ file: Type.String({ maxLength: 120 }) }, { additionalProperties: false }),
        response: { 404: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const file = request.params.file;
      const body = file.endsWith('.ics') ? await feeds.renderFeed(deps, file.slice(0, -4)) : null;
      if (body === null) return reply.status(404).send({ error: { code: 'not_found', message: 'No such calendar feed' } });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline; filename="threshold.ics"')
        .send(body);
    },
  );
}
