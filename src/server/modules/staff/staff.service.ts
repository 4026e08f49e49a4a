import { randomUUID } from 'node:crypto';
import { hasAdminCapability } from '../../../core/access/policy';
import type { StaffRole } from '../../../core/access/roles';
import type { CreateStaffBody, StaffMember, UpdateStaffBody } from '../../../core/schemas/staff.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { deleteSessionsOfUser } from '../auth/auth.repository';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import * as repo from './staff.repository';

type StaffRow = NonNullable<Awaited<ReturnType<typeof repo.findStaffById>>>;

const toDto = (r: StaffRow): StaffMember => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role as StaffRole,
  active: r.active === 1,
  createdAt: r.created_at,
});

function requireAdmin(actor: SessionActor): void {
  if (!hasAdminCapability(actor, 'manage_staff')) throw new AppError('forbidden', 'Only clinic admins can manage staff accounts');
}

/** Colleagues, for care-team pickers: any staff member may list them. */
export async function listStaff(deps: Deps, actor: SessionActor): Promise<StaffMember[]> {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Staff only');
  const rows = await repo.findStaff(deps.db, actor.organizationId);
  return rows.map(toDto);
}

export async function createStaff(deps: Deps, actor: SessionActor, body: CreateStaffBody, meta: RequestMeta): Promise<StaffMember> {
  requireAdmin(actor);
  const email = body.email.trim().toLowerCase();
  const passwordHash = await hashPassword(body.password);
  const id = randomUUID();
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if (await repo.emailTaken(trx, email)) throw new AppError('conflict', 'An account with this email already exists', { field: 'email' });
    await repo.insertUser(trx, {
      id,
      organization_id: actor.organizationId,
      email,
      password_hash: passwordHash,
      role: body.role,
      display_name: body.displayName.trim(),
      patient_id: null,
      active: 1,
      created_at: at,
      updated_at: at,
    });
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'staff.account',
    action: 'create',
    outcome: 'allowed',
    detail: { userId: id, role: body.role },
    ...meta,
  });
  const row = await repo.findStaffById(deps.db, actor.organizationId, id);
  return toDto(row!);
}

export async function updateStaff(deps: Deps, actor: SessionActor, id: string, body: UpdateStaffBody, meta: RequestMeta): Promise<StaffMember> {
  requireAdmin(actor);
  if (id === actor.userId && (body.active === false || (body.role && body.role !== 'clinic_admin'))) {
    throw new AppError('validation', 'You cannot deactivate or demote your own account', { field: body.active === false ? 'active' : 'role' });
  }
  const updated = await deps.db.transaction().execute(async (trx) => {
    const current = await repo.findStaffById(trx, actor.organizationId, id);
    if (!current) throw new AppError('not_found', 'Staff member not found');
    await repo.updateUser(trx, id, {
      ...(body.displayName !== undefined ? { display_name: body.displayName.trim() } : {}),
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
      updated_at: deps.now().toISOString(),
    });
    // A deactivated account or a changed role must not keep the sessions it had.
    if (body.active === false || (body.role !== undefined && body.role !== current.role)) await deleteSessionsOfUser(trx, id);
    return (await repo.findStaffById(trx, actor.organizationId, id))!;
  });
  // After the commit: a request that read the account just before it must not keep it.
  deps.sessions.forgetUser(id);
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'staff.account',
    action: 'update',
    outcome: 'allowed',
    detail: { userId: id, fields: Object.keys(body) },
    ...meta,
  });
  return toDto(updated);
}
