import type {
  Appointment,
  AppointmentList,
  AvailabilityResponse,
  BookConsultationBody,
  BookedConsultation,
  CalendarFeedStatus,
  ConsultationRequest,
  ConsultationStatus,
  ConvertConsultationBody,
  CreateAppointmentBody,
  ManagedBooking,
  PublicAvailabilityResponse,
  SchedulingSetup,
  Slot,
  UpdateAppointmentBody,
} from '../../core/schemas/scheduling.schema';
import { api } from './client';

export type {
  Appointment,
  AppointmentList,
  BookedConsultation,
  CalendarFeedStatus,
  ConsultationRequest,
  ConsultationStatus,
  ManagedBooking,
  PublicAvailabilityResponse,
  SchedulingSetup,
  Slot,
};

export const getPublicAvailability = (q: { clinicianId?: string | null; organizationId?: string | null; from?: string; to?: string }) =>
  api<PublicAvailabilityResponse>('/api/public/consultations/availability', { query: q });
export const bookConsultation = (body: BookConsultationBody) => api<BookedConsultation>('/api/consultations', { method: 'POST', body });
export const getManagedBooking = (token: string) => api<ManagedBooking>('/api/consultations/manage', { query: { token } });
export const cancelManagedBooking = (token: string, reason?: string) =>
  api<ManagedBooking>('/api/consultations/manage/cancel', { method: 'POST', body: { token, ...(reason ? { reason } : {}) } });
export const rescheduleManagedBooking = (token: string, start: string) =>
  api<ManagedBooking>('/api/consultations/manage/reschedule', { method: 'POST', body: { token, start } });

export const listConsultations = (status?: ConsultationStatus) =>
  api<{ items: ConsultationRequest[]; total: number }>('/api/consultations', { query: { status } });
export const getConsultation = (id: string) => api<ConsultationRequest>(`/api/consultations/${encodeURIComponent(id)}`);
export const setConsultationStatus = (id: string, status: ConsultationStatus) =>
  api<ConsultationRequest>(`/api/consultations/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status } });
export const addConsultationNote = (id: string, body: string) =>
  api<ConsultationRequest>(`/api/consultations/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { body } });
export const convertConsultation = (id: string, body: ConvertConsultationBody) =>
  api<{ patientId: string; created: boolean; invitationSentTo: string | null }>(`/api/consultations/${encodeURIComponent(id)}/convert`, {
    method: 'POST',
    body,
  });

export const findConsultationMatches = (id: string, dateOfBirth: string) =>
  api<{ matches: { id: string; legalGivenName: string; legalFamilyName: string; dateOfBirth: string }[] }>(
    `/api/consultations/${encodeURIComponent(id)}/matches`,
    { query: { dateOfBirth } },
  );
export const getInvitation = (token: string) =>
  api<{ email: string; givenName: string; clinicName: string; expiresAt: string }>(`/api/invitations/${encodeURIComponent(token)}`);
export const acceptInvitation = (token: string, password: string) =>
  api<{ email: string }>('/api/invitations/accept', { method: 'POST', body: { token, password } });

export const getSchedulingSetup = () => api<SchedulingSetup>('/api/scheduling/setup');
export const listAppointments = (q: { from: string; to: string; clinicianId?: string; roomId?: string; includeCancelled?: boolean }) =>
  api<AppointmentList>('/api/appointments', { query: { ...q, includeCancelled: q.includeCancelled ? 'true' : undefined } });
export const createAppointment = (body: CreateAppointmentBody) => api<Appointment>('/api/appointments', { method: 'POST', body });
export const updateAppointment = (id: string, body: UpdateAppointmentBody) =>
  api<Appointment>(`/api/appointments/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const getAvailability = (q: { appointmentType: string; clinicianId?: string; from: string; to: string }) =>
  api<AvailabilityResponse>('/api/availability', { query: q });

export const getFeedStatus = () => api<CalendarFeedStatus>('/api/calendar-feed');
export const createFeed = () => api<CalendarFeedStatus>('/api/calendar-feed', { method: 'POST' });
export const revokeFeed = () => api<CalendarFeedStatus>('/api/calendar-feed', { method: 'DELETE' });
