import assert from 'node:assert/strict';
import { checkA11y, expectHeading, expectNoSidewaysScroll, journey, navLinks, signIn, signOut, textOf } from './harness';

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
  const noSideways = (label: string) => expectNoSidewaysScroll(page, label);
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

journey('phone-sized screen (390×844): settings pages fit, stacked table cells keep their values beside their labels, touch targets, Escape closes the menu', async ({ newPage, baseUrl }) => {
  const page = await newPage({ phone: true });
  const noSideways = (label: string) => expectNoSidewaysScroll(page, label);
  /** Elements matching `selector` (visible ones) smaller than 24 × 24 CSS px, described. */
  const smallTargets = (selector: string) =>
    page.locator(selector).evaluateAll((els) =>
      els
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && r.height > 0 && (r.width < 23.5 || r.height < 23.5))
        .map(({ el, r }) => `${el.outerHTML.slice(0, 60)} ${r.width.toFixed(1)}×${r.height.toFixed(1)}`),
    );

  await signIn(page, baseUrl, 'admin@demo.clinic');
  await expectHeading(page, 'Patients');

  // The menu is a disclosure: Escape closes it from a link inside and gives focus back to the button.
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: 'Audit log' }).focus();
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'Escape closes the menu');
  assert.equal(await page.locator('#site-nav').isVisible(), false, 'the links are folded away again');
  assert.ok(await menu.evaluate((el) => el === document.activeElement), 'focus is back on the Menu button');

  // Audit log as cards: a cell holding several things (a name and a role, a resource and its
  // action, a badge) keeps all of them in the value column, right of the label.
  await page.goto(`${baseUrl}/staff/audit`);
  await expectHeading(page, 'Audit log');
  await page.locator('table tbody tr').first().waitFor();
  await noSideways('audit log');
  const misplaced = await page.locator('table tbody tr').evaluateAll((rows) =>
    rows.slice(0, 10).flatMap((row) =>
      [...row.querySelectorAll('td[data-label]')].flatMap((td) => {
        const cell = td.getBoundingClientRect();
        return [...td.children]
          .map((child) => ({ child, r: child.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.left < cell.left + 120 - 1 || r.width > cell.width - 120 + 1))
          .map(({ child, r }) => `${td.getAttribute('data-label')}: "${child.textContent}" at x ${Math.round(r.left - cell.left)}, ${Math.round(r.width)}px wide`);
      }),
    ),
  );
  assert.deepEqual(misplaced, [], 'every value sits beside its label');
  const badge = await page.locator('td[data-label="Outcome"] > *').first().boundingBox();
  assert.ok(badge && badge.width < 150, `the outcome badge is as wide as its word, not the cell (${badge?.width}px)`);
  assert.deepEqual(await smallTargets('td a'), [], 'links in the audit table are at least 24 px tall');
  await checkA11y(page, 'phone audit cards');

  // Settings pages with wide tables or two-column forms.
  await page.goto(`${baseUrl}/staff/scheduling-settings`);
  await expectHeading(page, 'Scheduling settings');
  await page.locator('table tbody tr').first().waitFor();
  await noSideways('scheduling settings');
  await page.goto(`${baseUrl}/staff/directory`);
  await expectHeading(page, 'Directory listing');
  await page.locator('table tbody tr').first().waitFor();
  await noSideways('directory listing');
  await page.goto(`${baseUrl}/staff/protocol`);
  await expectHeading(page, 'Clinic protocol');
  await page.locator('.protocol-leaf input').first().waitFor();
  // Every group unfolded, as an admin reviewing the whole protocol would have it.
  await page.locator('details').evaluateAll((els) => els.forEach((el) => ((el as HTMLDetailsElement).open = true)));
  await noSideways('clinic protocol');
  const narrowInputs = await page.locator('input:visible').evaluateAll((els) =>
    els
      .filter((el) => !['checkbox', 'radio'].includes((el as HTMLInputElement).type))
      .map((el) => ({ id: el.id, w: el.getBoundingClientRect().width }))
      .filter(({ w }) => w < 64),
  );
  assert.deepEqual(narrowInputs, [], 'every field on the protocol page is wide enough to type in');
  assert.deepEqual(await smallTargets('input[type=checkbox]:visible'), [], 'protocol checkboxes are at least 24 × 24');
  await checkA11y(page, 'phone protocol');

  // A patient's chart: the phone number and the email address are easy to tap.
  await page.goto(`${baseUrl}/staff/patients`);
  await page.getByRole('link', { name: 'Alexandra Rivera' }).click();
  await expectHeading(page, 'Alexandra Rivera');
  assert.deepEqual(await smallTargets('a[href^="tel:"], a[href^="mailto:"]'), [], 'phone and email links are at least 24 px tall');
  await signOut(page);

  // A clinician's own hours.
  await signIn(page, baseUrl, 'therapist@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.goto(`${baseUrl}/staff/availability`);
  await expectHeading(page, 'Availability');
  await page.locator('table tbody tr').first().waitFor();
  await noSideways('availability');
  const rowHeights = await page.locator('table').first().locator('tbody tr').evaluateAll((rows) => rows.map((r) => Math.round(r.getBoundingClientRect().height)));
  assert.ok(Math.max(...rowHeights) <= Math.min(...rowHeights) * 1.5, `weekly-hours rows are one line each (heights ${rowHeights.join(', ')} px)`);
  assert.deepEqual(await smallTargets('input[type=checkbox]:visible, input[type=radio]:visible'), [], 'availability checkboxes are at least 24 × 24');
  await checkA11y(page, 'phone availability');
  await signOut(page);
});
