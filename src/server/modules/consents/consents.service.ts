import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CONSENT_KINDS, CONSENT_KIND_LABELS, DEFAULT_CONSENT_TEXTS, type ConsentKind } from '../../../core/consent/consent-documents';
import type {
  ConsentDocument,
  ConsentSignature,
  CreateConsentDocumentBody,
  PatientConsents,
  SignConsentBody,
  UpdateConsentDocumentBody,
} from '../../../core/schemas/intake.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { renderConsentPdf } from './consent-pdf';
import { lockPatientIntake } from '../intake/intake.repository';
import * as repo from './consents.repository';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A clinic without consent documents starts from the bundled templates (version 1,
 * published, clearly marked for counsel's review). Idempotent and safe under races.
 */
export async function ensureDefaultConsentDocuments(db: Kysely<DB>, organizationId: string, at: string, createdBy = 'system'): Promise<void> {
  for (const kind of CONSENT_KINDS) {
    if ((await repo.countDocuments(db, organizationId, kind)) > 0) continue;
    const text = DEFAULT_CONSENT_TEXTS[kind];
    await repo.insertDocumentIfAbsent(db, {
      id: randomUUID(),
      organization_id: organizationId,
      kind,
      version: 1,
      title: text.title,
      body: text.body,
      status: 'published',
      created_by: createdBy,
      created_at: at,
      updated_at: at,
      published_at: at,
      published_by: createdBy,
    });
  }
}

/**
 * Whether the patient has signed the currently published version of `kind` (for the dosing
 * check-in gate). Publishing a new version makes this false until the patient signs again.
 */
export async function hasCurrentConsent(db: Kysely<DB>, patientId: string, kind: ConsentKind): Promise<boolean> {
  const patient = await db.selectFrom('patients').select(['organization_id']).where('id', '=', patientId).executeTakeFirst();
  if (!patient) return false;
  const current = await repo.findPublished(db, patient.organization_id, kind);
  if (!current) return false;
  return (await repo.findSignatureForDocument(db, patientId, current.id)) !== undefined;
}

type DocumentRow = Awaited<ReturnType<typeof repo.listDocuments>>[number];

function toDocument(row: DocumentRow): ConsentDocument {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: CONSENT_KIND_LABELS[row.kind],
    version: row.version,
    title: row.title,
    body: row.body,
    status: row.status,
    textSha256: sha256Hex(row.body),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

function toSignature(row: repo.SignatureRow): ConsentSignature {
  return {
    id: row.id,
    documentId: row.document_id,
    kind: row.kind,
    version: row.version,
    title: row.title,
    typedName: row.typed_name,
    signedAt: row.signed_at,
    ip: row.ip,
    textSha256: row.text_sha256,
    pdfUrl: `/api/patients/${row.patient_id}/consents/${row.id}/pdf`,
  };
}

function requireAdmin(actor: SessionActor): void {
  if (actor.role !== 'clinic_admin') throw new AppError('forbidden', 'Only a clinic admin can edit consent documents');
}

async function auditDocument(deps: Deps, actor: SessionActor, meta: RequestMeta, action: string, detail: Record<string, unknown>) {
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'consent_document',
    action,
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
}

/** Admins see every version (drafts, published, retired); everyone else the published ones. */
export async function listConsentDocuments(deps: Deps, actor: SessionActor, kind?: ConsentKind): Promise<{ items: ConsentDocument[] }> {
  await ensureDefaultConsentDocuments(deps.db, actor.organizationId, deps.now().toISOString());
  const rows = await repo.listDocuments(deps.db, actor.organizationId, { ...(kind ? { kind } : {}), publishedOnly: actor.role !== 'clinic_admin' });
  return { items: rows.map(toDocument) };
}

export async function createConsentDraft(deps: Deps, actor: SessionActor, body: CreateConsentDocumentBody, meta: RequestMeta): Promise<ConsentDocument> {
  requireAdmin(actor);
  const at = deps.now().toISOString();
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await lockPatientIntake(trx, deps.database.dialect, `consent-documents:${actor.organizationId}`);
    await ensureDefaultConsentDocuments(trx, actor.organizationId, at);
    const existing = await repo.listDocuments(trx, actor.organizationId, { kind: body.kind });
    const draft = existing.find((d) => d.status === 'draft');
    if (draft) throw new AppError('conflict', `There is already a draft (version ${draft.version}) of this document; edit or publish it`, { field: 'kind' });
    await repo.insertDocument(trx, {
      id,
      organization_id: actor.organizationId,
      kind: body.kind,
      version: (await repo.maxVersion(trx, actor.organizationId, body.kind)) + 1,
      title: body.title.trim(),
      body: body.body,
      status: 'draft',
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
      published_at: null,
      published_by: null,
    });
  });
  await auditDocument(deps, actor, meta, 'create_draft', { documentId: id, kind: body.kind });
  return toDocument((await repo.findDocument(deps.db, id))!);
}

