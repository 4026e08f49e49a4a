import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CONSENT_KIND_LABELS, CONSENT_KINDS, type ConsentKind } from '../../../../core/consent/consent-documents';
import { createConsentDraft, listConsentDocuments, publishConsentDocument, updateConsentDraft, type ConsentDocument } from '../../../api/intake';
import { useMe } from '../../../api/session';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, StatusMessage, TextArea, TextField, type FormErrors } from '../../../components/forms';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';

/** Clinic admins edit consent documents as versions: draft → publish (patients then re-consent). */
export function ConsentDocumentsPage() {
  const { data: me } = useMe();
  const q = useQuery({ queryKey: ['consent-documents'], queryFn: listConsentDocuments });
  const [status, setStatus] = useState('');
  return (
    <Page title="Consent documents" lead="The bundled texts are templates for your counsel to review. Publishing a new version asks every patient to sign it before their next dosing session.">
      <StatusMessage>{status}</StatusMessage>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : CONSENT_KINDS.map((kind) => (
        <KindSection key={kind} kind={kind} docs={q.data.items.filter((d) => d.kind === kind)} zone={me?.timeZone ?? 'UTC'} onStatus={setStatus} />
      ))}
    </Page>
  );
}

function KindSection({ kind, docs, zone, onStatus }: { kind: ConsentKind; docs: ConsentDocument[]; zone: string; onStatus: (s: string) => void }) {
  const queryClient = useQueryClient();
  const published = docs.find((d) => d.status === 'published');
  const draft = docs.find((d) => d.status === 'draft');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['consent-documents'] });
  const start = useMutation({
    mutationFn: () => createConsentDraft({ kind, title: published?.title ?? CONSENT_KIND_LABELS[kind], body: published?.body ?? '' }),
    onSuccess: async () => {
      onStatus(`New draft of ${CONSENT_KIND_LABELS[kind]} started.`);
      await refresh();
    },
  });
  return (
    <section className="card" aria-labelledby={`cd-${kind}`}>
      <h2 id={`cd-${kind}`}>{CONSENT_KIND_LABELS[kind]}</h2>
      <ul>
        {docs.map((d) => (
          <li key={d.id}>
            Version {d.version} <Badge tone={d.status === 'published' ? 'success' : d.status === 'draft' ? 'warning' : 'neutral'}>{d.status}</Badge>
            {d.publishedAt ? ` · published ${formatInstant(d.publishedAt, zone)}` : ''}
          </li>
        ))}
      </ul>
      {draft ? <DraftEditor key={draft.id} draft={draft} onStatus={onStatus} /> : (
        <button type="button" className="button button--secondary" onClick={() => start.mutate()} disabled={start.isPending}>
          Start a new version of {CONSENT_KIND_LABELS[kind]}
        </button>
      )}
      {start.isError ? <ErrorNotice error={start.error} /> : null}
    </section>
  );
}

function DraftEditor({ draft, onStatus }: { draft: ConsentDocument; onStatus: (s: string) => void }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(draft.title);
  const [body, setBody] = useState(draft.body);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const form = `draft-${draft.kind}`;
  const save = useMutation({
    mutationFn: () => updateConsentDraft(draft.id, { title, body }),
    onSuccess: async () => {
      setErrors(NO_ERRORS);
      onStatus(`Draft version ${draft.version} saved.`);
      await queryClient.invalidateQueries({ queryKey: ['consent-documents'] });
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['title', 'body'])),
  });
  const publish = useMutation({
    mutationFn: async () => {
      await updateConsentDraft(draft.id, { title, body });
      return publishConsentDocument(draft.id);
    },
    onSuccess: async (d) => {
      onStatus(`Version ${d.version} published. Patients will be asked to sign it.`);
      await queryClient.invalidateQueries({ queryKey: ['consent-documents'] });
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['title', 'body'])),
  });
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <h3>Draft version {draft.version}</h3>
      <ErrorSummary errors={errors} form={form} />
      <TextField form={form} name="title" label="Title" value={title} onChange={setTitle} required error={errors.fields.title} />
      <TextArea form={form} name="body" label="Text" value={body} onChange={setBody} rows={16} required error={errors.fields.body} />
      <div className="q-nav">
        <button type="submit" className="button button--secondary" disabled={save.isPending}>Save draft</button>
        <button type="button" className="button button--primary" disabled={publish.isPending} onClick={() => publish.mutate()}>
          Publish version {draft.version}
        </button>
      </div>
    </form>
  );
}
