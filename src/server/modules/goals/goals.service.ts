import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describeTarget, goalProgress, GOAL_KIND_LABELS, type TargetComparator } from '../../../core/goals/goal-progress';
import type { CreateGoalBody, Goal, GoalList, UpdateGoalBody } from '../../../core/schemas/intake.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { currentDefinition } from '../intake/instrument-catalog';
import * as intakeRepo from '../intake/intake.repository';
import { cipherOf } from '../intake/responses.service';
import * as repo from './goals.repository';

const ctx = (column: string, id: string) => `patient_goals.${column}:${id}`;

async function assertMeasure(db: Kysely<DB>, organizationId: string, measure: NonNullable<CreateGoalBody['measure']>): Promise<void> {
  const resolved = await currentDefinition(db, organizationId, measure.instrument);
  if (!resolved) throw new AppError('validation', `Unknown questionnaire "${measure.instrument}"`, { field: 'measure.instrument' });
  const def = resolved.definition;
  if (def.scoring.kind === 'none') throw new AppError('validation', `${def.title} is a form without a score; choose a measure`, { field: 'measure.instrument' });
  const bands = def.bands ?? def.bandVariants?.[0]?.bands;
  if (bands && bands.length > 0) {
    const min = Math.min(...bands.map((b) => b.min));
    const max = Math.max(...bands.map((b) => b.max));
    if (measure.target < min || measure.target > max) {
      throw new AppError('validation', `The target must be within ${def.title}'s range ${min}–${max}`, { field: 'measure.target' });
    }
  }
}

function assertDate(field: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new AppError('validation', `${field} is not a real calendar date`, { field });
}

export async function loadGoals(db: Kysely<DB>, deps: Deps, organizationId: string, patientId: string): Promise<Goal[]> {
  const cipher = cipherOf(deps);
  const [rows, submitted] = await Promise.all([repo.listGoals(db, patientId), intakeRepo.listSubmittedResponses(db, patientId)]);
  const latest = new Map<string, { total: number; at: string }>();
  for (const r of submitted) if (r.score_total !== null) latest.set(r.instrument_code, { total: r.score_total, at: r.submitted_at ?? r.updated_at });
  const titles = new Map<string, string>();
  for (const code of new Set(rows.map((r) => r.measure_code).filter((c): c is string => !!c))) {
    titles.set(code, (await currentDefinition(db, organizationId, code))?.definition.title ?? code);
  }
  return rows.map((r) => {
    let measure: Goal['measure'] = null;
    if (r.measure_code && r.target_comparator && r.target_value !== null) {
      const target = { comparator: r.target_comparator as TargetComparator, value: r.target_value };
      const title = titles.get(r.measure_code) ?? r.measure_code;
      measure = {
        instrument: r.measure_code,
        instrumentTitle: title,
        comparator: target.comparator,
        target: target.value,
        description: describeTarget(r.measure_code.toUpperCase(), target),
        ...goalProgress(target, latest.get(r.measure_code) ?? null),
      };
    }
    return {
      id: r.id,
      kind: r.kind,
      kindLabel: GOAL_KIND_LABELS[r.kind],
      what: cipher.decrypt(r.what_enc, ctx('what', r.id)),
      howWeWillKnow: cipher.decrypt(r.how_we_know_enc, ctx('how_we_know', r.id)),
      byWhen: r.by_when,
      measure,
      status: r.status,
      createdByName: r.created_by_name,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export function listGoals(deps: Deps, actor: SessionActor, patientId: string, meta: RequestMeta): Promise<GoalList> {
  return withPatientAccess(deps, actor, patientId, 'clinical', 'read', meta, async () => ({ items: await loadGoals(deps.db, deps, actor.organizationId, patientId) }), {
    view: 'goals',
  });
}

/** Patients set their own goals; clinicians on the care team set goals with them. */
export function createGoal(deps: Deps, actor: SessionActor, patientId: string, body: CreateGoalBody, meta: RequestMeta): Promise<Goal> {
  const id = randomUUID();
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      assertDate('byWhen', body.byWhen);
      const what = body.what.trim();
      const how = body.howWeWillKnow.trim();
      if (what.length < 3) throw new AppError('validation', 'Say what the goal is', { field: 'what' });
      if (how.length < 3) throw new AppError('validation', 'Say how you will know it is reached', { field: 'howWeWillKnow' });
      if (body.measure) await assertMeasure(deps.db, actor.organizationId, body.measure);
      const cipher = cipherOf(deps);
      const at = deps.now().toISOString();
      await repo.insertGoal(deps.db, {
        id,
        organization_id: actor.organizationId,
        patient_id: patientId,
        kind: body.kind,
        what_enc: cipher.encrypt(what, ctx('what', id)),
        how_we_know_enc: cipher.encrypt(how, ctx('how_we_know', id)),
        by_when: body.byWhen,
        measure_code: body.measure?.instrument ?? null,
        target_comparator: body.measure?.comparator ?? null,
        target_value: body.measure?.target ?? null,
        status: 'active',
        created_by: actor.userId,
        created_at: at,
        updated_by: actor.userId,
        updated_at: at,
      });
      return (await loadGoals(deps.db, deps, actor.organizationId, patientId)).find((g) => g.id === id)!;
    },
    { goalId: id, action: 'create_goal' },
  );
}

export function updateGoal(deps: Deps, actor: SessionActor, patientId: string, goalId: string, body: UpdateGoalBody, meta: RequestMeta): Promise<Goal> {
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      const goal = await repo.findGoal(deps.db, goalId);
      if (!goal || goal.patient_id !== patientId) throw new AppError('not_found', 'Goal not found', { field: 'id' });
      if (body.byWhen) assertDate('byWhen', body.byWhen);
      if (body.measure) await assertMeasure(deps.db, actor.organizationId, body.measure);
      const cipher = cipherOf(deps);
      const what = body.what?.trim();
      const how = body.howWeWillKnow?.trim();
      if (what !== undefined && what.length < 3) throw new AppError('validation', 'Say what the goal is', { field: 'what' });
      if (how !== undefined && how.length < 3) throw new AppError('validation', 'Say how you will know it is reached', { field: 'howWeWillKnow' });
      await repo.updateGoal(deps.db, goalId, {
        ...(body.kind ? { kind: body.kind } : {}),
        ...(what !== undefined ? { what_enc: cipher.encrypt(what, ctx('what', goalId)) } : {}),
        ...(how !== undefined ? { how_we_know_enc: cipher.encrypt(how, ctx('how_we_know', goalId)) } : {}),
        ...(body.byWhen ? { by_when: body.byWhen } : {}),
        ...(body.measure !== undefined
          ? { measure_code: body.measure?.instrument ?? null, target_comparator: body.measure?.comparator ?? null, target_value: body.measure?.target ?? null }
          : {}),
        ...(body.status ? { status: body.status } : {}),
        updated_by: actor.userId,
        updated_at: deps.now().toISOString(),
      });
      return (await loadGoals(deps.db, deps, actor.organizationId, patientId)).find((g) => g.id === goalId)!;
    },
    { goalId, action: 'update_goal', fields: Object.keys(body) },
  );
}
