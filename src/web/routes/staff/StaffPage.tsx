import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { STAFF_ROLES, type StaffRole } from '../../../core/access/roles';
import { createStaff, listStaff, updateStaff, type Me, type StaffMember } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, SelectField, StatusMessage, TextField, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { formatInstant, roleLabel } from '../../lib/format';

const ROLE_OPTIONS = STAFF_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
const FORM = 'new-staff';

export function StaffPage() {
  const { data: me } = useMe();
  const staff = useQuery({ queryKey: ['staff'], queryFn: listStaff });
  const [status, setStatus] = useState('');
  const [rowError, setRowError] = useState('');
  if (!me) return <Loading />;
  return (
    <Page title="Staff" lead="Accounts for everyone who works at the clinic.">
      <StatusMessage>{status}</StatusMessage>
      <div aria-live="assertive">{rowError ? <p className="notice notice--error">{rowError}</p> : null}</div>
      <section aria-labelledby="staff-list-heading">
        <h2 id="staff-list-heading">Staff accounts</h2>
        {staff.isPending ? <Loading what="Loading staff…" /> : null}
        {staff.error ? <ErrorNotice error={staff.error} /> : null}
        {staff.data ? (
          <div className="table-wrap">
            <table className="table table--stack">
              <caption className="visually-hidden">Staff accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {staff.data.map((s) => (
                  <StaffRow key={s.id} member={s} me={me} onStatus={setStatus} onError={setRowError} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <NewStaffForm onCreated={(m) => setStatus(`Account created for ${m.displayName}.`)} me={me} />
    </Page>
  );
}

function StaffRow({ member, me, onStatus, onError }: { member: StaffMember; me: Me; onStatus: (s: string) => void; onError: (s: string) => void }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<StaffRole>(member.role);
  const self = member.id === me.id;
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof updateStaff>[1]) => updateStaff(member.id, body),
    onSuccess: async (updated, body) => {
      onError('');
      if (body.active !== undefined) onStatus(`${updated.displayName} is ${updated.active ? 'active again' : 'deactivated and signed out'}.`);
      else onStatus(`${updated.displayName} is now ${roleLabel(updated.role)}.`);
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (error) => {
      onStatus('');
      onError(error instanceof Error ? `${member.displayName}: ${error.message}` : 'That did not work.');
      setRole(member.role);
    },
  });
  const changeRole = (e: FormEvent) => {
    e.preventDefault();
    if (role !== member.role) mutation.mutate({ role });
  };
  const selectId = `role-${member.id}`;
  return (
    <tr className={member.active ? '' : 'row--inactive'}>
      <th scope="row" data-label="Name">
        {member.displayName}
        {self ? <span className="muted"> (you)</span> : null}
      </th>
      <td className="break" data-label="Email">{member.email}</td>
      <td data-label="Role">
        {self ? (
          roleLabel(member.role)
        ) : (
          <form className="inline-form" onSubmit={changeRole}>
            <label htmlFor={selectId} className="visually-hidden">
              Role for {member.displayName}
            </label>
            <select id={selectId} className="input input--small" value={role} onChange={(e) => setRole(e.target.value as StaffRole)} disabled={!member.active}>
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--small button--secondary" disabled={mutation.isPending || role === member.role}>
              Change<span className="visually-hidden"> role for {member.displayName}</span>
            </button>
          </form>
        )}
      </td>
      <td data-label="Status">{member.active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Inactive</Badge>}</td>
      <td data-label="Actions">
        {self ? (
          <span className="muted">—</span>
        ) : (
          <button
            type="button"
            className={`button button--small ${member.active ? 'button--danger-quiet' : 'button--secondary'}`}
            disabled={mutation.isPending}
            onClick={() => mutation.mutate({ active: !member.active })}
          >
            {member.active ? 'Deactivate' : 'Reactivate'}
            <span className="visually-hidden"> {member.displayName}</span>
          </button>
        )}
        <span className="visually-hidden">Created {formatInstant(member.createdAt, me.timeZone)}</span>
      </td>
    </tr>
  );
}

function NewStaffForm({ onCreated, me }: { onCreated: (m: StaffMember) => void; me: Me }) {
  const queryClient = useQueryClient();
  const empty = { displayName: '', email: '', role: 'therapist' as StaffRole, password: '' };
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const mutation = useMutation({
    mutationFn: createStaff,
    onSuccess: async (created) => {
      setValues(empty);
      setErrors(NO_ERRORS);
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (error) => setErrors(formErrorsFrom(error, ['displayName', 'email', 'role', 'password'])),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!values.displayName.trim()) fields.displayName = 'Enter the person’s name';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) fields.email = 'Enter an email address, like name@example.com';
    if (values.password.length < 12) fields.password = 'The temporary password must be at least 12 characters';
    setErrors({ fields });
    if (Object.keys(fields).length === 0) mutation.mutate({ ...values, email: values.email.trim(), displayName: values.displayName.trim() });
  };
  const set = (k: keyof typeof values) => (v: string) => setValues({ ...values, [k]: v });
  return (
    <section className="card" aria-labelledby="new-staff-heading">
      <h2 id="new-staff-heading">Add a staff member</h2>
      <p className="muted">They sign in at this clinic, {me.organizationName}, with the temporary password you choose here.</p>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} form={FORM} />
        <div className="field-row">
          <TextField form={FORM} name="displayName" label="Name" hint="As colleagues and patients will see it, with credentials" value={values.displayName} onChange={set('displayName')} error={errors.fields.displayName} required maxLength={100} autoComplete="off" />
          <TextField form={FORM} name="email" label="Email" type="email" value={values.email} onChange={set('email')} error={errors.fields.email} required autoComplete="off" />
        </div>
        <div className="field-row">
          <SelectField form={FORM} name="role" label="Role" value={values.role} onChange={set('role')} options={ROLE_OPTIONS} error={errors.fields.role} required />
          <TextField form={FORM} name="password" label="Temporary password" type="password" hint="At least 12 characters" value={values.password} onChange={set('password')} error={errors.fields.password} required autoComplete="new-password" />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
    </section>
  );
}
