import type {
  ClinicListing,
  ClinicListingBody,
  ClinicPage,
  DirectorySearchResult,
  ManagedProvider,
  ProviderProfile,
  ProviderProfileBody,
} from '../../core/schemas/directory.schema';
import { api } from './client';

export type { ClinicListing, ClinicListingBody, ClinicPage, DirectorySearchResult, ManagedProvider, ProviderProfile, ProviderProfileBody };
export type { ProviderCard } from '../../core/schemas/directory.schema';

/** Search parameters exactly as they appear in the page URL (and the API query). */
export function searchProviders(params: URLSearchParams, signal?: AbortSignal): Promise<DirectorySearchResult> {
  const qs = params.toString();
  return api<DirectorySearchResult>(`/api/directory/providers${qs ? `?${qs}` : ''}`, signal ? { signal } : {});
}

export const getProvider = (id: string) => api<ProviderProfile>(`/api/directory/providers/${encodeURIComponent(id)}`);
export const getClinic = (id: string) => api<ClinicPage>(`/api/directory/clinics/${encodeURIComponent(id)}`);

export const getClinicListing = () => api<ClinicListing>('/api/directory/manage/clinic');
export const putClinicListing = (body: ClinicListingBody) => api<ClinicListing>('/api/directory/manage/clinic', { method: 'PUT', body });
export const listManagedProviders = () => api<ManagedProvider[]>('/api/directory/manage/providers');
export const getManagedProvider = (userId: string) => api<ManagedProvider>(`/api/directory/manage/providers/${encodeURIComponent(userId)}`);
export const putProviderProfile = (userId: string, body: ProviderProfileBody) =>
  api<ManagedProvider>(`/api/directory/manage/providers/${encodeURIComponent(userId)}`, { method: 'PUT', body });
export const setLicenceVerified = (userId: string, verified: boolean) =>
  api<ManagedProvider>(`/api/directory/manage/providers/${encodeURIComponent(userId)}/licence-verification`, { method: verified ? 'POST' : 'DELETE' });

export const consultationLinkForClinician = (userId: string) => `/consult/book?clinicianId=${encodeURIComponent(userId)}`;
export const consultationLinkForClinic = (organizationId: string) => `/consult/book?organizationId=${encodeURIComponent(organizationId)}`;
