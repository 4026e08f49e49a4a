import { describe, expect, it } from 'vitest';
import {
  canBreakGlass,
  canCreatePatients,
  decidePatientAccess,
  patientListScope,
  type AccessAction,
  type Actor,
  type PatientResource,
} from './policy';
import { ROLES, type Role } from './roles';

const ORG = 'org-1';
const PATIENT = 'patient-1';

type Relation = 'self' | 'care_team' | 'break_glass' | 'unrelated' | 'other_tenant';
const RELATIONS: Relation[] = ['self', 'care_team', 'break_glass', 'unrelated', 'other_tenant'];
const RESOURCES: PatientResource[] = ['demographics', 'clinical', 'care_team', 'schedule'];
const ACTIONS: AccessAction[] = ['read', 'write'];

function actorFor(role: Role, relation: Relation): Actor {
  return {
    userId: 'user-1',
    role,
    organizationId: relation === 'other_tenant' ? 'org-2' : ORG,
    patientId: role === 'patient' ? (relation === 'self' ? PATIENT : 'patient-2') : null,
  };
}

/** The expected answer for every cell, written as a table a privacy officer can read. */
function expected(role: Role, resource: PatientResource, action: AccessAction, relation: Relation): 'allow' | 403 | 404 {
  if (relation === 'other_tenant') return 404;
  switch (role) {
    case 'patient':
      if (relation !== 'self') return 403;
      return resource === 'care_team' && action === 'write' ? 403 : 'allow';
    case 'front_desk':
      if (resource === 'clinical') return 403;
      if (resource === 'care_team' && action === 'write') return 403;
      return 'allow';
    case 'clinic_admin':
      return resource === 'clinical' ? 403 : 'allow';
    case 'therapist':
    case 'prescriber':
    case 'nurse':
      if (relation !== 'care_team' && relation !== 'break_glass') return 403;
      return resource === 'care_team' && action === 'write' ? 403 : 'allow';
  }
}

describe('decidePatientAccess: the full role × resource × action × relation matrix', () => {
  const cases = ROLES.flatMap((role) =>
    RESOURCES.flatMap((resource) => ACTIONS.flatMap((action) => RELATIONS.map((relation) => ({ role, resource, action, relation })))),
  ).filter((c) => !(c.relation === 'self' && c.role !== 'patient'));

  it('covers every cell', () => {
    expect(cases.length).toBe(6 * 4 * 2 * 5 - 5 * 4 * 2);
  });

  it.each(cases)('$role $action $resource ($relation)', ({ role, resource, action, relation }) => {
    const decision = decidePatientAccess(actorFor(role, relation), resource, action, {
      patientId: PATIENT,
      patientOrganizationId: ORG,
      actorOnCareTeam: relation === 'care_team',
      breakGlassActive: relation === 'break_glass',
    });
    const want = expected(role, resource, action, relation);
    if (want === 'allow') {
      expect(decision.allowed).toBe(true);
    } else {
      expect(decision).toMatchObject({ allowed: false, status: want });
    }
  });

  it('says how access was granted', () => {
    const facts = { patientId: PATIENT, patientOrganizationId: ORG, actorOnCareTeam: false, breakGlassActive: true };
    expect(decidePatientAccess(actorFor('nurse', 'break_glass'), 'clinical', 'read', facts)).toEqual({ allowed: true, via: 'break_glass' });
    expect(decidePatientAccess(actorFor('nurse', 'care_team'), 'clinical', 'read', { ...facts, actorOnCareTeam: true })).toEqual({
      allowed: true,
      via: 'care_team',
    });
    expect(decidePatientAccess(actorFor('patient', 'self'), 'clinical', 'read', facts)).toEqual({ allowed: true, via: 'self' });
    expect(decidePatientAccess(actorFor('front_desk', 'unrelated'), 'demographics', 'read', facts)).toEqual({ allowed: true, via: 'role' });
  });

  it('names the reason a clinician is refused, so the UI can offer break-the-glass', () => {
    const decision = decidePatientAccess(actorFor('therapist', 'unrelated'), 'demographics', 'read', {
      patientId: PATIENT,
      patientOrganizationId: ORG,
      actorOnCareTeam: false,
      breakGlassActive: false,
    });
    expect(decision).toEqual({ allowed: false, status: 403, reason: 'not_on_care_team' });
  });
});

describe('role capabilities', () => {
  it.each(ROLES)('%s', (role) => {
    const actor = actorFor(role, 'care_team');
    expect(canCreatePatients(actor)).toBe(role !== 'patient');
    expect(canBreakGlass(actor)).toBe(['therapist', 'prescriber', 'nurse'].includes(role));
    expect(patientListScope(actor)).toBe(
      role === 'patient' ? 'self' : ['therapist', 'prescriber', 'nurse'].includes(role) ? 'care_team' : 'all_in_organization',
    );
  });
});
