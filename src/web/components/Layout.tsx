import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { setCsrfToken } from '../api/client';
import { signOut, type Me } from '../api/endpoints';
import { ME_KEY, setSigningOut, useMe } from '../api/session';
import { roleLabel, zoneName } from '../lib/format';

interface NavItem {
  to: string;
  label: string;
}

export function navItemsFor(me: Me | null | undefined): NavItem[] {
  if (!me) return [
    { to: '/', label: 'Home' },
    { to: '/find', label: 'Find a provider' },
    { to: '/sign-in', label: 'Sign in' },
  ];
  if (me.role === 'patient')
    return [
      { to: '/portal/profile', label: 'My profile' },
      { to: '/portal/appointments', label: 'Appointments' },
      { to: '/portal/intake', label: 'Questionnaires' },
      { to: '/portal/consents', label: 'Consent forms' },
      { to: '/portal/goals', label: 'Goals' },
    ];
  const items: NavItem[] = [
    { to: '/staff/patients', label: 'Patients' },
    { to: '/staff/calendar', label: 'Calendar' },
    { to: '/staff/consultations', label: 'Consultations' },
    { to: '/staff/availability', label: 'Availability' },
  ];
  if (me.role === 'nurse' || me.role === 'prescriber' || me.role === 'therapist') items.push({ to: '/staff/board', label: 'Clinic board' });
  if (me.role === 'nurse' || me.role === 'prescriber' || me.role === 'therapist' || me.role === 'clinic_admin') items.push({ to: '/staff/alerts', label: 'Alerts' });
  if (me.role === 'clinic_admin') {
    items.push({ to: '/staff/protocol', label: 'Protocol' });
    items.push({ to: '/staff/consent-documents', label: 'Consent documents' }, { to: '/staff/instruments', label: 'Instruments' }, { to: '/staff/intake-settings', label: 'Intake settings' });
    items.push({ to: '/staff/staff', label: 'Staff' }, { to: '/staff/audit', label: 'Audit log' }, { to: '/staff/mailbox', label: 'Mailbox' });
    items.push({ to: '/staff/directory', label: 'Directory' });
    items.push({ to: '/staff/scheduling-settings', label: 'Scheduling settings' });
  }
  return items;
}

/** Moves focus to the new page's heading after client-side navigation, as a page load would. */
function useFocusOnNavigate(): void {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = window.requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main');
      if (target) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: false });
      }
    });
    return () => window.cancelAnimationFrame(id);
  }, [location.pathname]);
}

function SignOutButton() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: signOut,
    onMutate: async () => {
      setSigningOut(true);
      await queryClient.cancelQueries();
    },
    onSettled: async () => {
      setCsrfToken(null);
      // Leave the protected page first, so its guard does not send us to sign-in as "please sign in".
      await navigate('/sign-in', { state: { signedOut: true }, replace: true });
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      // The sign-in page clears the flag once it is on screen (renders may still be pending here).
    },
  });
  return (
    <button type="button" className="button button--quiet" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
      {mutation.isPending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

export function Layout() {
  const { data: me } = useMe();
  const location = useLocation();
  // The menu belongs to the page it was opened on: navigating closes it, with no effect needed.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === location.pathname;
  useFocusOnNavigate();
  const items = navItemsFor(me);
  const menuButton = useRef<HTMLButtonElement>(null);
  // Escape closes the open menu, from the button or from a link in it, and leaves focus on
  // the button (the disclosure pattern): a keyboard user is not left inside a hidden list.
  const closeMenuOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menuOpen) return;
    setMenuOpenOn(null);
    menuButton.current?.focus();
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header" onKeyDown={closeMenuOnEscape}>
        <div className="site-header__inner">
          <div className="brand">
            <Link to={me ? (me.role === 'patient' ? '/portal/profile' : '/staff/patients') : '/'} className="brand__name">
              <span className="brand__mark" aria-hidden="true" />
              Threshold
            </Link>
            {me ? (
              <p className="brand__clinic">
                <span className="brand__clinic-name">{me.organizationName}</span>
                <span className="brand__zone">
                  Times in {zoneName(me.timeZone)} <span className="brand__zone-id">({me.timeZone})</span>
                </span>
              </p>
            ) : null}
          </div>
          <button
            type="button"
            className="menu-toggle button button--quiet"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpenOn(menuOpen ? null : location.pathname)}
            ref={menuButton}
          >
            <span className="menu-toggle__icon" aria-hidden="true" />
            Menu
          </button>
          <nav id="site-nav" aria-label="Main" className={`site-nav${me ? ' site-nav--signed-in' : ''}${menuOpen ? ' site-nav--open' : ''}`}>
            <ul className="site-nav__list">
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/'} className="site-nav__link">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
            {me ? (
              <div className="site-nav__account">
                <p className="site-nav__who">
                  <span className="visually-hidden">Signed in as </span>
                  {me.displayName}
                  <span className="role-tag">{roleLabel(me.role)}</span>
                </p>
                <SignOutButton />
              </div>
            ) : null}
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Threshold — open-source clinic software. If you are in crisis, call or text <strong>988</strong> (US) or your local
          emergency number.
        </p>
      </footer>
    </div>
  );
}
