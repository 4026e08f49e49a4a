import type { Insertable, Kysely, Updateable } from 'kysely';
import type { ConsentDocumentsTable, ConsentKind, ConsentSignaturesTable, DB } from '../../db/schema';

export function listDocuments(db: Kysely<DB>, organizationId: string, filter: { kind?: ConsentKind; publishedOnly?: boolean } = {}) {
  let q = db.selectFrom('consent_documents').selectAll().where('organization_id', '=', organizationId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.publishedOnly) q = q.where('status', '=', 'published');
  return q.orderBy('kind').orderBy('version', 'desc').execute();
}

export function findDocument(db: Kysely<DB>, id: string) {
  return db.selectFrom('consent_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPublished(db: Kysely<DB>, organizationId: string, kind: ConsentKind) {
  return db
    .selectFrom('consent_documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

export async function maxVersion(db: Kysely<DB>, organizationId: string, kind: ConsentKind): Promise<number> {
  const r = await db
    .selectFrom('consent_documents')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('organization_id', '=', organizationId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function countDocuments(db: Kysely<DB>, organizationId: string, kind: ConsentKind): Promise<number> {
  const r = await db
    .selectFrom('consent_documents')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organization_id', '=', organizationId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertDocumentIfAbsent(db: Kysely<DB>, row: Insertable<ConsentDocumentsTable>) {
  await db
    .insertInto('consent_documents')
    .values(row)
    .onConflict((oc) => oc.columns(['organization_id', 'kind', 'version']).doNothing())
    .execute();
}

export async function insertDocument(db: Kysely<DB>, row: Insertable<ConsentDocumentsTable>) {
  await db.insertInto('consent_documents').values(row).execute();
}

export async function updateDraftDocument(db: Kysely<DB>, id: string, changes: Updateable<ConsentDocumentsTable>) {
  const r = await db.updateTable('consent_documents').set(changes).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function retirePublished(db: Kysely<DB>, organizationId: string, kind: ConsentKind, exceptId: string) {
  await db
    .updateTable('consent_documents')
    .set({ status: 'retired' })
    .where('organization_id', '=', organizationId)
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .where('id', '!=', exceptId)
    .execute();
}

export async function publishDraft(db: Kysely<DB>, id: string, at: string, by: string) {
  const r = await db
    .updateTable('consent_documents')
    .set({ status: 'published', published_at: at, published_by: by, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

const signatureColumns = [
  's.id',
  's.organization_id',
  's.patient_id',
  's.document_id',
  's.kind',
  's.version',
  's.typed_name',
  's.signed_at',
  's.ip',
  's.text_sha256',
  'd.title',
] as const;

export function listSignatures(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('consent_signatures as s')
    .innerJoin('consent_documents as d', 'd.id', 's.document_id')
    .select(signatureColumns)
    .where('s.patient_id', '=', patientId)
    .orderBy('s.signed_at', 'desc')
    .orderBy('s.id')
    .execute();
}
export type SignatureRow = Awaited<ReturnType<typeof listSignatures>>[number];

export function findSignaturePdf(db: Kysely<DB>, patientId: string, signatureId: string) {
  return db
    .selectFrom('consent_signatures')
    .select(['id', 'kind', 'version', 'pdf_base64'])
    .where('id', '=', signatureId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
}

export async function insertSignature(db: Kysely<DB>, row: Insertable<ConsentSignaturesTable>) {
  await db.insertInto('consent_signatures').values(row).execute();
}

export function findSignatureForDocument(db: Kysely<DB>, patientId: string, documentId: string) {
  return db
    .selectFrom('consent_signatures')
    .select(['id'])
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
}

export function findPatientForConsent(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('patients as p')
    .innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .select(['p.id', 'p.organization_id', 'p.legal_given_name', 'p.legal_family_name', 'p.date_of_birth', 'o.name as organization_name', 'o.time_zone'])
    .where('p.id', '=', patientId)
    .executeTakeFirst();
}
