import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { defaultClinicProtocol, postSessionMeasureOf, validateClinicProtocol, type ClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { ProtocolView, PutProtocolBody } from '../../../core/schemas/dosing.schema';
import type { DB } from '../../db/schema';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { currentDefinition } from '../intake/instrument-catalog';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';

/** Revision 0 is the built-in default (defaultClinicProtocol), in force until a clinic saves its own. */
export const DEFAULT_REVISION = 0;

export function protocolAt(ctx: DosingContext, db: Kysely<DB>, organizationId: string, revision: number): Promise<ClinicProtocol> {
  return protocolRevisionAt(ctx.protocolCache, db, organizationId, revision);
}

/** A stored revision (never changes once stored, so `cache` keeps it by org and revision). */
export async function protocolRevisionAt(cache: Map<string, ClinicProtocol>, db: Kysely<DB>, organizationId: string, revision: number): Promise<ClinicProtocol> {
  if (revision === DEFAULT_REVISION) return defaultClinicProtocol;
  const key = `${organizationId}:${revision}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await repo.findProtocolRevision(db, organizationId, revision);
  if (!row) throw new Error(`protocol revision ${revision} of ${organizationId} is missing`);
  const protocol = JSON.parse(row.document) as ClinicProtocol;
  cache.set(key, protocol);
  return protocol;
}

export async function currentProtocol(db: Kysely<DB>, organizationId: string): Promise<{ revision: number; protocol: ClinicProtocol }> {
  const row = await repo.findLatestProtocol(db, organizationId);
  if (!row) return { revision: DEFAULT_REVISION, protocol: defaultClinicProtocol };
  return { revision: row.revision, protocol: JSON.parse(row.document) as ClinicProtocol };
}

function assertStaff(actor: SessionActor): void {
  if (actor.role === 'patient') throw new AppError('forbidden', 'The clinic protocol is for staff');
}

export async function getProtocol(ctx: DosingContext, actor: SessionActor): Promise<ProtocolView> {
  assertStaff(actor);
  const row = await repo.findLatestProtocol(ctx.deps.db, actor.organizationId);
  if (!row) return { revision: DEFAULT_REVISION, isDefault: true, document: defaultClinicProtocol, changeNote: null, createdAt: null, createdByName: null };
  const document = JSON.parse(row.document) as ClinicProtocol;
  return {
    revision: row.revision,
    isDefault: false,
    // A revision saved before the post-session settings existed is shown with their defaults, so they can be edited.
    document: document.postSession ? document : { ...document, postSession: defaultClinicProtocol.postSession },
    changeNote: row.change_note,
    createdAt: row.created_at,
    createdByName: row.created_by_name ?? null,
  };
}

export function getDefaultProtocol(actor: SessionActor): ClinicProtocol {
  assertStaff(actor);
  return defaultClinicProtocol;
}

export async function listRevisions(ctx: DosingContext, actor: SessionActor) {
  assertStaff(actor);
  const rows = await repo.listProtocolRevisions(ctx.deps.db, actor.organizationId);
  return {
    items: rows.map((r) => ({
      revision: r.revision,
      changeNote: r.change_note,
      createdAt: r.created_at,
      createdByName: r.created_by_name ?? null,
      version: (JSON.parse(r.document) as ClinicProtocol).version,
    })),
  };
}

/** A clinic admin saves a new revision; every error names its field (document.<path>). */
export async function saveProtocol(
  ctx: DosingContext,
  actor: SessionActor,
  body: PutProtocolBody & { baseRevision?: number },
  meta: RequestMeta,
): Promise<ProtocolView> {
  const { deps } = ctx;
  if (actor.role !== 'clinic_admin') {
    await deps.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      patientId: null,
      resource: 'clinic.protocol',
      action: 'update',
      outcome: 'denied',
      ip: meta.ip,
      requestId: meta.requestId,
    });
    throw new AppError('forbidden', 'Only a clinic admin can change the clinic protocol');
  }
  const result = validateClinicProtocol(body.document);
  if (!result.ok) {
    const details = result.errors.map((e) => ({ field: `document.${e.field}`, message: e.message }));
    const first = details[0]!;
    throw new AppError('validation', `${first.field} ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, {
      field: first.field,
      details,
    });
  }
  // The measure must be one this clinic can give: bundled, or imported by the clinic (e.g. a licensed CADSS).
  const measure = postSessionMeasureOf(result.protocol);
  if (measure.offered.value && !(await currentDefinition(deps.db, actor.organizationId, measure.instrument.value))) {
    const field = 'document.postSession.experienceMeasure.instrument.value';
    throw new AppError('validation', `${field}: no questionnaire "${measure.instrument.value}" in this clinic; import it first`, {
      field,
      details: [{ field, message: `no questionnaire "${measure.instrument.value}" in this clinic; import it first` }],
    });
  }
  const at = deps.now().toISOString();
  const latest = await repo.findLatestProtocol(deps.db, actor.organizationId);
  const current = latest?.revision ?? DEFAULT_REVISION;
  if (body.baseRevision !== undefined && body.baseRevision !== current) {
    throw new AppError('conflict', `The protocol was changed by someone else (now revision ${current}); reload and apply your change again`, {
      field: 'baseRevision',
    });
  }
  const revision = current + 1;
  const inserted = await repo.insertProtocolRevision(deps.db, {
    id: randomUUID(),
    organization_id: actor.organizationId,
    revision,
    document: JSON.stringify(result.protocol),
    change_note: body.changeNote?.trim() || null,
    created_by: actor.userId,
    created_at: at,
  });
  if (!inserted) {
    throw new AppError('conflict', 'The protocol was changed by someone else at the same time; reload and try again', { field: 'baseRevision' });
  }
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'clinic.protocol',
    action: 'update',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { revision },
  });
  return getProtocol(ctx, actor);
}
