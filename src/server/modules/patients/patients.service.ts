import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canBreakGlass, canCreatePatients, patientListScope, type AccessVia } from '../../../core/access/policy';
import { isClinicalRole } from '../../../core/access/roles';
import {
  PATIENT_SELF_EDITABLE,
  type CreatePatientBody,
  type Patient,
  type PatientListQuery,
  type PatientLookupQuery,
  type PatientSummary,
  type UpdatePatientBody,
} from '../../../core/schemas/patient.schema';
import type { DB, PatientRow, PatientUpdate } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { CareTeamMember } from '../access/patient-access.repository';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import * as repo from './patients.repository';

const FIELD_TO_COLUMN = {
  legalGivenName: 'legal_given_name',
  legalFamilyName: 'legal_family_name',
  preferredName: 'preferred_name',
  pronouns: 'pronouns',
  dateOfBirth: 'date_of_birth',
  email: 'email',
  phone: 'phone',
  address: 'address',
  emergencyContactName: 'emergency_contact_name',
  emergencyContactPhone: 'emergency_contact_phone',
  emergencyContactRelationship: 'emergency_contact_relationship',
  preferredLanguage: 'preferred_language',
} as const satisfies Record<keyof UpdatePatientBody, keyof PatientRow>;

function searchNameOf(given: string, family: string, preferred: string | null): string {
  return [given, family, preferred ?? ''].join(' ').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Empty strings mean "cleared" for optional fields; names are trimmed. */
function clean(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function assertRealDate(field: string, value: string, today: Date): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new AppError('validation', `${field} is not a real calendar date`, { field });
  }
  if (d.getTime() > today.getTime() || d.getUTCFullYear() < 1900) {
    throw new AppError('validation', `${field} must be between 1900 and today`, { field });
  }
}

function toDto(row: PatientRow, careTeam: readonly CareTeamMember[], access: AccessVia, breakGlassUntil: string | null): Patient {
  return {
    id: row.id,
    legalGivenName: row.legal_given_name,
    legalFamilyName: row.legal_family_name,
    preferredName: row.preferred_name,
    pronouns: row.pronouns,
    dateOfBirth: row.date_of_birth,
    email: row.email,
    phone: row.phone,
    address: row.address,
    emergencyContactName: row.emergency_contact_name,
    emergencyContactPhone: row.emergency_contact_phone,
    emergencyContactRelationship: row.emergency_contact_relationship,
    preferredLanguage: row.preferred_language,
    careTeam: careTeam.map((m) => ({ userId: m.user_id, displayName: m.display_name, role: m.role })),
    access,
    breakGlassUntil,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function loadPatient(db: Kysely<DB>, id: string, via: AccessVia, breakGlassUntil: string | null = null): Promise<Patient> {
  const [row, team] = await Promise.all([repo.findPatientById(db, id), repo.findCareTeam(db, id)]);
  if (!row) throw new AppError('not_found', 'Patient not found');
  return toDto(row, team, via, breakGlassUntil);
}

export async function listPatients(
  deps: Deps,
  actor: SessionActor,
  query: PatientListQuery,
  meta: RequestMeta,
): Promise<{ items: PatientSummary[]; total: number; scope: ReturnType<typeof patientListScope> }> {
  const scope = patientListScope(actor);
  const q = query.q?.trim().toLowerCase().replace(/[%_\\]/g, '') || undefined;
  const result = await repo.searchPatients(deps.db, {
    organizationId: actor.organizationId,
    ...(scope === 'care_team' ? { careTeamOf: { userId: actor.userId, nowIso: deps.now().toISOString() } } : {}),
    ...(scope === 'self' ? { onlyPatientId: actor.patientId ?? '00000000-0000-0000-0000-000000000000' } : {}),
    ...(q ? { nameLike: q } : {}),
    ...(query.dob ? { dob: query.dob } : {}),
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  // One audit row per patient whose name left the server: a list is a read too.
  await Promise.all(
    result.items.map((p) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: p.id,
        resource: 'patient.demographics',
        action: 'list',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
      }),
    ),
  );
  return {
    scope,
    total: result.total,
    items: result.items.map((p) => ({
      id: p.id,
      legalGivenName: p.legal_given_name,
      legalFamilyName: p.legal_family_name,
      preferredName: p.preferred_name,
      dateOfBirth: p.date_of_birth,
    })),
  };
}

/** A care team is the people who provide care: active clinical staff of the same clinic. */
/**
 * For a clinician who must find a patient outside their care team in an emergency, to
 * then break the glass: a name fragment and the exact date of birth, at most 10 matches,
 * each audited as a lookup. Nothing beyond name and date of birth is returned.
 */
export async function lookupPatientsForBreakGlass(
  deps: Deps,
  actor: SessionActor,
  query: PatientLookupQuery,
  meta: RequestMeta,
): Promise<PatientSummary[]> {
  if (!canBreakGlass(actor)) throw new AppError('forbidden', 'Only clinical staff can look up patients outside their care team');
  const q = query.q.trim().toLowerCase().replace(/[%_\\]/g, '');
  if (q.length < 2) throw new AppError('validation', 'Give at least two letters of the name', { field: 'q' });
  const result = await repo.searchPatients(deps.db, { organizationId: actor.organizationId, nameLike: q, dob: query.dob, limit: 10, offset: 0 });
  await Promise.all(
    result.items.map((p) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: p.id,
        resource: 'patient.demographics',
        action: 'lookup',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { purpose: 'break_glass_lookup' },
      }),
    ),
  );
  return result.items.map((p) => ({
    id: p.id,
    legalGivenName: p.legal_given_name,
    legalFamilyName: p.legal_family_name,
    preferredName: p.preferred_name,
    dateOfBirth: p.date_of_birth,
  }));
}

