import type { Kysely } from 'kysely';
import { validateContraindicationRules, type ContraindicationRule } from '../../../core/screening/contraindication-rule.schema';
import { DEFAULT_CONTRAINDICATION_RULES } from '../../../core/screening/default-contraindication-rules';
import type { IntakeSettings, UpdateIntakeSettingsBody } from '../../../core/schemas/intake.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import * as repo from './intake.repository';

/**
 * Clinic policy defaults (not clinical facts): how long a high-priority safety alert may
 * stay unacknowledged before the clinic admin is told. Each clinic sets its own.
 */
export const DEFAULT_ALERT_ESCALATION_MINUTES = 30;

export interface EffectiveIntakeSettings {
  alertEscalationMinutes: number;
  eligibilityValidDays: number | null;
  rules: readonly ContraindicationRule[];
  usingDefaultRules: boolean;
}

export async function effectiveIntakeSettings(db: Kysely<DB>, organizationId: string): Promise<EffectiveIntakeSettings> {
  const row = await repo.findIntakeSettings(db, organizationId);
  const rules = row?.contraindication_rules ? (JSON.parse(row.contraindication_rules) as ContraindicationRule[]) : null;
  return {
    alertEscalationMinutes: row?.alert_escalation_minutes ?? DEFAULT_ALERT_ESCALATION_MINUTES,
    eligibilityValidDays: row?.eligibility_valid_days ?? null,
    rules: rules ?? DEFAULT_CONTRAINDICATION_RULES,
    usingDefaultRules: rules === null,
  };
}

function toDto(s: EffectiveIntakeSettings): IntakeSettings {
  return {
    alertEscalationMinutes: s.alertEscalationMinutes,
    eligibilityValidDays: s.eligibilityValidDays,
    contraindicationRules: [...s.rules],
    usingDefaultRules: s.usingDefaultRules,
  };
}

/** Clinical staff read the rules (they see them on review); admins read and change them. */
export async function getIntakeSettings(deps: Deps, actor: SessionActor): Promise<IntakeSettings> {
  if (actor.role === 'patient' || actor.role === 'front_desk') throw new AppError('forbidden', 'Only clinical staff and clinic admins can see intake settings');
  return toDto(await effectiveIntakeSettings(deps.db, actor.organizationId));
}

export async function updateIntakeSettings(deps: Deps, actor: SessionActor, body: UpdateIntakeSettingsBody, meta: RequestMeta): Promise<IntakeSettings> {
  if (actor.role !== 'clinic_admin') throw new AppError('forbidden', 'Only a clinic admin can change intake settings');
  let rulesJson: string | null | undefined;
  if (body.contraindicationRules === null) rulesJson = null;
  else if (body.contraindicationRules !== undefined) {
    const v = validateContraindicationRules(body.contraindicationRules);
    if (!v.ok) {
      const first = v.errors[0]!;
      const field = `contraindicationRules${first.field.startsWith('[') ? '' : '.'}${first.field === '(root)' ? '' : first.field}`;
      throw new AppError('validation', `${field}: ${first.message}`, { field, details: v.errors.map((e) => ({ field: `contraindicationRules${e.field}`, message: e.message })) });
    }
    rulesJson = JSON.stringify(v.rules);
  }
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockPatientIntake(trx, deps.database.dialect, `settings:${actor.organizationId}`);
    const current = await repo.findIntakeSettings(trx, actor.organizationId);
    await repo.upsertIntakeSettings(trx, {
      organization_id: actor.organizationId,
      alert_escalation_minutes: body.alertEscalationMinutes ?? current?.alert_escalation_minutes ?? DEFAULT_ALERT_ESCALATION_MINUTES,
      eligibility_valid_days: body.eligibilityValidDays !== undefined ? body.eligibilityValidDays : (current?.eligibility_valid_days ?? null),
      contraindication_rules: rulesJson !== undefined ? rulesJson : (current?.contraindication_rules ?? null),
      updated_at: at,
      updated_by: actor.userId,
    });
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'intake_settings',
    action: 'update',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { fields: Object.keys(body) },
  });
  return toDto(await effectiveIntakeSettings(deps.db, actor.organizationId));
}
