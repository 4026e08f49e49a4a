import { randomUUID } from 'node:crypto';
import {
  canBreakGlass,
  decidePatientAccess,
  type AccessAction,
  type AccessVia,
  type PatientResource,
} from '../../../core/access/policy';
import type { PatientRow } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { AuditEntry } from '../audit/audit-log';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { findPatientAccessFacts, insertBreakGlassGrant, type CareTeamMember } from './patient-access.repository';

const DENY_MESSAGES = {
  other_organization: 'Patient not found',
  not_own_record: 'You can only see your own record',
  not_on_care_team: 'You are not on this patient’s care team',
  role_has_no_clinical_access: 'Your role does not give access to clinical information',
  role_cannot_write: 'Your role cannot change this',
} as const;

/**
 * For a write: the audit row that records it as allowed. Work that commits its write
 * through a writer that can store this row in the same transaction (the SQLite writer
 * thread) does so and calls `recordedWithWrite()`; otherwise the row is recorded after
 * the work, as for any write. One commit instead of two for the busiest write (vitals).
 */
export interface WriteAudit {
  readonly allowed: AuditEntry;
  recordedWithWrite(): void;
}

/** How access was granted, for work that shows it (e.g. when break-the-glass access ends). */
export interface AccessGrant {
  readonly via: AccessVia;
  readonly breakGlassUntil: string | null;
  /** The patient's row and care team as read for the access decision (same query). */
  readonly patient: PatientRow;
  readonly careTeam: readonly CareTeamMember[];
}

/**
 * The door to every patient's data: decides access with the policy, writes the audit
 * row, and runs `work` only when allowed. Reads are audited while the data is read
 * (the row is durable before the response leaves); writes are audited with their outcome.
 */
export async function withPatientAccess<T>(
  deps: Deps,
  actor: SessionActor,
  patientId: string,
  resource: PatientResource,
  action: AccessAction,
  meta: RequestMeta,
  work: (via: AccessVia, grant: AccessGrant, writeAudit: WriteAudit) => Promise<T>,
  detail?: Record<string, unknown>,
): Promise<T> {
  const base = {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId,
    resource: `patient.${resource}`,
    action,
    ip: meta.ip,
    requestId: meta.requestId,
  };
  const facts = await findPatientAccessFacts(deps.db, patientId, actor.userId, deps.now());
  if (!facts) {
    await deps.audit.record({ ...base, outcome: 'denied', detail: { reason: 'no_such_patient' } });
    throw new AppError('not_found', 'Patient not found');
  }
  const decision = decidePatientAccess(actor, resource, action, {
    patientId,
    patientOrganizationId: facts.organizationId,
    actorOnCareTeam: facts.onTeam,
    breakGlassActive: facts.breakGlass,
  });
  if (!decision.allowed) {
    // A row from another tenant is recorded without its id: it does not exist for this actor.
    const crossTenant = decision.status === 404;
    await deps.audit.record({
      ...base,
      organizationId: actor.organizationId,
      patientId: crossTenant ? null : patientId,
      outcome: 'denied',
      detail: { reason: decision.reason, ...(crossTenant ? { requestedPatientId: patientId } : {}) },
    });
    throw new AppError(decision.status === 404 ? 'not_found' : 'forbidden', DENY_MESSAGES[decision.reason]);
  }
  const breakGlass = decision.via === 'break_glass';
  const grant: AccessGrant = {
    via: decision.via,
    breakGlassUntil: breakGlass ? facts.breakGlassUntil : null,
    patient: facts.patient,
    careTeam: facts.careTeam,
  };
  // Spelled out rather than `{ ...base, outcome, … }`: on Node 20, spreading an object and
  // adding fields costs ~3 µs (V8 builds a new hidden class each time), on every chart read.
  const allowed: AuditEntry = {
    organizationId: base.organizationId,
    actorUserId: base.actorUserId,
    actorRole: base.actorRole,
    patientId: base.patientId,
    resource: base.resource,
    action: base.action,
    ip: base.ip,
    requestId: base.requestId,
    outcome: 'allowed',
    breakGlass,
    detail: detail ?? null,
  };
  let recordedWithWrite = false;
  const writeAudit: WriteAudit = {
    allowed,
    recordedWithWrite() {
      recordedWithWrite = true;
    },
  };
  if (action === 'read') {
    const audited = deps.audit.record(allowed);
    const [result] = await Promise.all([work(decision.via, grant, writeAudit), audited]);
    return result;
  }
  try {
    const result = await work(decision.via, grant, writeAudit);
    if (!recordedWithWrite) await deps.audit.record(allowed);
    return result;
  } catch (error) {
    await deps.audit.record({ ...base, outcome: 'failed', breakGlass, detail: { ...detail, error: error instanceof AppError ? error.code : 'internal' } });
    throw error;
  }
}

export async function breakTheGlass(
  deps: Deps,
  actor: SessionActor,
  patientId: string,
  reason: string,
  meta: RequestMeta,
): Promise<{ patientId: string; expiresAt: string }> {
  const trimmed = reason.trim();
  if (trimmed.length < 10) throw new AppError('validation', 'Give a reason of at least 10 characters', { field: 'reason' });
  const facts = await findPatientAccessFacts(deps.db, patientId, actor.userId, deps.now());
  const base = {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    resource: 'patient.break_glass',
    action: 'grant',
    breakGlass: true,
    ip: meta.ip,
    requestId: meta.requestId,
  };
  if (!facts || facts.organizationId !== actor.organizationId) {
    await deps.audit.record({ ...base, patientId: null, outcome: 'denied', detail: { reason: 'no_such_patient' } });
    throw new AppError('not_found', 'Patient not found');
  }
  if (!canBreakGlass(actor)) {
    await deps.audit.record({ ...base, patientId, outcome: 'denied', detail: { reason: 'role_cannot_break_glass' } });
    throw new AppError('forbidden', 'Only clinical staff can break the glass');
  }
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.config.breakGlassMinutes * 60_000).toISOString();
  const grantId = randomUUID();
  await insertBreakGlassGrant(deps.db, {
    id: grantId,
    organization_id: actor.organizationId,
    user_id: actor.userId,
    patient_id: patientId,
    reason: trimmed,
    created_at: now.toISOString(),
    expires_at: expiresAt,
  });
  // The typed reason is the staff member's justification, not patient content: it is
  // what a privacy officer reviews, so it goes into the audit row.
  await deps.audit.record({ ...base, patientId, outcome: 'allowed', detail: { grantId, reason: trimmed, expiresAt } });
  return { patientId, expiresAt };
}