async function ownDocument(deps: Deps, actor: SessionActor, id: string) {
  const doc = await repo.findDocument(deps.db, id);
  if (!doc || doc.organization_id !== actor.organizationId) throw new AppError('not_found', 'Consent document not found');
  return doc;
}

export async function updateConsentDraft(deps: Deps, actor: SessionActor, id: string, body: UpdateConsentDocumentBody, meta: RequestMeta): Promise<ConsentDocument> {
  requireAdmin(actor);
  const doc = await ownDocument(deps, actor, id);
  if (doc.status !== 'draft') throw new AppError('conflict', 'A published version is never edited: create a new draft version', { field: 'id' });
  const changed = await repo.updateDraftDocument(deps.db, id, {
    ...(body.title !== undefined ? { title: body.title.trim() } : {}),
    ...(body.body !== undefined ? { body: body.body } : {}),
    updated_at: deps.now().toISOString(),
  });
  if (changed !== 1) throw new AppError('conflict', 'This draft was published meanwhile', { field: 'id' });
  await auditDocument(deps, actor, meta, 'edit_draft', { documentId: id, fields: Object.keys(body) });
  return toDocument((await repo.findDocument(deps.db, id))!);
}

/** Publishing retires the previous version: every patient must sign the new one before dosing. */
export async function publishConsentDocument(deps: Deps, actor: SessionActor, id: string, meta: RequestMeta): Promise<ConsentDocument> {
  requireAdmin(actor);
  const doc = await ownDocument(deps, actor, id);
  if (doc.status !== 'draft') throw new AppError('conflict', `Version ${doc.version} is already ${doc.status}`, { field: 'id' });
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if ((await repo.publishDraft(trx, id, at, actor.userId)) !== 1) throw new AppError('conflict', 'This draft was published meanwhile', { field: 'id' });
    await repo.retirePublished(trx, actor.organizationId, doc.kind, id);
  });
  await auditDocument(deps, actor, meta, 'publish', { documentId: id, kind: doc.kind, version: doc.version });
  return toDocument((await repo.findDocument(deps.db, id))!);
}

export async function loadPatientConsents(deps: Deps, db: Kysely<DB>, organizationId: string, patientId: string): Promise<PatientConsents> {
  await ensureDefaultConsentDocuments(db, organizationId, deps.now().toISOString());
  const [docs, signatures] = await Promise.all([repo.listDocuments(db, organizationId, { publishedOnly: true }), repo.listSignatures(db, patientId)]);
  return {
    items: CONSENT_KINDS.map((kind) => {
      const current = docs.find((d) => d.kind === kind) ?? null;
      const latest = signatures.find((s) => s.kind === kind) ?? null;
      const signedCurrent = !!current && signatures.some((s) => s.document_id === current.id);
      return {
        kind,
        kindLabel: CONSENT_KIND_LABELS[kind],
        current: current ? toDocument(current) : null,
        latestSignature: latest ? toSignature(latest) : null,
        signedCurrent,
        needsSignature: !!current && !signedCurrent,
      };
    }),
    signatures: signatures.map(toSignature),
  };
}

