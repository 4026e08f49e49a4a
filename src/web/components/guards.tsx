import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../../core/access/roles';
import { homePathFor, isSigningOut, useMe } from '../api/session';
import { ErrorNotice, Loading, Page } from './Page';

/** Renders its routes for signed-in users of the given roles; others go to sign in. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children?: ReactNode }) {
  const { data: me, isPending, error } = useMe();
  const location = useLocation();
  if (isPending) return <Loading what="Checking your session…" />;
  if (error) return <ErrorNotice error={error} title="We could not check your session" />;
  if (!me) {
    const state = isSigningOut() ? { signedOut: true } : { from: `${location.pathname}${location.search}` };
    return <Navigate to="/sign-in" replace state={state} />;
  }
  if (!roles.includes(me.role)) {
    return (
      <Page title="Not available for your account">
        <p>This page is not part of your account’s access.</p>
        <p>
          <a href={homePathFor(me)}>Go to your start page</a>
        </p>
      </Page>
    );
  }
  return children ?? <Outlet />;
}
