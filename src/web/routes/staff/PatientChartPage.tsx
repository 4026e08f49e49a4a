import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { isClinicalRole } from '../../../core/access/roles';
import { ApiError } from '../../api/client';
import { breakGlass, getPatient, listStaff, setCareTeam, type Me, type Patient } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { CareTeamPicker } from '../../components/CareTeamPicker';
import { GoalsPanel } from '../../components/intake/GoalsPanel';
import { Checkbox, ErrorSummary, formErrorsFrom, NO_ERRORS, StatusMessage, TextArea, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { CareTeamList, PatientDetails } from '../../components/PatientDetails';
import { ageOn, formatInstant, fullName, todayIn } from '../../lib/format';

const grantKey = (id: string) => `threshold.breakGlass.${id}`;

function rememberGrant(patientId: string, expiresAt: string): void {
  try {
    sessionStorage.setItem(grantKey(patientId), expiresAt);
  } catch {
    /* storage unavailable: the badge shows without its end time */
  }
}

function grantExpiry(patientId: string): string | null {
  try {
    return sessionStorage.getItem(grantKey(patientId));
  } catch {
    return null;
  }
}

export function isCareTeamRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && /care team/i.test(error.message);
}

export function PatientChartPage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const query = useQuery({ queryKey: ['patient', id], queryFn: () => getPatient(id) });

  if (!me) return <Loading />;
  if (query.isPending) {
    return (
      <Page title="Patient chart">
        <Loading what="Loading the chart…" />
      </Page>
    );
  }
  if (query.error) {
    if (isCareTeamRefusal(query.error) && isClinicalRole(me.role)) return <CareTeamRefusal patientId={id} me={me} />;
    if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400)) {
      return (
        <Page title="Patient not found">
          <p>There is no patient at this address in your clinic.</p>
          <p>
            <Link to="/staff/patients">Back to patients</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title="You cannot open this chart">
        <ErrorNotice error={query.error} title="Access refused" />
        <p>
          <Link to="/staff/patients">Back to patients</Link>
        </p>
      </Page>
    );
  }
  return <Chart patient={query.data} me={me} />;
}

function Chart({ patient, me }: { patient: Patient; me: Me }) {
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const age = ageOn(patient.dateOfBirth, todayIn(me.timeZone));
  const expiry = patient.access === 'break_glass' ? grantExpiry(patient.id) : null;
  const clinicalRole = isClinicalRole(me.role);
  const isAdmin = me.role === 'clinic_admin';
  const subtitle = [
    patient.preferredName ? `Goes by ${patient.preferredName}` : null,
    patient.pronouns,
    age !== null ? `${age} years old` : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <Page
      title={fullName(patient)}
      lead={subtitle}
      actions={
        <>
          <Link className="button button--secondary" to={`/staff/patients/${patient.id}/edit`}>
            Edit details
          </Link>
          {clinicalRole ? (
            <Link className="button button--secondary" to={`/staff/patients/${patient.id}/intake`}>
              Intake &amp; eligibility
            </Link>
          ) : null}
          {isAdmin ? (
            <Link className="button button--quiet" to={`/staff/audit?patientId=${patient.id}`}>
              Audit log for this patient
            </Link>
          ) : null}
        </>
      }
    >
      <StatusMessage>{created ? 'Patient registered.' : ''}</StatusMessage>
      <div className="chart-badges">
        {patient.access === 'break_glass' ? (
          <div className="break-glass-banner" role="note" aria-label="Break-the-glass access">
            <Badge tone="danger">Break-the-glass access</Badge>
            <span>
              You are not on this care team. Everything you open is logged and reviewed
              {expiry ? `; access ends ${formatInstant(expiry, me.timeZone)}` : ''}.
            </span>
          </div>
        ) : null}
        {patient.access === 'care_team' ? <Badge tone="success">On your care team</Badge> : null}
        {!clinicalRole ? <Badge tone="neutral">Demographics only</Badge> : null}
      </div>
      {!clinicalRole ? (
        <p className="muted">Your role sees demographics and the care team. Clinical information is not shown.</p>
      ) : null}
      <PatientDetails patient={patient} timeZone={me.timeZone} />
      {isAdmin ? <CareTeamEditor patient={patient} me={me} /> : <CareTeamList patient={patient} />}
      {clinicalRole ? (
        <section className="card" aria-label="Treatment goals">
          <GoalsPanel patientId={patient.id} />
        </section>
      ) : null}
    </Page>
  );
}

