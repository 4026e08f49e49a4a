import type { Static } from '@sinclair/typebox';
import type {
  AlertList,
  ClinicianReview,
  ConsentDocument,
  ConsentSignature,
  EligibilityDecisionDto,
  Goal,
  GoalList,
  ImportedInstrumentList,
  PatientConsents,
  Questionnaire,
  QuestionnaireList,
  RecordEligibilityBody,
  ResponseList,
  SafetyAlert,
  CreateGoalBody,
  UpdateGoalBody,
  SubmitResponseResult,
} from '../../core/schemas/intake.schema';
import { api } from './client';

export type { ClinicianReview, ConsentDocument, ConsentSignature, EligibilityDecisionDto, Goal, PatientConsents, Questionnaire, SafetyAlert, SubmitResponseResult };
export type StoredResponses = Static<typeof ResponseList>;
export type Answers = Record<string, string | number | (string | number)[] | null>;

export const listQuestionnaires = () => api<QuestionnaireList>('/api/questionnaires');
export const listResponses = (patientId: string, query: { status?: 'in_progress' | 'submitted'; instrument?: string } = {}) =>
  api<StoredResponses>(`/api/patients/${patientId}/responses`, { query });
export const submitResponse = (
  patientId: string,
  body: { instrument: string; answers: Answers; complete: boolean; responseId?: string; entryMode?: 'paper' | 'staff'; administeredOn?: string; dosingSessionId?: string },
) => api<SubmitResponseResult>(`/api/patients/${patientId}/responses`, { method: 'POST', body });

export const listAlerts = (status: 'open' | 'acknowledged' | 'all' = 'open') => api<AlertList>('/api/alerts', { query: { status } });
export const acknowledgeAlert = (id: string, followUp: string) => api<SafetyAlert>(`/api/alerts/${id}/acknowledge`, { method: 'POST', body: { followUp } });

export const getReview = (patientId: string) => api<ClinicianReview>(`/api/patients/${patientId}/review`);
export const recordEligibility = (patientId: string, body: RecordEligibilityBody) =>
  api<EligibilityDecisionDto>(`/api/patients/${patientId}/eligibility`, { method: 'POST', body });
export const addAddendum = (patientId: string, decisionId: string, text: string) =>
  api<EligibilityDecisionDto>(`/api/patients/${patientId}/eligibility/${decisionId}/addenda`, { method: 'POST', body: { text } });

export const getConsents = (patientId: string) => api<PatientConsents>(`/api/patients/${patientId}/consents`);
export const signConsent = (patientId: string, body: { documentId: string; typedName: string; agree: true; textSha256: string }) =>
  api<ConsentSignature>(`/api/patients/${patientId}/consents`, { method: 'POST', body });
export const listConsentDocuments = () => api<{ items: ConsentDocument[] }>('/api/consent-documents');
export const createConsentDraft = (body: { kind: string; title: string; body: string }) => api<ConsentDocument>('/api/consent-documents', { method: 'POST', body });
export const updateConsentDraft = (id: string, body: { title?: string; body?: string }) => api<ConsentDocument>(`/api/consent-documents/${id}`, { method: 'PATCH', body });
export const publishConsentDocument = (id: string) => api<ConsentDocument>(`/api/consent-documents/${id}/publish`, { method: 'POST' });

export const listGoals = (patientId: string) => api<GoalList>(`/api/patients/${patientId}/goals`);
export const createGoal = (patientId: string, body: CreateGoalBody) => api<Goal>(`/api/patients/${patientId}/goals`, { method: 'POST', body });
export const updateGoal = (patientId: string, goalId: string, body: UpdateGoalBody) =>
  api<Goal>(`/api/patients/${patientId}/goals/${goalId}`, { method: 'PATCH', body });

export const listImportedInstruments = () => api<Static<typeof ImportedInstrumentList>>('/api/questionnaires/imported');
export const importInstrument = (definition: unknown) => api<Questionnaire>('/api/questionnaires', { method: 'POST', body: { definition } });

export interface RuleSummary {
  id: string;
  title: string;
  level: 'absolute' | 'relative' | 'informational';
  category: string;
  enabled: boolean;
  reason: string;
  source: { citation: string; status: string };
  [key: string]: unknown;
}
export interface IntakeSettingsDto {
  alertEscalationMinutes: number;
  eligibilityValidDays: number | null;
  contraindicationRules: RuleSummary[];
  usingDefaultRules: boolean;
}
export const getIntakeSettings = () => api<IntakeSettingsDto>('/api/intake/settings');
export const updateIntakeSettings = (body: { alertEscalationMinutes?: number; eligibilityValidDays?: number | null; contraindicationRules?: RuleSummary[] | null }) =>
  api<IntakeSettingsDto>('/api/intake/settings', { method: 'PATCH', body });
