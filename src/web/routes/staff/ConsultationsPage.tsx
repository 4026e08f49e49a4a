import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { CONSULTATION_STATUSES, CONSULTATION_STATUS_LABELS, type ConsultationStatus } from '../../../core/schemas/scheduling.schema';
import { useMe } from '../../api/session';
import {
  addConsultationNote,
  convertConsultation,
  findConsultationMatches,
  getConsultation,
  getSchedulingSetup,
  listConsultations,
  setConsultationStatus,
  type ConsultationRequest,
} from '../../api/scheduling';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, SelectField, StatusMessage, TextArea, TextField, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { formatInstant } from '../../lib/format';
import { fullWhen } from '../../lib/zoned';

const TONE: Record<ConsultationStatus, 'info' | 'warning' | 'success' | 'neutral' | 'danger'> = {
  new: 'info',
  contacted: 'warning',
  scheduled: 'warning',
  converted: 'success',
  declined: 'neutral',
};

export function ConsultationsPage() {
  const { data: me } = useMe();
  const [status, setStatus] = useState<'' | ConsultationStatus>('new');
  const list = useQuery({ queryKey: ['consultations', status], queryFn: () => listConsultations(status || undefined) });
  const zone = me?.timeZone ?? 'UTC';
  return (
    <Page title="Consultation inbox" lead="Free consultations booked by visitors. Newest first.">
      <SelectField
        form="inbox"
        name="status"
        label="Show"
        value={status}
        onChange={(v) => setStatus(v as '' | ConsultationStatus)}
        options={[{ value: '', label: 'All requests' }, ...CONSULTATION_STATUSES.map((s) => ({ value: s, label: CONSULTATION_STATUS_LABELS[s] }))]}
      />
      {list.isPending ? <Loading /> : list.isError ? <ErrorNotice error={list.error} /> : list.data.items.length === 0 ? (
        <p className="notice notice--info">No requests with this status.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Consultation requests</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Consultation</th>
                <th scope="col">With</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/staff/consultations/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>{r.appointment ? `${fullWhen(r.appointment.start, zone)}${r.appointment.status === 'cancelled' ? ' (cancelled)' : ''}` : '—'}</td>
                  <td>{r.clinicianName}</td>
                  <td>
                    <Badge tone={TONE[r.status]}>{CONSULTATION_STATUS_LABELS[r.status]}</Badge>
                  </td>
                  <td className="nowrap">{formatInstant(r.createdAt, zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function ConvertFormFields(props: {
  given: string;
  family: string;
  dob: string;
  team: string[];
  clinicians: { id: string; displayName: string; role: string }[];
  errors: FormErrors;
  existing: { id: string; legalGivenName: string; legalFamilyName: string; dateOfBirth: string } | null;
  pending: boolean;
  requestId: string;
  onGiven: (v: string) => void;
  onFamily: (v: string) => void;
  onDob: (v: string) => void;
  onTeam: (v: string[]) => void;
  onSubmit: (useExistingPatientId?: string) => void;
}) {
  const FORM = 'convert';
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <ErrorSummary errors={props.errors} form={FORM} />
      {props.existing ? (
        <div className="notice notice--warning" role="alert">
          <p className="notice__title">This person may already be a patient</p>
          <p>
            {props.existing.legalGivenName} {props.existing.legalFamilyName}, born {props.existing.dateOfBirth}, has the same email and date of birth.
          </p>
          <button type="button" className="button button--primary" onClick={() => props.onSubmit(props.existing!.id)}>
            Link to the existing record
          </button>
        </div>
      ) : null}
      <div className="field-row">
        <TextField form={FORM} name="legalGivenName" label="Legal given name" value={props.given} onChange={props.onGiven} required error={props.errors.fields.legalGivenName} width="medium" />
        <TextField form={FORM} name="legalFamilyName" label="Legal family name" value={props.family} onChange={props.onFamily} required error={props.errors.fields.legalFamilyName} width="medium" />
      </div>
      <TextField form={FORM} name="dateOfBirth" label="Date of birth" type="date" value={props.dob} onChange={props.onDob} required error={props.errors.fields.dateOfBirth} width="short" />
      <fieldset className="fieldset" id={`${FORM}-careTeamUserIds`}>
        <legend className="field__label">Care team</legend>
        <div className="checkbox-grid">
          {props.clinicians.map((c) => (
            <div className="checkbox" key={c.id}>
              <input
                id={`team-${c.id}`}
                type="checkbox"
                checked={props.team.includes(c.id)}
                onChange={(e) => props.onTeam(e.target.checked ? [...props.team, c.id] : props.team.filter((x) => x !== c.id))}
              />
              <label htmlFor={`team-${c.id}`}>{c.displayName}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={props.pending}>
          {props.pending ? 'Converting…' : 'Create patient and send invitation'}
        </button>
      </div>
    </form>
  );
}

export function ConsultationDetailPage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const request = useQuery({ queryKey: ['consultation', id], queryFn: () => getConsultation(id) });
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [noteErrors, setNoteErrors] = useState<FormErrors>(NO_ERRORS);
  const status = useMutation({
    mutationFn: (s: ConsultationStatus) => setConsultationStatus(id, s),
    onSuccess: (r) => {
      qc.setQueryData(['consultation', id], r);
      setSaved(`Status set to ${CONSULTATION_STATUS_LABELS[r.status]}.`);
      void qc.invalidateQueries({ queryKey: ['consultations'] });
    },
  });
  const addNote = useMutation({
    mutationFn: () => addConsultationNote(id, note),
    onSuccess: (r) => {
      qc.setQueryData(['consultation', id], r);
      setNote('');
      setSaved('Note added.');
    },
    onError: (e) => setNoteErrors(formErrorsFrom(e, ['body'])),
  });
  if (request.isPending) return <Loading />;
  if (request.isError) return <ErrorNotice error={request.error} />;
  const r = request.data;
  const zone = me?.timeZone ?? 'UTC';
  return (
    <Page title={`Consultation request: ${r.name}`} actions={<Link to="/staff/consultations">Back to the inbox</Link>}>
      <StatusMessage>{saved}</StatusMessage>
      <dl className="dl">
        <dt>Status</dt>
        <dd>
          <Badge tone={TONE[r.status]}>{CONSULTATION_STATUS_LABELS[r.status]}</Badge>
        </dd>
        <dt>Consultation</dt>
        <dd>{r.appointment ? `${fullWhen(r.appointment.start, zone)} with ${r.clinicianName}${r.appointment.status === 'cancelled' ? ' — cancelled' : ''}` : '—'}</dd>
        {r.visitorTimeZone && r.visitorTimeZone !== zone && r.appointment ? (
          <>
            <dt>Their time</dt>
            <dd>{fullWhen(r.appointment.start, r.visitorTimeZone)}</dd>
          </>
        ) : null}
        <dt>Email</dt>
        <dd>{r.email}</dd>
        <dt>Phone</dt>
        <dd>{r.phone}</dd>
        <dt>Prefers</dt>
        <dd>{r.contactPreference}</dd>
        <dt>Consent to contact</dt>
        <dd>{r.consentToContact ? 'Yes' : 'No'}</dd>
        <dt>Seeking help with</dt>
        <dd className="pre-line">{r.reason}</dd>
      </dl>
      {r.status !== 'converted' ? (
        <div className="inline-form">
          <SelectField
            form="status"
            name="status"
            label="Change status"
            value={r.status}
            onChange={(v) => status.mutate(v as ConsultationStatus)}
            options={CONSULTATION_STATUSES.filter((s) => s !== 'converted').map((s) => ({ value: s, label: CONSULTATION_STATUS_LABELS[s] }))}
          />
        </div>
      ) : null}
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">Notes</h2>
        {r.notes.length === 0 ? <p className="muted">No notes yet.</p> : (
          <ul>
            {r.notes.map((n) => (
              <li key={n.id}>
                <span className="pre-line">{n.body}</span> <span className="muted">— {n.authorName}, {formatInstant(n.createdAt, zone)}</span>
              </li>
            ))}
          </ul>
        )}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!note.trim()) return setNoteErrors({ fields: { body: 'Write a note first' } });
            setNoteErrors(NO_ERRORS);
            addNote.mutate();
          }}
        >
          <TextArea form="note" name="body" label="Add a note" value={note} onChange={setNote} maxLength={4000} error={noteErrors.fields.body} />
          <button type="submit" className="button button--secondary" disabled={addNote.isPending}>Add note</button>
        </form>
      </section>
      <ConvertSection request={r} />
    </Page>
  );
}

/** Convert to patient, handling the duplicate answer (409 with the existing record). */
function ConvertSection({ request }: { request: ConsultationRequest }) {
  const qc = useQueryClient();
  const setup = useQuery({ queryKey: ['scheduling-setup'], queryFn: getSchedulingSetup });
  const parts = request.name.trim().split(/\s+/);
  const [given, setGiven] = useState(parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? ''));
  const [family, setFamily] = useState(parts.length > 1 ? parts[parts.length - 1]! : '');
  const [dob, setDob] = useState('');
  const [team, setTeam] = useState<string[]>([request.clinicianId]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [existing, setExisting] = useState<{ id: string; legalGivenName: string; legalFamilyName: string; dateOfBirth: string } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (useExistingPatientId: string | undefined) => convertRaw(request.id, { legalGivenName: given, legalFamilyName: family, dateOfBirth: dob, careTeamUserIds: team, ...(useExistingPatientId ? { useExistingPatientId } : {}) }),
    onSuccess: async (r) => {
      if ('existingPatient' in r) {
        setExisting(r.existingPatient);
        return;
      }
      setExisting(null);
      setResult(`${r.created ? 'Patient record created' : 'Linked to the existing patient record'}.${r.invitationSentTo ? ` An invitation to the patient portal was emailed to ${r.invitationSentTo}.` : ' No invitation was needed: they already have a portal account.'}`);
      await qc.invalidateQueries({ queryKey: ['consultation', request.id] });
      await qc.invalidateQueries({ queryKey: ['consultations'] });
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['legalGivenName', 'legalFamilyName', 'dateOfBirth', 'careTeamUserIds', 'useExistingPatientId'])),
  });
  return (
    <section aria-labelledby="convert-title" className="card">
      <h2 id="convert-title">Convert to patient</h2>
      <StatusMessage>{result}</StatusMessage>
      {request.status === 'converted' && request.patientId ? (
        <p>
          <Link to={`/staff/patients/${request.patientId}`}>Open the patient record</Link>
        </p>
      ) : (
        <ConvertFormFields
          given={given}
          family={family}
          dob={dob}
          team={team}
          clinicians={setup.data?.clinicians ?? []}
          errors={errors}
          existing={existing}
          pending={mutation.isPending}
          requestId={request.id}
          onGiven={setGiven}
          onFamily={setFamily}
          onDob={setDob}
          onTeam={setTeam}
          onSubmit={(useExisting) => {
            const fields: Record<string, string> = {};
            if (!given.trim()) fields.legalGivenName = 'Enter the legal given name';
            if (!family.trim()) fields.legalFamilyName = 'Enter the legal family name';
            if (!dob) fields.dateOfBirth = 'Enter the date of birth (used to find an existing record)';
            setErrors({ fields });
            if (Object.keys(fields).length === 0) mutation.mutate(useExisting);
          }}
        />
      )}
    </section>
  );
}

/** Convert, but first look for an existing record with the same email and date of birth and offer it. */
async function convertRaw(
  id: string,
  body: Parameters<typeof convertConsultation>[1],
): Promise<Awaited<ReturnType<typeof convertConsultation>> | { existingPatient: { id: string; legalGivenName: string; legalFamilyName: string; dateOfBirth: string } }> {
  if (!body.useExistingPatientId) {
    const { matches } = await findConsultationMatches(id, body.dateOfBirth);
    if (matches[0]) return { existingPatient: matches[0] };
  }
  return convertConsultation(id, body);
}