async function assertCareTeamCandidates(db: Kysely<DB>, organizationId: string, userIds: readonly string[], field: string) {
  const found = await repo.findStaffInOrganization(db, organizationId, userIds);
  const ok = new Set(found.filter((u) => u.active === 1 && isClinicalRole(u.role)).map((u) => u.id));
  const bad = userIds.find((id) => !ok.has(id));
  if (bad) throw new AppError('validation', `${bad} is not an active therapist, prescriber or nurse of this clinic`, { field });
}

export async function createPatient(deps: Deps, actor: SessionActor, body: CreatePatientBody, meta: RequestMeta): Promise<Patient> {
  if (!canCreatePatients(actor)) throw new AppError('forbidden', 'Patients cannot register other patients');
  const now = deps.now();
  assertRealDate('dateOfBirth', body.dateOfBirth, now);
  const given = body.legalGivenName.trim();
  const family = body.legalFamilyName.trim();
  if (!given) throw new AppError('validation', 'legalGivenName is required', { field: 'legalGivenName' });
  if (!family) throw new AppError('validation', 'legalFamilyName is required', { field: 'legalFamilyName' });
  const id = randomUUID();
  const at = now.toISOString();
  const careTeam = body.careTeamUserIds ?? [];
  await deps.db.transaction().execute(async (trx) => {
    await assertCareTeamCandidates(trx, actor.organizationId, careTeam, 'careTeamUserIds');
    const preferred = clean(body.preferredName);
    await repo.insertPatient(trx, {
      id,
      organization_id: actor.organizationId,
      legal_given_name: given,
      legal_family_name: family,
      preferred_name: preferred,
      pronouns: clean(body.pronouns),
      date_of_birth: body.dateOfBirth,
      email: clean(body.email)?.toLowerCase() ?? null,
      phone: clean(body.phone),
      address: clean(body.address),
      emergency_contact_name: clean(body.emergencyContactName),
      emergency_contact_phone: clean(body.emergencyContactPhone),
      emergency_contact_relationship: clean(body.emergencyContactRelationship),
      preferred_language: clean(body.preferredLanguage),
      search_name: searchNameOf(given, family, preferred),
      created_at: at,
      updated_at: at,
    });
    await repo.replaceCareTeam(trx, actor.organizationId, id, careTeam, actor.userId, at);
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: id,
    resource: 'patient.demographics',
    action: 'create',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { careTeamUserIds: careTeam },
  });
  return loadPatient(deps.db, id, actor.role === 'patient' ? 'self' : 'role');
}

export function getPatient(deps: Deps, actor: SessionActor, id: string, meta: RequestMeta): Promise<Patient> {
  return withPatientAccess(deps, actor, id, 'demographics', 'read', meta, (via, grant) =>
    Promise.resolve(toDto(grant.patient, grant.careTeam, via, grant.breakGlassUntil)),
  );
}

export function updatePatient(
  deps: Deps,
  actor: SessionActor,
  id: string,
  body: UpdatePatientBody,
  meta: RequestMeta,
): Promise<Patient> {
  const fields = Object.keys(body) as (keyof UpdatePatientBody)[];
  return withPatientAccess(
    deps,
    actor,
    id,
    'demographics',
    'write',
    meta,
    async (via, grant) => {
      if (via === 'self') {
        const locked = fields.find((f) => !(PATIENT_SELF_EDITABLE as readonly string[]).includes(f));
        if (locked) throw new AppError('forbidden', `Ask the clinic to change ${locked}`, { field: locked });
      }
      if (body.dateOfBirth !== undefined) assertRealDate('dateOfBirth', body.dateOfBirth, deps.now());
      for (const f of ['legalGivenName', 'legalFamilyName'] as const) {
        if (body[f] !== undefined && !body[f].trim()) throw new AppError('validation', `${f} cannot be empty`, { field: f });
      }
      return deps.db.transaction().execute(async (trx) => {
        const current = await repo.findPatientById(trx, id);
        if (!current) throw new AppError('not_found', 'Patient not found');
        const changes: PatientUpdate = { updated_at: deps.now().toISOString() };
        for (const f of fields) {
          const column = FIELD_TO_COLUMN[f];
          const raw = body[f];
          const value = f === 'legalGivenName' || f === 'legalFamilyName' || f === 'dateOfBirth' ? String(raw).trim() : clean(raw);
          (changes as Record<string, unknown>)[column] = f === 'email' && value ? value.toLowerCase() : value;
        }
        const merged = { ...current, ...changes } as PatientRow;
        changes.search_name = searchNameOf(merged.legal_given_name, merged.legal_family_name, merged.preferred_name);
        await repo.updatePatient(trx, id, changes);
        return loadPatient(trx, id, via, grant.breakGlassUntil);
      });
    },
    { fields },
  );
}

export function setCareTeam(
  deps: Deps,
  actor: SessionActor,
  id: string,
  userIds: readonly string[],
  meta: RequestMeta,
): Promise<Patient> {
  return withPatientAccess(deps, actor, id, 'care_team', 'write', meta, (via) =>
    deps.db.transaction().execute(async (trx) => {
      await assertCareTeamCandidates(trx, actor.organizationId, userIds, 'userIds');
      await repo.replaceCareTeam(trx, actor.organizationId, id, userIds, actor.userId, deps.now().toISOString());
      return loadPatient(trx, id, via);
    }),
    { userIds },
  );
}