function CareTeamEditor({ patient, me }: { patient: Patient; me: Me }) {
  const queryClient = useQueryClient();
  const staff = useQuery({ queryKey: ['staff'], queryFn: listStaff });
  const [selected, setSelected] = useState<string[]>(() => patient.careTeam.map((m) => m.userId));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState('');
  const mutation = useMutation({
    mutationFn: (ids: string[]) => setCareTeam(patient.id, ids),
    onSuccess: (updated) => {
      queryClient.setQueryData(['patient', patient.id], updated);
      setSelected(updated.careTeam.map((m) => m.userId));
      setErrors(NO_ERRORS);
      setSaved('Care team saved.');
    },
    onError: (error) => {
      setSaved('');
      setErrors(formErrorsFrom(error, ['careTeamUserIds']));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved('');
    mutation.mutate(selected);
  };
  return (
    <section className="card" aria-labelledby="care-team-heading">
      <h2 id="care-team-heading">Care team</h2>
      <CareTeamList patient={patient} headingId="care-team-current" title="Current members" level={3} />
      {staff.isPending ? <Loading what="Loading staff…" /> : null}
      {staff.error ? <ErrorNotice error={staff.error} /> : null}
      {staff.data ? (
        <form className="form" onSubmit={submit} noValidate>
          <ErrorSummary errors={errors} form="care-team" />
          <CareTeamPicker
            form="care-team"
            staff={staff.data}
            selected={selected}
            onChange={setSelected}
            selfId={me.id}
            legend="Change the care team"
            hint="Clinical staff on the care team can see this patient’s clinical record."
          />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={mutation.isPending}>
              {mutation.isPending ? 'Saving…' : 'Save care team'}
            </button>
          </div>
          <StatusMessage>{saved}</StatusMessage>
        </form>
      ) : null}
    </section>
  );
}

function CareTeamRefusal({ patientId, me }: { patientId: string; me: Me }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const mutation = useMutation({
    mutationFn: () => breakGlass(patientId, reason.trim()),
    onSuccess: async (grant) => {
      rememberGrant(patientId, grant.expiresAt);
      await queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
      // The page changes under the same address: bring focus to the chart's heading.
      window.requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    },
    onError: (error) => setErrors(formErrorsFrom(error, ['reason'])),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (reason.trim().length < 10) fields.reason = 'Give a reason of at least 10 characters';
    if (!confirmed) fields.confirm = 'Confirm that you understand this access is recorded and reviewed';
    setErrors({ fields });
    if (Object.keys(fields).length === 0) mutation.mutate();
  };
  return (
    <Page title="You are not on this patient’s care team">
      <div className="notice notice--warning">
        <p>
          Only the clinicians on a patient’s care team can open their chart. If you need to see it — for example in an
          emergency, or to cover for a colleague — you can <strong>break the glass</strong>.
        </p>
      </div>
      <section className="card card--danger" aria-labelledby="break-glass-heading">
        <h2 id="break-glass-heading">Break the glass</h2>
        <p>
          You will get time-limited access. Your name, your reason and everything you open are recorded in the audit log and
          reviewed by the clinic, {me.organizationName}.
        </p>
        <form className="form" onSubmit={submit} noValidate>
          <ErrorSummary errors={errors} form="break-glass" />
          <TextArea
            form="break-glass"
            name="reason"
            label="Reason for access"
            hint="At least 10 characters. For example: covering for Jordan during an urgent call from the patient."
            value={reason}
            onChange={setReason}
            error={errors.fields.reason}
            required
            maxLength={500}
          />
          <Checkbox
            id="break-glass-confirm"
            checked={confirmed}
            onChange={setConfirmed}
            error={errors.fields.confirm}
            label="I understand that this access is recorded and will be reviewed"
          />
          <div className="form__actions">
            <button type="submit" className="button button--danger" disabled={mutation.isPending}>
              {mutation.isPending ? 'Opening…' : 'Break the glass and open the chart'}
            </button>
            <Link className="button button--quiet" to="/staff/patients">
              Back to my patients
            </Link>
          </div>
        </form>
      </section>
    </Page>
  );
}
