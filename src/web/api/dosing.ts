import type { Static } from '@sinclair/typebox';
import type { GateDecision } from '../../core/dosing/check-in-gate';
import type { DoseCalculation } from '../../core/dosing/calculate-dose';
import type {
  AlertView,
  BoardView,
  DischargeAssessmentBody,
  DischargeView,
  DoseRequestBody,
  ProtocolView,
  SessionNoteContent,
  SessionNoteView,
  SessionView,
  TransitionDecisionView,
  VitalReadingView,
  VitalsBatchResult,
} from '../../core/schemas/dosing.schema';
import type { PostSessionMeasureView } from '../../core/schemas/post-session.schema';
import { api } from './client';

export type { AlertView, BoardView, SessionView, VitalReadingView, SessionNoteView, SessionNoteContent, ProtocolView, DoseCalculation, GateDecision };
export type DischargePreview = Static<typeof DischargeView>;
export type TransitionDecision = Static<typeof TransitionDecisionView>;

const s = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export type { PostSessionMeasureView };
export const getPostSessionMeasure = (id: string) => api<PostSessionMeasureView>(`${s(id)}/post-session-measure`);
export const requestPostSessionMeasure = (id: string) => api<PostSessionMeasureView>(`${s(id)}/post-session-measure/request`, { method: 'POST' });

export const getBoard = () => api<BoardView>('/api/board');
export const openSession = (appointmentId: string) => api<SessionView>('/api/sessions', { method: 'POST', body: { appointmentId } });
export const getSession = (id: string) => api<SessionView>(s(id));
export const putCheckInFacts = (id: string, body: Record<string, unknown>) => api<SessionView>(`${s(id)}/check-in-facts`, { method: 'PUT', body });
export const getCheckInGate = (id: string) => api<GateDecision>(`${s(id)}/check-in-gate`);
/**
 * A transition answers 200 with the session, or 409 with the pure rules' decision (the
 * blocking reasons, and whether a prescriber may override): both are results, not errors.
 */
export async function transition(
  id: string,
  to: string,
  reason: string | undefined,
  csrfToken: string,
): Promise<{ ok: true; session: SessionView; decision: TransitionDecision } | { ok: false; decision: TransitionDecision | null; message: string }> {
  const res = await fetch(`${s(id)}/transition`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(reason ? { to, reason } : { to }),
  });
  const json = (await res.json().catch(() => null)) as
    | { session?: SessionView; decision?: TransitionDecision; error?: { message?: string } }
    | null;
  if (res.ok && json?.session && json.decision) return { ok: true, session: json.session, decision: json.decision };
  return { ok: false, decision: json?.decision ?? null, message: json?.error?.message ?? `The server answered ${res.status}` };
}
export const calculateDose = (id: string, body: DoseRequestBody) => api<DoseCalculation>(`${s(id)}/dose-calculation`, { method: 'POST', body });
export const orderDose = (id: string, body: DoseRequestBody) => api<SessionView>(`${s(id)}/dose-orders`, { method: 'POST', body });
export const verifyDose = (id: string, orderId: string) => api<SessionView>(`${s(id)}/dose-orders/${encodeURIComponent(orderId)}/verify`, { method: 'POST' });
export const recordAdministration = (id: string, body: { idempotencyKey: string; doseOrderId: string; lot: string; expiry: string; startedAt: string; endedAt?: string }) =>
  api<SessionView>(`${s(id)}/administrations`, { method: 'POST', body });
export const endAdministration = (id: string, adminId: string, endedAt: string) =>
  api<SessionView>(`${s(id)}/administrations/${encodeURIComponent(adminId)}/end`, { method: 'POST', body: { endedAt } });
export const postVitals = (id: string, readings: Record<string, unknown>[], source: 'manual' | 'device' = 'manual') =>
  api<VitalsBatchResult>(`${s(id)}/vitals`, { method: 'POST', body: { idempotencyKey: crypto.randomUUID(), source, readings } });
export const getVitals = (id: string) => api<{ items: VitalReadingView[]; eventSeq: number }>(`${s(id)}/vitals`);
export const getAlerts = (id: string) => api<{ items: AlertView[] }>(`${s(id)}/alerts`);
export const acknowledgeAlert = (sessionId: string, alertId: string, intervention: string) =>
  api<AlertView>(`${s(sessionId)}/alerts/${encodeURIComponent(alertId)}/acknowledge`, { method: 'POST', body: { intervention } });
export const getNotes = (id: string) => api<SessionNoteView>(`${s(id)}/notes`);
export const saveNotes = (id: string, content: SessionNoteContent) => api<SessionNoteView>(`${s(id)}/notes`, { method: 'PUT', body: { content } });
export const signNotes = (id: string) => api<SessionNoteView>(`${s(id)}/notes/sign`, { method: 'POST' });
export const addNoteAddendum = (id: string, text: string) => api<SessionNoteView>(`${s(id)}/notes/addenda`, { method: 'POST', body: { text } });
export const saveDischargeAssessment = (id: string, body: DischargeAssessmentBody) => api<SessionView>(`${s(id)}/discharge-assessment`, { method: 'PUT', body });
export const getDischarge = (id: string) => api<DischargePreview>(`${s(id)}/discharge`);
export const getProtocol = () => api<ProtocolView>('/api/protocol');
export const saveProtocol = (document: unknown, changeNote: string, baseRevision: number) =>
  api<ProtocolView>('/api/protocol', { method: 'PUT', body: { document, changeNote: changeNote || undefined, baseRevision } });
