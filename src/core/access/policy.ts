import { isClinicalRole, type Role } from './roles';

/**
 * The one place that decides who may do what with a patient's data. Pure: callers
 * gather the facts (organization, care-team membership, an active break-the-glass
 * grant) and audit the decision.
 */

export type PatientResource =
  /** Names, date of birth, contact details, emergency contact. */
  | 'demographics'
  /** Anything clinical: history, measures, notes, sessions, alerts. */
  | 'clinical'
  /** Who is on the patient's care team. */
  | 'care_team'
  /** Appointments. */
  | 'schedule';

export type AccessAction = 'read' | 'write';

export interface Actor {
  readonly userId: string;
  readonly role: Role;
  readonly organizationId: string;
  /** Set for patient accounts: the record they own. */
  readonly patientId: string | null;
}

export interface PatientAccessFacts {
  readonly patientId: string;
  readonly patientOrganizationId: string;
  readonly actorOnCareTeam: boolean;
  readonly breakGlassActive: boolean;
}

export type AccessVia = 'self' | 'care_team' | 'role' | 'break_glass';

export type AccessDecision =
  | { readonly allowed: true; readonly via: AccessVia }
  | {
      readonly allowed: false;
      /** 404 across tenants (their records do not exist for you), 403 within. */
      readonly status: 403 | 404;
      readonly reason: DenyReason;
    };

export type DenyReason =
  | 'other_organization'
  | 'not_own_record'
  | 'not_on_care_team'
  | 'role_has_no_clinical_access'
  | 'role_cannot_write';

const allow = (via: AccessVia): AccessDecision => ({ allowed: true, via });
const deny = (status: 403 | 404, reason: DenyReason): AccessDecision => ({ allowed: false, status, reason });

export function decidePatientAccess(
  actor: Actor,
  resource: PatientResource,
  action: AccessAction,
  facts: PatientAccessFacts,
): AccessDecision {
  if (actor.organizationId !== facts.patientOrganizationId) return deny(404, 'other_organization');

  switch (actor.role) {
    case 'patient': {
      if (actor.patientId !== facts.patientId) return deny(403, 'not_own_record');
      // Patients read their whole record; they change their own contact details and
      // their own answers, never who is on their care team.
      if (action === 'write' && resource === 'care_team') return deny(403, 'role_cannot_write');
      return allow('self');
    }
    case 'front_desk':
    case 'clinic_admin': {
      if (resource === 'clinical') return deny(403, 'role_has_no_clinical_access');
      if (resource === 'care_team' && action === 'write' && actor.role !== 'clinic_admin') {
        return deny(403, 'role_cannot_write');
      }
      return allow('role');
    }
    case 'therapist':
    case 'prescriber':
    case 'nurse': {
      const via: AccessVia | null = facts.actorOnCareTeam ? 'care_team' : facts.breakGlassActive ? 'break_glass' : null;
      if (via === null) return deny(403, 'not_on_care_team');
      if (resource === 'care_team' && action === 'write') return deny(403, 'role_cannot_write');
      return allow(via);
    }
  }
}

/** Whether this actor may register new patients in their organization. */
export function canCreatePatients(actor: Actor): boolean {
  return actor.role !== 'patient';
}

/** Which patients a staff member's list and search show. */
export function patientListScope(actor: Actor): 'all_in_organization' | 'care_team' | 'self' {
  if (actor.role === 'patient') return 'self';
  return isClinicalRole(actor.role) ? 'care_team' : 'all_in_organization';
}

/** Only clinical staff may break the glass: the others have no clinical access to gain. */
export function canBreakGlass(actor: Actor): boolean {
  return isClinicalRole(actor.role);
}

export type AdminCapability = 'manage_staff' | 'read_audit_log' | 'read_mailbox';

export function hasAdminCapability(actor: Actor, _capability: AdminCapability): boolean {
  return actor.role === 'clinic_admin';
}
