import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { isApiError, type ErrorDetail } from '../../../api/client';
import { getProtocol, saveProtocol } from '../../../api/dosing';
import { ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';
import './dosing.css';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isCited = (v: Json): v is { value: Json; source: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'value' in v && 'source' in v && Object.keys(v).length === 2;

function setAt(doc: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) return doc.map((x, i) => (i === head ? setAt(x, rest, value) : x));
  const obj = doc as Record<string, Json>;
  return { ...obj, [head as string]: setAt(obj[head as string] as Json, rest, value) };
}

const label = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

/**
 * The clinic protocol, every number with its source beside it. Each save is a new revision;
 * errors come back naming the field (document.<path>) and are shown at that field.
 */
export function ProtocolSettingsPage() {
  const queryClient = useQueryClient();
  const protocol = useQuery({ queryKey: ['protocol'], queryFn: getProtocol });
  const [doc, setDoc] = useState<Json>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [status, setStatus] = useState('');
  const [loadedRevision, setLoadedRevision] = useState<number | null>(null);
  if (protocol.data && protocol.data.revision !== loadedRevision) {
    setLoadedRevision(protocol.data.revision);
    setDoc(protocol.data.document as Json);
  }
  const save = useMutation({
    mutationFn: () => saveProtocol(doc, note, protocol.data!.revision),
    onSuccess: (p) => {
      queryClient.setQueryData(['protocol'], p);
      setErrors([]);
      setNote('');
      setStatus(`Saved as revision ${p.revision}.`);
    },
    onError: (e) => {
      setStatus('');
      setErrors(isApiError(e) ? (e.details.length > 0 ? [...e.details] : [{ field: e.field ?? 'document', message: e.message }]) : [{ field: 'document', message: 'Could not save' }]);
    },
  });
  if (protocol.isPending || doc === null) return <Loading />;
  if (protocol.error) return <ErrorNotice error={protocol.error} />;
  const p = protocol.data;
  const errorAt = (path: string) => errors.find((e) => e.field === `document.${path}` || e.field === `document.${path}.value`)?.message;

  const leaf = (path: (string | number)[], value: Json, source?: string): ReactNode => {
    const id = `p-${path.join('-')}`;
    const dotted = path.join('.');
    const err = errorAt(source === undefined ? dotted : dotted.replace(/\.value$/, ''));
    const input =
      typeof value === 'boolean' ? (
        <input id={id} type="checkbox" checked={value} onChange={(e) => setDoc(setAt(doc, path, e.target.checked))} />
      ) : typeof value === 'number' ? (
        <input id={id} className="input input--small" inputMode="decimal" defaultValue={String(value)} onBlur={(e) => setDoc(setAt(doc, path, e.target.value.trim() === '' ? (e.target.value as Json) : Number(e.target.value)))} aria-invalid={err ? true : undefined} />
      ) : Array.isArray(value) ? (
        <input id={id} className="input" defaultValue={value.join(', ')} onBlur={(e) => setDoc(setAt(doc, path, e.target.value.split(',').map((x) => x.trim()).filter(Boolean)))} />
      ) : (
        <input id={id} className="input" defaultValue={String(value ?? '')} onBlur={(e) => setDoc(setAt(doc, path, e.target.value))} aria-invalid={err ? true : undefined} />
      );
    const name = String(source === undefined ? path[path.length - 1] : path[path.length - 2]);
    return (
      <div className="protocol-leaf" key={dotted}>
        <label htmlFor={id}>{label(name)}</label>
        <div>
          {input}
          {err ? <p className="field__error">{err}</p> : null}
          {source ? <p className="protocol-leaf__source">Source: {source}</p> : null}
        </div>
      </div>
    );
  };

  const render = (value: Json, path: (string | number)[]): ReactNode => {
    if (isCited(value)) return leaf([...path, 'value'], value.value, value.source);
    if (Array.isArray(value) && value.some((x) => typeof x === 'object' && x !== null)) {
      return (
        <details className="protocol-group" key={path.join('.')}>
          <summary>{label(String(path[path.length - 1]))} ({value.length})</summary>
          {value.map((item, i) => (
            <fieldset className="fieldset" key={i}>
              <legend>{typeof item === 'object' && item && !Array.isArray(item) && 'id' in item ? String(item.id) : `#${i + 1}`}</legend>
              {render(item, [...path, i])}
            </fieldset>
          ))}
        </details>
      );
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      const body = entries.map(([k, v]) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !isCited(v) ? render(v, [...path, k]) : isCited(v) ? render(v, [...path, k]) : Array.isArray(v) && v.some((x) => typeof x === 'object') ? render(v, [...path, k]) : leaf([...path, k], v)));
      if (path.length === 0 || typeof path[path.length - 1] === 'number') return <div key={path.join('.')}>{body}</div>;
      return (
        <details className="protocol-group" key={path.join('.')} open={path.length === 1}>
          <summary>{label(String(path[path.length - 1]))}</summary>
          {body}
        </details>
      );
    }
    return leaf(path, value);
  };

  return (
    <Page
      title="Clinic protocol"
      lead={
        p.isDefault
          ? 'The built-in defaults are in force. Review every value and its source, then save to sign off your own revision.'
          : `Revision ${p.revision}, saved ${p.createdAt ? formatInstant(p.createdAt, 'UTC') : ''} UTC by ${p.createdByName ?? '—'}${p.changeNote ? ` — “${p.changeNote}”` : ''}.`
      }
    >
      <div aria-live="assertive">
        {errors.length > 0 ? (
          <div className="error-summary" role="group" aria-labelledby="protocol-errors">
            <h2 id="protocol-errors" className="error-summary__title">
              The protocol was not saved
            </h2>
            <ul>
              {errors.map((e) => (
                <li key={e.field + e.message}>
                  <span className="mono">{e.field.replace(/^document\./, '')}</span>: {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      <p role="status">{status}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {render(doc, [])}
        <div className="field">
          <label className="field__label" htmlFor="protocol-note">
            What changed and who signed it off
          </label>
          <input id="protocol-note" className="input" value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Save as a new revision
        </button>
      </form>
    </Page>
  );
}
