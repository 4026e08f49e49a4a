import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../../api/client';
import { getConsents, signConsent, type PatientConsents } from '../../../api/intake';
import { useMe } from '../../../api/session';
import { Checkbox, StatusMessage, TextField } from '../../../components/forms';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';

/** The patient reads and signs the clinic's consent documents, and downloads signed copies. */
export function ConsentsPage() {
  const { data: me } = useMe();
  const patientId = me?.patientId ?? '';
  const q = useQuery({ queryKey: ['consents', patientId], queryFn: () => getConsents(patientId), enabled: !!patientId });
  return (
    <Page title="Consent forms" lead="Please read each document carefully. Sign by typing your full legal name.">
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : (
        <>
          {q.data.items.map((item) => (
            <ConsentCard key={item.kind} item={item} patientId={patientId} timeZone={me?.timeZone ?? 'UTC'} />
          ))}
        </>
      )}
    </Page>
  );
}

function ConsentCard({ item, patientId, timeZone }: { item: PatientConsents['items'][number]; patientId: string; timeZone: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const [errors, setErrors] = useState<{ typedName?: string; agree?: string; form?: string }>({});
  const [done, setDone] = useState('');
  const sign = useMutation({
    mutationFn: () => signConsent(patientId, { documentId: item.current!.id, typedName: name, agree: true, textSha256: item.current!.textSha256 }),
    onSuccess: async () => {
      setDone(`Signed. Thank you — your signed copy is ready to download.`);
      await queryClient.invalidateQueries({ queryKey: ['consents', patientId] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.field === 'typedName') setErrors({ typedName: error.message });
      else setErrors({ form: error instanceof ApiError ? error.message : 'Could not sign. Please try again.' });
    },
  });
  const form = `consent-${item.kind}`;
  const sig = item.latestSignature;
  return (
    <section className="card" aria-labelledby={`${form}-title`}>
      <h2 id={`${form}-title`}>
        {item.kindLabel}{' '}
        {item.signedCurrent ? <Badge tone="success">Signed</Badge> : item.needsSignature ? <Badge tone="warning">{sig ? 'New version to sign' : 'Needs your signature'}</Badge> : null}
      </h2>
      {sig ? (
        <p>
          {item.signedCurrent ? 'You signed' : 'You signed an earlier version'} (version {sig.version}) on {formatInstant(sig.signedAt, timeZone)}.{' '}
          <a href={sig.pdfUrl} download>
            Download signed copy of {item.kindLabel} (PDF)
          </a>
        </p>
      ) : null}
      {item.needsSignature && item.current ? (
        <>
          <h3>
            {item.current.title} (version {item.current.version})
          </h3>
          <div className="consent-text" tabIndex={0} role="document" aria-label={`Text of ${item.current.title}`}>
            {item.current.body}
          </div>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const next: typeof errors = {};
              if (!name.trim()) next.typedName = 'Type your full legal name to sign.';
              if (!agree) next.agree = 'Tick the box to confirm you have read and agree.';
              setErrors(next);
              if (Object.keys(next).length === 0) sign.mutate();
            }}
          >
            {errors.form ? <p className="notice notice--error" role="alert">{errors.form}</p> : null}
            <Checkbox id={`${form}-agree`} label="I have read this document and I agree to it" checked={agree} onChange={setAgree} error={errors.agree} />
            <TextField form={form} name="typedName" label="Your full legal name" value={name} onChange={setName} autoComplete="name" required error={errors.typedName} hint="Typing your name is your electronic signature." />
            <button type="submit" className="button button--primary" disabled={sign.isPending}>
              {sign.isPending ? 'Signing…' : `Sign ${item.kindLabel}`}
            </button>
          </form>
        </>
      ) : null}
      <StatusMessage>{done}</StatusMessage>
    </section>
  );
}
