import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../../api/client';
import { importInstrument, listImportedInstruments } from '../../../api/intake';
import { StatusMessage, TextArea } from '../../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';

/**
 * Import an instrument definition file for a questionnaire the clinic holds a licence for
 * (e.g. the C-SSRS screener, DAST-10). Threshold does not bundle them.
 */
export function InstrumentsPage() {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['imported-instruments'], queryFn: listImportedInstruments });
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
  const [status, setStatus] = useState('');
  const m = useMutation({
    mutationFn: () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError(400, 'validation', 'The file is not valid JSON', 'definition');
      }
      return importInstrument(parsed);
    },
    onSuccess: async (d) => {
      setErrors([]);
      setText('');
      setStatus(`Imported ${d.title} version ${d.version}.`);
      await queryClient.invalidateQueries({ queryKey: ['imported-instruments'] });
      await queryClient.invalidateQueries({ queryKey: ['questionnaires'] });
    },
    onError: (e) => {
      if (e instanceof ApiError) setErrors(e.details.length > 0 ? [...e.details] : [{ field: e.field ?? 'definition', message: e.message }]);
      else setErrors([{ field: 'definition', message: 'Could not import.' }]);
    },
  });
  return (
    <Page title="Instrument definitions" lead="Import a questionnaire your clinic is licensed to use electronically. The file is checked before it is stored; every version is kept.">
      <StatusMessage>{status}</StatusMessage>
      <h2>Imported</h2>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : q.data.items.length === 0 ? <p className="muted">None yet.</p> : (
        <ul>
          {q.data.items.map((i) => (
            <li key={i.id}>
              {i.title} ({i.code}) version {i.version} {i.active ? <Badge tone="success">in use</Badge> : <Badge tone="neutral">earlier version</Badge>}
            </li>
          ))}
        </ul>
      )}
      <h2>Import a definition file</h2>
      <form noValidate onSubmit={(e) => { e.preventDefault(); m.mutate(); }}>
        <label className="field__label" htmlFor="instrument-file">Choose a JSON file</label>
        <input
          id="instrument-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setText(await file.text());
          }}
        />
        <TextArea form="import" name="definition" label="…or paste the definition (JSON)" value={text} onChange={setText} rows={10} required />
        {errors.length > 0 ? (
          <div className="notice notice--error" role="alert">
            <p className="notice__title">The file was not imported</p>
            <ul>
              {errors.map((e) => (
                <li key={e.field + e.message}>
                  <code>{e.field}</code>: {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <button type="submit" className="button button--primary" disabled={m.isPending || !text.trim()}>
          Import
        </button>
      </form>
    </Page>
  );
}
