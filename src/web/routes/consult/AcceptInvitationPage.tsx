import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { setCsrfToken } from '../../api/client';
import { signIn } from '../../api/endpoints';
import { acceptInvitation, getInvitation } from '../../api/scheduling';
import { ME_KEY } from '../../api/session';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, TextField, type FormErrors } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';

const FORM = 'invite';

/** From the emailed invitation: set a password, create the portal account, sign in and begin intake. */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const invitation = useQuery({ queryKey: ['invitation', token], queryFn: () => getInvitation(token), enabled: token.length > 0 });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const mutation = useMutation({
    mutationFn: async () => {
      const { email } = await acceptInvitation(token, password);
      return signIn({ email, password });
    },
    onSuccess: async (me) => {
      setCsrfToken(me.csrfToken);
      qc.setQueryData(ME_KEY, me);
      await navigate('/portal', { replace: true });
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['password'])),
  });
  if (!token) return <Page title="Create your portal account"><p>This page needs the link from your invitation email.</p></Page>;
  if (invitation.isPending) return <Loading />;
  if (invitation.isError) return <Page title="Create your portal account"><ErrorNotice error={invitation.error} title="This invitation cannot be used" /></Page>;
  const inv = invitation.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (password.length < 12) fields.password = 'Choose a password of at least 12 characters';
    else if (password !== confirm) fields.confirm = 'The two passwords do not match';
    setErrors({ fields });
    if (Object.keys(fields).length === 0) mutation.mutate();
  };
  return (
    <Page title="Create your portal account" lead={`Welcome, ${inv.givenName}. ${inv.clinicName} invited you to its patient portal, where you will begin your intake forms.`}>
      <form onSubmit={submit} noValidate className="form--narrow">
        <ErrorSummary errors={errors} form={FORM} />
        <p>
          Your sign-in email: <strong>{inv.email}</strong>
        </p>
        <TextField form={FORM} name="password" label="Choose a password" type="password" autoComplete="new-password" hint="At least 12 characters. A few unrelated words work well." value={password} onChange={setPassword} required error={errors.fields.password} />
        <TextField form={FORM} name="confirm" label="Type it again" type="password" autoComplete="new-password" value={confirm} onChange={setConfirm} required error={errors.fields.confirm} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating your account…' : 'Create account and sign in'}
          </button>
        </div>
      </form>
    </Page>
  );
}
