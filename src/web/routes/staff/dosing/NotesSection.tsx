import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../../api/client';
import { addNoteAddendum, getNotes, saveNotes, signNotes, type SessionNoteContent } from '../../../api/dosing';

const EMPTY: SessionNoteContent = {
  setting: { room: '', music: '', eyeshades: false },
  intention: '',
  support: '',
  observations: '',
  patientWords: '',
  adverseEvents: [],
};
const AE_TYPES: [SessionNoteContent['adverseEvents'][number]['type'], string][] = [
  ['nausea-vomiting', 'Nausea / vomiting'],
  ['anxiety-agitation', 'Anxiety / agitation'],
  ['hypertension', 'Hypertension'],
  ['dissociation-distress', 'Distress from dissociation'],
  ['other', 'Other'],
];

/** Therapist and experience record: a draft until signed, then immutable with addenda. */
export function NotesSection({ sessionId }: { sessionId: string }) {
  const queryClient = useQueryClient();
  const key = ['dosing-notes', sessionId];
  const note = useQuery({ queryKey: key, queryFn: () => getNotes(sessionId) });
  const [content, setContent] = useState<SessionNoteContent>(EMPTY);
  const [addendum, setAddendum] = useState('');
  const [status, setStatus] = useState('');
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  if (note.data?.content && note.data.updatedAt !== loadedAt) {
    setLoadedAt(note.data.updatedAt);
    setContent(note.data.content);
  }
  const onError = (e: unknown) => setStatus(isApiError(e) ? e.message : 'That did not work.');
  const save = useMutation({ mutationFn: () => saveNotes(sessionId, content), onSuccess: (n) => (queryClient.setQueryData(key, n), setStatus('Draft saved.')), onError });
  const sign = useMutation({
    mutationFn: async () => {
      await saveNotes(sessionId, content);
      return signNotes(sessionId);
    },
    onSuccess: (n) => (queryClient.setQueryData(key, n), setStatus('Notes signed. They can no longer change; add an addendum to correct them.')),
    onError,
  });
  const add = useMutation({ mutationFn: () => addNoteAddendum(sessionId, addendum.trim()), onSuccess: (n) => (queryClient.setQueryData(key, n), setAddendum(''), setStatus('Addendum added.')), onError });
  const signed = note.data?.status === 'signed';
  const text = (k: 'intention' | 'support' | 'observations' | 'patientWords', label: string) => (
    <div className="field" key={k}>
      <label className="field__label" htmlFor={`note-${k}`}>
        {label}
      </label>
      <textarea id={`note-${k}`} className="input" rows={3} value={content[k]} readOnly={signed} onChange={(e) => setContent({ ...content, [k]: e.target.value })} />
    </div>
  );
  const setAe = (i: number, patch: Partial<SessionNoteContent['adverseEvents'][number]>) =>
    setContent({ ...content, adverseEvents: content.adverseEvents.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  return (
    <section className="dosing-section dosing-section--wide" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Therapist and experience record {signed ? <span className="badge badge--success">Signed</span> : note.data?.status === 'draft' ? <span className="badge badge--neutral">Draft</span> : null}</h2>
      <div className="row">
        <div className="field">
          <label className="field__label" htmlFor="note-room">
            Room / setting
          </label>
          <input id="note-room" className="input" value={content.setting.room} readOnly={signed} onChange={(e) => setContent({ ...content, setting: { ...content.setting, room: e.target.value } })} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="note-music">
            Music
          </label>
          <input id="note-music" className="input" value={content.setting.music} readOnly={signed} onChange={(e) => setContent({ ...content, setting: { ...content.setting, music: e.target.value } })} />
        </div>
        <div className="checkbox">
          <input type="checkbox" id="note-eyeshades" checked={content.setting.eyeshades} disabled={signed} onChange={(e) => setContent({ ...content, setting: { ...content.setting, eyeshades: e.target.checked } })} />
          <label htmlFor="note-eyeshades">Eyeshades</label>
        </div>
      </div>
      {text('intention', 'Intention')}
      {text('support', 'Prompts and support given')}
      {text('observations', 'Observations')}
      {text('patientWords', "Patient's own words after the session")}
      <fieldset className="fieldset">
        <legend>Adverse events</legend>
        {content.adverseEvents.length === 0 ? <p className="muted">None recorded.</p> : null}
        {content.adverseEvents.map((a, i) => (
          <div className="row" key={i}>
            <div className="field">
              <label className="field__label" htmlFor={`ae-type-${i}`}>
                Type
              </label>
              <select id={`ae-type-${i}`} className="input" value={a.type} disabled={signed} onChange={(e) => setAe(i, { type: e.target.value as typeof a.type })}>
                {AE_TYPES.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`ae-sev-${i}`}>
                Severity
              </label>
              <select id={`ae-sev-${i}`} className="input" value={a.severity} disabled={signed} onChange={(e) => setAe(i, { severity: e.target.value as typeof a.severity })}>
                <option value="mild">Mild</option>
                <option value="moderate">Moderate</option>
                <option value="severe">Severe</option>
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`ae-desc-${i}`}>
                Description
              </label>
              <input id={`ae-desc-${i}`} className="input" value={a.description} readOnly={signed} onChange={(e) => setAe(i, { description: e.target.value })} />
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`ae-int-${i}`}>
                Intervention
              </label>
              <input id={`ae-int-${i}`} className="input" value={a.intervention} readOnly={signed} onChange={(e) => setAe(i, { intervention: e.target.value })} />
            </div>
          </div>
        ))}
        {!signed ? (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => setContent({ ...content, adverseEvents: [...content.adverseEvents, { type: 'nausea-vomiting', description: '', severity: 'mild', intervention: '' }] })}
          >
            Add adverse event
          </button>
        ) : null}
      </fieldset>
      {!signed ? (
        <div className="row">
          <button type="button" className="button button--secondary" onClick={() => save.mutate()} disabled={save.isPending}>
            Save draft
          </button>
          <button type="button" className="button button--primary" onClick={() => sign.mutate()} disabled={sign.isPending}>
            Sign notes
          </button>
        </div>
      ) : (
        <>
          <p className="muted">
            Signed by {note.data?.signedByName} · fingerprint <span className="mono">{note.data?.contentSha256?.slice(0, 12)}</span>
          </p>
          {note.data?.addenda.map((a) => (
            <p key={a.id}>
              Addendum by {a.authorName}: {a.text}
            </p>
          ))}
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (addendum.trim()) add.mutate();
            }}
          >
            <div className="field">
              <label className="field__label" htmlFor="note-addendum">
                Addendum
              </label>
              <input id="note-addendum" className="input" value={addendum} onChange={(e) => setAddendum(e.target.value)} />
            </div>
            <button type="submit" className="button button--secondary" disabled={!addendum.trim() || add.isPending}>
              Add addendum
            </button>
          </form>
        </>
      )}
      <p role="status">{status}</p>
    </section>
  );
}
