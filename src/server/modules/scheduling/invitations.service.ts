import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import { INVITATION_PURPOSE } from './consultations.service';
import * as repo from './scheduling.repository';
import { verifyToken } from './signed-links';

async function loadInvitation(deps: Deps, token: string) {
  const parsed = verifyToken(deps.config.secrets.appSecret, INVITATION_PURPOSE, token);
  const invalid = () => new AppError('not_found', 'This invitation link is not valid. Ask the clinic to send a new one.', { field: 'token' });
  if (!parsed) throw invalid();
  const inv = await repo.findInvitation(deps.db, parsed.id);
  if (!inv || String(Date.parse(inv.expires_at)) !== parsed.value) throw invalid();
  if (inv.used_at) throw new AppError('conflict', 'This invitation was already used. Sign in with the password you chose.', { field: 'token' });
  if (Date.parse(inv.expires_at) <= deps.now().getTime()) {
    throw new AppError('conflict', 'This invitation has expired. Ask the clinic to send a new one.', { field: 'token' });
  }
  return inv;
}

export async function getInvitation(deps: Deps, token: string) {
  const inv = await loadInvitation(deps, token);
  return { email: inv.email, givenName: inv.preferred_name ?? inv.legal_given_name, clinicName: inv.clinic_name, expiresAt: inv.expires_at };
}

/** Creates the patient's portal account (role patient, linked to the record). Single use. */
export async function acceptInvitation(deps: Deps, token: string, password: string, meta: RequestMeta) {
  const inv = await loadInvitation(deps, token);
  if (password.trim().length < 12) throw new AppError('validation', 'Choose a password of at least 12 characters', { field: 'password' });
  if (password.toLowerCase().includes(inv.email.split('@')[0]!.toLowerCase()) && inv.email.split('@')[0]!.length >= 4) {
    throw new AppError('validation', 'Choose a password that does not contain your email address', { field: 'password' });
  }
  const passwordHash = await hashPassword(password);
  const userId = randomUUID();
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.claimInvitation(trx, inv.id, at))) {
      throw new AppError('conflict', 'This invitation was already used. Sign in with the password you chose.', { field: 'token' });
    }
    if (await repo.findUserByEmail(trx, inv.email)) {
      throw new AppError('conflict', 'An account with this email already exists. Sign in instead.', { field: 'email' });
    }
    if (await repo.findUserByPatientId(trx, inv.patient_id)) {
      throw new AppError('conflict', 'This patient already has a portal account. Sign in instead.', { field: 'token' });
    }
    await trx
      .insertInto('users')
      .values({
        id: userId,
        organization_id: inv.organization_id,
        email: inv.email,
        password_hash: passwordHash,
        role: 'patient',
        display_name: `${inv.preferred_name ?? inv.legal_given_name} ${inv.legal_family_name}`,
        patient_id: inv.patient_id,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
  });
  await deps.audit.record({
    organizationId: inv.organization_id,
    actorUserId: userId,
    actorRole: 'patient',
    patientId: inv.patient_id,
    resource: 'auth.account',
    action: 'accept_invitation',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { invitationId: inv.id },
  });
  return { email: inv.email };
}
