import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, navLinks, signIn, signOut, textOf } from './harness';

const CLINIC = 'Demo Clinic — Los Angeles';
const STAFF_NAV = ['Patients', 'Calendar', 'Consultations'];
const ADMIN_NAV = ['Patients', 'Calendar', 'Consultations', 'Staff', 'Audit log', 'Mailbox'];

const ROLES: { email: string; heading: string; nav: string[]; who: string }[] = [
  { email: 'patient@demo.clinic', heading: 'My profile', nav: ['My profile', 'Appointments'], who: 'Patient' },
  { email: 'therapist@demo.clinic', heading: 'Patients', nav: STAFF_NAV, who: 'Therapist' },
  { email: 'prescriber@demo.clinic', heading: 'Patients', nav: STAFF_NAV, who: 'Prescriber' },
  { email: 'nurse@demo.clinic', heading: 'Patients', nav: STAFF_NAV, who: 'Nurse' },
  { email: 'frontdesk@demo.clinic', heading: 'Patients', nav: STAFF_NAV, who: 'Front desk' },
  { email: 'admin@demo.clinic', heading: 'Patients', nav: ADMIN_NAV, who: 'Clinic admin' },
];

journey('public pages: home, sign-in errors, skip link and keyboard', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await page.goto(`${baseUrl}/`);
  await expectHeading(page, 'Welcome to Threshold');
  assert.deepEqual(await navLinks(page), ['Home', 'Find a provider', 'Sign in']);
  await checkA11y(page, 'public home');

  // The first Tab stop is the skip link, and it moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await expectHeading(page, 'Sign in');
  await checkA11y(page, 'sign in');

  // Empty submit: each field names its problem, and the summary links to it.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#sign-in-email-error').waitFor();
  assert.match(await textOf(page, '#sign-in-email-error'), /Enter your email address/);
  assert.match(await textOf(page, '#sign-in-password-error'), /Enter your password/);
  assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');

  // A wrong password is reported at the password field.
  await page.getByLabel('Email').fill('nurse@demo.clinic');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#sign-in-password-error').getByText('do not match').waitFor();
  await checkA11y(page, 'sign in with error');

  // Keyboard only: type and press Enter to sign in.
  await page.getByLabel('Password').fill('threshold-demo');
  await page.getByLabel('Password').press('Enter');
  await expectHeading(page, 'Patients');
  await page
    .waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 3000 })
    .catch(async () => assert.fail(`focus should move to the new page heading, is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`));

  await page.goto(`${baseUrl}/no-such-page`);
  await expectHeading(page, 'Page not found');
  await checkA11y(page, 'not found');
});

journey('each role signs in and sees the right navigation', async ({ newPage, baseUrl }) => {
  for (const role of ROLES) {
    const page = await newPage();
    await signIn(page, baseUrl, role.email);
    await expectHeading(page, role.heading);
    // Later features add links; the foundation's must be there, in order, and the admin's only for admins.
    const links = await navLinks(page);
    const present = links.filter((l) => role.nav.includes(l));
    assert.deepEqual(present, role.nav, `navigation for ${role.email}: ${JSON.stringify(links)}`);
    const forbidden = role.email === 'admin@demo.clinic' ? [] : role.email === 'patient@demo.clinic' ? [...ADMIN_NAV] : ADMIN_NAV.filter((l) => !STAFF_NAV.includes(l));
    assert.deepEqual(links.filter((l) => forbidden.includes(l)), [], `no admin or staff links for ${role.email}: ${JSON.stringify(links)}`);
    const header = await textOf(page, 'header');
    assert.ok(header.includes(CLINIC), `header shows the clinic name for ${role.email}: ${header}`);
    assert.ok(header.includes('America/Los_Angeles'), `header shows the time zone for ${role.email}`);
    assert.ok(header.includes(role.who), `header shows the role for ${role.email}`);
    await checkA11y(page, `landing ${role.email}`);

    // Pages outside the role are refused in the app as well as by the API.
    if (role.email === 'patient@demo.clinic') {
      await page.goto(`${baseUrl}/staff/patients`);
      await expectHeading(page, 'Not available for your account');
    } else if (role.email !== 'admin@demo.clinic') {
      await page.goto(`${baseUrl}/staff/audit`);
      await expectHeading(page, 'Not available for your account');
      await page.goto(`${baseUrl}/portal/profile`);
      await expectHeading(page, 'Not available for your account');
    }
    await signOut(page);
    await page.context().close();
  }
});

journey('sign out returns to sign-in and ends the session', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'prescriber@demo.clinic');
  await expectHeading(page, 'Patients');
  await signOut(page);
  await page.getByText('You have signed out.').waitFor();
  assert.deepEqual(await navLinks(page), ['Home', 'Find a provider', 'Sign in']);
  await checkA11y(page, 'signed out');
  // The session is gone on the server too: a protected page asks for sign-in.
  await page.goto(`${baseUrl}/staff/patients`);
  await expectHeading(page, 'Sign in');
  await page.getByText('Please sign in to continue.').waitFor();
  // …and signing in again returns to the page that was asked for.
  await page.getByLabel('Email').fill('prescriber@demo.clinic');
  await page.getByLabel('Password').fill('threshold-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectHeading(page, 'Patients');
});

journey('phone-sized screen (390×844): menu navigation', async ({ newPage, baseUrl }) => {
  const page = await newPage({ phone: true });
  const noSideways = async (label: string) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${label}: the page scrolls sideways by ${overflow}px`);
  };
  await page.goto(`${baseUrl}/`);
  await expectHeading(page, 'Welcome to Threshold');
  const menu = page.getByRole('button', { name: 'Menu' });
  assert.ok(await menu.isVisible(), 'a Menu button on a phone');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#site-nav').isVisible(), false, 'navigation is folded away');
  await checkA11y(page, 'phone home');
  await noSideways('home');

  await signIn(page, baseUrl, 'admin@demo.clinic');
  await expectHeading(page, 'Patients');
  await noSideways('patients');
  await checkA11y(page, 'phone patients');
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expectHeading(page, 'Audit log');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'the menu closes after navigating');
  await checkA11y(page, 'phone audit');
  await noSideways('audit log');

  // Keyboard works on the menu too.
  await menu.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Staff' }).focus();
  await page.keyboard.press('Enter');
  await expectHeading(page, 'Staff');
  await checkA11y(page, 'phone staff');

  await page.getByRole('link', { name: 'Threshold' }).click();
  await expectHeading(page, 'Patients');
  await page.getByRole('link', { name: 'Alexandra Rivera' }).click();
  await expectHeading(page, 'Alexandra Rivera');
  await noSideways('chart');
  await checkA11y(page, 'phone chart');
  await signOut(page);
});

journey('sign-in throttling: the 429 message says how long to wait', async ({ newPage, baseUrl }) => {
  // The second clinic's therapist is used by no other journey; five failures lock the account for a while.
  const page = await newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await expectHeading(page, 'Sign in');
  await page.getByLabel('Email').fill('therapist@harbor.example');
  let status = 0;
  for (let i = 0; i < 6; i += 1) {
    await page.getByLabel('Password').fill(`wrong-password-${i}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    status = response.status();
  }
  assert.equal(status, 429, 'the sixth failed attempt is throttled');
  await page.locator('.error-summary').getByText(/Too many failed sign-in attempts\. Please wait \d+ (minute|second)s? before trying again\./).waitFor();
  await checkA11y(page, 'sign in throttled');
});