export function getPatientConsents(deps: Deps, actor: SessionActor, patientId: string, meta: RequestMeta): Promise<PatientConsents> {
  return withPatientAccess(deps, actor, patientId, 'clinical', 'read', meta, () => loadPatientConsents(deps, deps.db, actor.organizationId, patientId), {
    view: 'consents',
  });
}

const normalizeName = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The patient signs the current published version in the portal: typed full legal name,
 * time, IP address and the SHA-256 of the exact text are recorded, and a PDF copy is
 * generated and kept. Only the patient signs their own consent.
 */
export async function signConsent(
  deps: Deps,
  actor: SessionActor,
  patientId: string,
  body: SignConsentBody & { textSha256?: string },
  meta: RequestMeta,
): Promise<ConsentSignature> {
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async (via) => {
      if (via !== 'self') throw new AppError('forbidden', 'Only the patient can sign their consent, in the portal');
      const at = deps.now().toISOString();
      const id = randomUUID();
      const row = await deps.db.transaction().execute(async (trx) => {
        await lockPatientIntake(trx, deps.database.dialect, patientId);
        const patient = await repo.findPatientForConsent(trx, patientId);
        if (!patient) throw new AppError('not_found', 'Patient not found');
        const doc = await repo.findDocument(trx, body.documentId);
        if (!doc || doc.organization_id !== patient.organization_id) throw new AppError('not_found', 'Consent document not found', { field: 'documentId' });
        if (doc.status !== 'published') {
          throw new AppError('conflict', 'This version of the document is no longer current: please read the new version and sign that', { field: 'documentId' });
        }
        const textSha256 = sha256Hex(doc.body);
        if (body.textSha256 !== undefined && body.textSha256 !== textSha256) {
          throw new AppError('conflict', 'The text you were shown differs from the current text: reload and read it again', { field: 'textSha256' });
        }
        const legal = `${patient.legal_given_name} ${patient.legal_family_name}`;
        if (normalizeName(body.typedName) !== normalizeName(legal)) {
          throw new AppError('validation', 'Type your full legal name exactly as it appears on your record', { field: 'typedName' });
        }
        if (await repo.findSignatureForDocument(trx, patientId, doc.id)) {
          throw new AppError('conflict', 'You have already signed this version', { field: 'documentId' });
        }
        const pdf = await renderConsentPdf({
          clinicName: patient.organization_name,
          timeZone: patient.time_zone,
          title: doc.title,
          kindLabel: CONSENT_KIND_LABELS[doc.kind],
          version: doc.version,
          body: doc.body,
          patientName: legal,
          dateOfBirth: patient.date_of_birth,
          typedName: body.typedName.trim(),
          signedAt: at,
          ip: meta.ip,
          textSha256,
          signatureId: id,
        });
        await repo.insertSignature(trx, {
          id,
          organization_id: patient.organization_id,
          patient_id: patientId,
          document_id: doc.id,
          kind: doc.kind,
          version: doc.version,
          typed_name: body.typedName.trim(),
          signed_at: at,
          ip: meta.ip,
          text_sha256: textSha256,
          signed_by_user_id: actor.userId,
          pdf_base64: Buffer.from(pdf).toString('base64'),
        });
        return (await repo.listSignatures(trx, patientId)).find((s) => s.id === id)!;
      });
      return toSignature(row);
    },
    { documentId: body.documentId, action: 'sign_consent' },
  );
}

export function getConsentPdf(deps: Deps, actor: SessionActor, patientId: string, signatureId: string, meta: RequestMeta) {
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'read',
    meta,
    async () => {
      const row = await repo.findSignaturePdf(deps.db, patientId, signatureId);
      if (!row) throw new AppError('not_found', 'Signed consent not found', { field: 'signatureId' });
      return { filename: `consent-${row.kind.replace(/_/g, '-')}-v${row.version}.pdf`, pdf: Buffer.from(row.pdf_base64, 'base64') };
    },
    { signatureId, view: 'consent_pdf' },
  );
}
