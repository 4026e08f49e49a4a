import type {
  AppointmentTypeBody,
  AppointmentTypePatchBody,
  BookingPolicyBody,
  HolidayBody,
  ResourceAvailability,
  RoomBody,
  RoomPatchBody,
  SchedulingSettings,
  SettingsResourceKind,
  TimeOffBody,
  WeeklyRule,
} from '../../core/schemas/scheduling-settings.schema';
import { api } from './client';

export type { ResourceAvailability, SchedulingSettings, SettingsResourceKind, WeeklyRule };

export const getSchedulingSettings = () => api<SchedulingSettings>('/api/scheduling/settings');
export const addRoom = (body: RoomBody) => api<SchedulingSettings>('/api/scheduling/rooms', { method: 'POST', body });
export const patchRoom = (id: string, body: RoomPatchBody) => api<SchedulingSettings>(`/api/scheduling/rooms/${id}`, { method: 'PATCH', body });
export const addAppointmentType = (body: AppointmentTypeBody) => api<SchedulingSettings>('/api/scheduling/appointment-types', { method: 'POST', body });
export const patchAppointmentType = (id: string, body: AppointmentTypePatchBody) =>
  api<SchedulingSettings>(`/api/scheduling/appointment-types/${id}`, { method: 'PATCH', body });
export const addHoliday = (body: HolidayBody) => api<SchedulingSettings>('/api/scheduling/holidays', { method: 'POST', body });
export const removeHoliday = (id: string) => api<SchedulingSettings>(`/api/scheduling/holidays/${id}`, { method: 'DELETE' });
export const putBookingPolicy = (body: BookingPolicyBody) => api<SchedulingSettings>('/api/scheduling/booking-policy', { method: 'PUT', body });

export const getResourceAvailability = (kind: SettingsResourceKind, id: string) =>
  api<ResourceAvailability>(`/api/scheduling/resources/${kind}/${id}/availability`);
export const putWeeklyRules = (kind: SettingsResourceKind, id: string, rules: WeeklyRule[]) =>
  api<ResourceAvailability>(`/api/scheduling/resources/${kind}/${id}/rules`, { method: 'PUT', body: { rules } });
export const addTimeOff = (kind: SettingsResourceKind, id: string, body: TimeOffBody) =>
  api<ResourceAvailability>(`/api/scheduling/resources/${kind}/${id}/time-off`, { method: 'POST', body });
export const removeTimeOff = (id: string) => api<ResourceAvailability>(`/api/scheduling/time-off/${id}`, { method: 'DELETE' });
