import type { Static } from '@sinclair/typebox';
import type { AuditPage, AuditQuery } from '../../core/schemas/audit.schema';
import type { LoginBody, Me } from '../../core/schemas/auth.schema';
import type { MailboxItem, MailboxMessage } from '../../core/schemas/mailbox.schema';
import type {
  BreakGlassGrant,
  CreatePatientBody,
  Patient,
  PatientList,
  PatientListQuery,
  PatientSummary,
  UpdatePatientBody,
} from '../../core/schemas/patient.schema';
import type { CreateStaffBody, StaffMember, UpdateStaffBody } from '../../core/schemas/staff.schema';
import { api, ApiError } from './client';

export type PatientListResult = Static<typeof PatientList>;
export type AuditPageResult = Static<typeof AuditPage>;
export type BreakGlassGrantResult = Static<typeof BreakGlassGrant>;
export interface Mailbox {
  smtpConfigured: boolean;
  items: MailboxItem[];
}
export type { Me, Patient, StaffMember, MailboxItem, MailboxMessage };

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('/api/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const signIn = (body: LoginBody) => api<Me>('/api/auth/login', { method: 'POST', body });
export const signOut = () => api<{ ok: true }>('/api/auth/logout', { method: 'POST' });

export const listPatients = (query: PatientListQuery) =>
  api<PatientListResult>('/api/patients', { query: { ...query } as Record<string, string | number | undefined> });
export const lookupPatientsForBreakGlass = (query: { q: string; dob: string }) =>
  api<{ items: PatientSummary[] }>('/api/patients/lookup', { query });
export const getPatient = (id: string) => api<Patient>(`/api/patients/${encodeURIComponent(id)}`);
export const createPatient = (body: CreatePatientBody) => api<Patient>('/api/patients', { method: 'POST', body });
export const updatePatient = (id: string, body: UpdatePatientBody) =>
  api<Patient>(`/api/patients/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const setCareTeam = (id: string, userIds: string[]) =>
  api<Patient>(`/api/patients/${encodeURIComponent(id)}/care-team`, { method: 'PUT', body: { userIds } });
export const breakGlass = (id: string, reason: string) =>
  api<BreakGlassGrantResult>(`/api/patients/${encodeURIComponent(id)}/break-glass`, { method: 'POST', body: { reason } });

export const listStaff = () => api<StaffMember[]>('/api/staff');
export const createStaff = (body: CreateStaffBody) => api<StaffMember>('/api/staff', { method: 'POST', body });
export const updateStaff = (id: string, body: UpdateStaffBody) =>
  api<StaffMember>(`/api/staff/${encodeURIComponent(id)}`, { method: 'PATCH', body });

export const listAudit = (query: AuditQuery) =>
  api<AuditPageResult>('/api/audit', { query: { ...query } as Record<string, string | number | undefined> });

export const getMailbox = () => api<Mailbox>('/api/admin/mailbox');
export const getMailboxMessage = (id: string) => api<MailboxMessage>(`/api/admin/mailbox/${encodeURIComponent(id)}`);
