import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findBundledInstrument, BUNDLED_INSTRUMENTS } from '../../../core/instruments/definitions/bundled-instruments';
import { validateInstrumentDefinition, type InstrumentDefinition } from '../../../core/instruments/instrument-definition.schema';
import type { ImportInstrumentBody, Questionnaire } from '../../../core/schemas/intake.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import * as repo from './intake.repository';

/**
 * The instruments a clinic uses: the bundled ones (code) plus the clinic's imported,
 * licensed ones (database, versioned). Every response references a stored definition row
 * (bundled definitions are stored on first use), so it keeps the exact version answered on.
 */
export interface ResolvedDefinition {
  definition: InstrumentDefinition;
  origin: 'bundled' | 'imported';
  /** Stored row id (imported) — bundled rows are created on first use by `storeDefinition`. */
  storedId: string | null;
}

// Stored definitions never change (a new version is a new row): cache them by id.
const byId = new Map<string, InstrumentDefinition>();

export async function definitionById(db: Kysely<DB>, id: string): Promise<InstrumentDefinition | null> {
  const cached = byId.get(id);
  if (cached) return cached;
  const row = await repo.findDefinitionById(db, id);
  if (!row) return null;
  const def = JSON.parse(row.definition) as InstrumentDefinition;
  byId.set(id, def);
  return def;
}

/** The version new responses are answered on: the active imported version, else the bundled one. */
export async function currentDefinition(db: Kysely<DB>, organizationId: string, code: string): Promise<ResolvedDefinition | null> {
  const bundled = findBundledInstrument(code);
  if (bundled) return { definition: bundled, origin: 'bundled', storedId: null };
  const imported = (await repo.listImportedDefinitions(db, organizationId)).find((r) => r.code === code && r.active === 1);
  if (!imported) return null;
  return { definition: JSON.parse(imported.definition) as InstrumentDefinition, origin: 'imported', storedId: imported.id };
}

/** The stored row id for this exact definition version (inserting a bundled one on first use). */
export async function storeDefinition(db: Kysely<DB>, organizationId: string, resolved: ResolvedDefinition, at: string): Promise<string> {
  if (resolved.storedId) return resolved.storedId;
  const def = resolved.definition;
  await repo.insertDefinitionIfAbsent(db, {
    id: randomUUID(),
    organization_id: organizationId,
    code: def.code,
    version: def.version,
    title: def.title,
    origin: 'bundled',
    definition: JSON.stringify(def),
    active: 1,
    imported_by: 'system',
    created_at: at,
  });
  const row = await repo.findDefinitionVersion(db, organizationId, def.code, def.version);
  if (!row) throw new Error('stored definition vanished');
  return row.id;
}

function toQuestionnaire(def: InstrumentDefinition, imported: boolean, definitionId: string | null): Questionnaire {
  return { ...def, imported, definitionId, criticalItemIds: [...new Set((def.criticalItems ?? []).map((c) => c.itemId))] };
}

/** Instrument definitions are not patient data: any signed-in user may read them. */
export async function listQuestionnaires(deps: Deps, actor: SessionActor): Promise<{ items: Questionnaire[] }> {
  const imported = (await repo.listImportedDefinitions(deps.db, actor.organizationId)).filter((r) => r.active === 1);
  return {
    items: [
      ...BUNDLED_INSTRUMENTS.map((d) => toQuestionnaire(d, false, null)),
      ...imported.map((r) => toQuestionnaire(JSON.parse(r.definition) as InstrumentDefinition, true, r.id)),
    ],
  };
}

export async function getQuestionnaire(deps: Deps, actor: SessionActor, code: string): Promise<Questionnaire> {
  const resolved = await currentDefinition(deps.db, actor.organizationId, code);
  if (!resolved) throw new AppError('not_found', `No questionnaire "${code}"`, { field: 'code' });
  return toQuestionnaire(resolved.definition, resolved.origin === 'imported', resolved.storedId);
}

export async function listImported(deps: Deps, actor: SessionActor) {
  requireAdmin(actor);
  const rows = await repo.listImportedDefinitions(deps.db, actor.organizationId);
  return { items: rows.map((r) => ({ id: r.id, code: r.code, version: r.version, title: r.title, active: r.active === 1, createdAt: r.created_at })) };
}

function requireAdmin(actor: SessionActor): void {
  if (actor.role !== 'clinic_admin') throw new AppError('forbidden', 'Only a clinic admin can manage instrument definitions');
}

/**
 * Admin upload of a licensed instrument (e.g. the clinic's C-SSRS screener). Validated with
 * validateInstrumentDefinition: every problem names its field (`definition.<path>`).
 * A new version of an imported code becomes the active one; earlier versions stay stored
 * for the responses answered on them.
 */
export async function importInstrument(deps: Deps, actor: SessionActor, body: ImportInstrumentBody, meta: RequestMeta) {
  requireAdmin(actor);
  const result = validateInstrumentDefinition(body.definition);
  if (!result.ok) {
    const first = result.errors[0]!;
    const field = first.field === '(root)' ? 'definition' : `definition.${first.field}`;
    throw new AppError('validation', `${field}: ${first.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : ''}`, {
      field,
      details: result.errors.map((e) => ({ field: e.field === '(root)' ? 'definition' : `definition.${e.field}`, message: e.message })),
    });
  }
  const def = result.definition;
  if (findBundledInstrument(def.code)) {
    throw new AppError('conflict', `"${def.code}" is a bundled instrument; give the imported instrument its own code`, { field: 'definition.code' });
  }
  const id = randomUUID();
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockPatientIntake(trx, deps.database.dialect, `instruments:${actor.organizationId}`);
    if (await repo.findDefinitionVersion(trx, actor.organizationId, def.code, def.version)) {
      throw new AppError('conflict', `${def.code} version ${def.version} is already imported; give the file a new version`, { field: 'definition.version' });
    }
    await repo.insertDefinition(trx, {
      id,
      organization_id: actor.organizationId,
      code: def.code,
      version: def.version,
      title: def.title,
      origin: 'imported',
      definition: JSON.stringify(def),
      active: 1,
      imported_by: actor.userId,
      created_at: at,
    });
    await repo.deactivateOtherImportedVersions(trx, actor.organizationId, def.code, id);
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'instrument_definition',
    action: 'import',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { definitionId: id, code: def.code, version: def.version },
  });
  return toQuestionnaire(def, true, id);
}
