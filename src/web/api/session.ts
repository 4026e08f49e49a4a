import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { setCsrfToken } from './client';
import { fetchMe, type Me } from './endpoints';

export const ME_KEY = ['me'] as const;

/**
 * True while signing out: requests still in flight then fail with 401, and that must not
 * look like an expired session ("please sign in to continue").
 */
let signingOut = false;
export const isSigningOut = () => signingOut;
export const setSigningOut = (value: boolean) => {
  signingOut = value;
};

/** The session as the server sees it; null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      const me = await fetchMe();
      setCsrfToken(me?.csrfToken ?? null);
      return me;
    },
    staleTime: 5 * 60_000,
  });
}

/** After sign-in: remember the user and their CSRF token without another round trip. */
export function useSetSignedIn() {
  const queryClient = useQueryClient();
  return useCallback(
    (me: Me) => {
      setSigningOut(false);
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(ME_KEY, me);
    },
    [queryClient],
  );
}

export function homePathFor(me: Me | null | undefined): string {
  if (!me) return '/sign-in';
  return me.role === 'patient' ? '/portal/profile' : '/staff/patients';
}
