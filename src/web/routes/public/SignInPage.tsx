import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { signIn } from '../../api/endpoints';
import { homePathFor, setSigningOut, useMe, useSetSignedIn } from '../../api/session';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, TextField, type FormErrors } from '../../components/forms';
import { Loading, Page } from '../../components/Page';

const FORM = 'sign-in';

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

interface SignInState {
  from?: string;
  signedOut?: boolean;
}

export function SignInPage() {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const navigate = useNavigate();
  const setSignedIn = useSetSignedIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  useEffect(() => {
    if (state.signedOut) setSigningOut(false);
  }, [state.signedOut]);

  const mutation = useMutation({
    mutationKey: ['sign-in'],
    mutationFn: signIn,
    onSuccess: (signedIn) => {
      setSignedIn(signedIn);
      const from = state.from && !state.from.startsWith('/sign-in') ? state.from : null;
      const allowed = from && (signedIn.role === 'patient' ? from.startsWith('/portal') : from.startsWith('/staff'));
      void navigate(allowed ? from : homePathFor(signedIn), { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 429) {
        const wait = error.retryAfterSeconds ? ` Please wait ${waitText(error.retryAfterSeconds)} before trying again.` : ' Please wait a few minutes before trying again.';
        setErrors({ fields: {}, form: `Too many failed sign-in attempts.${wait}` });
        return;
      }
      setErrors(formErrorsFrom(error, ['email', 'password']));
    },
  });

  if (isPending) {
    return (
      <Page title="Sign in">
        <Loading what="Checking whether you are already signed in…" />
      </Page>
    );
  }
  if (me && !state.signedOut && !mutation.isPending && !mutation.isSuccess) return <Navigate to={homePathFor(me)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = 'Enter your email address';
    if (!password) fields.password = 'Enter your password';
    setErrors({ fields });
    if (Object.keys(fields).length > 0) return;
    mutation.mutate({ email: email.trim(), password });
  };

  return (
    <Page title="Sign in" lead="Use the email address and password your clinic gave you.">
      {state.signedOut ? (
        <p className="notice notice--info" role="status">
          You have signed out.
        </p>
      ) : null}
      {state.from && !state.signedOut ? (
        <p className="notice notice--info">Please sign in to continue.</p>
      ) : null}
      <form className="form form--narrow card" noValidate onSubmit={submit} aria-label="Sign in">
        <ErrorSummary errors={errors} form={FORM} />
        <TextField form={FORM} name="email" label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} error={errors.fields.email} required />
        <TextField form={FORM} name="password" label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} error={errors.fields.password} required />
        <button type="submit" className="button button--primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </Page>
  );
}
