import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

// A visitor with no account finds the demo clinic by ZIP code with a filter, opens a
// clinician's profile and the clinic page, and sees the "Book a free consultation" links.
journey('directory: a visitor finds a provider by ZIP 90012 and a filter, opens the profile, sees Book', async ({ newPage, baseUrl }) => {
  const page = await newPage({ phone: true });
  await page.goto(`${baseUrl}/find`);
  await expectHeading(page, 'Find a provider');
  await checkA11y(page, 'directory search (empty)');

  await page.getByLabel('ZIP code').fill('90012');
  await page.getByText('Filters', { exact: true }).click();
  await page.getByLabel('Ketamine route').selectOption('iv');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('status').getByText(/within 25 miles of 90012/).waitFor();
  assert.match(page.url(), /zip=90012/);
  assert.match(page.url(), /routes=iv/);
  const names = (await page.locator('.provider-card h2').allTextContents()).map((t) => t.trim());
  // IV ketamine at the demo clinic: the prescriber and the nurse; not the therapists.
  assert.ok(names.includes('Dr. Priya Natarajan, MD'), `results: ${JSON.stringify(names)}`);
  assert.ok(!names.includes('Dr. Maya Chen, LMFT'), `the IV filter should exclude Maya Chen: ${JSON.stringify(names)}`);
  assert.match(await textOf(page, '.provider-card'), /miles away/);
  await checkA11y(page, 'directory search results');

  // An unknown ZIP is reported at the ZIP field.
  const bad = await newPage();
  await bad.goto(`${baseUrl}/find?zip=00000`);
  await bad.locator('#find-zip-error').waitFor();
  assert.match(await textOf(bad, '#find-zip-error'), /not a known US ZIP code/);
  await checkA11y(bad, 'directory search unknown zip');

  await page.getByRole('link', { name: 'Dr. Priya Natarajan, MD', exact: true }).click();
  await expectHeading(page, 'Dr. Priya Natarajan, MD');
  assert.match(await textOf(page, 'main'), /Licence verified by the clinic on/);
  assert.match(await textOf(page, 'main'), /IV infusion/);
  const book = page.getByRole('link', { name: 'Book a free consultation', exact: true });
  const href = await book.getAttribute('href');
  assert.match(href ?? '', /^\/consult\/book\?clinicianId=[0-9a-f-]{36}$/);
  await checkA11y(page, 'provider profile');

  await page.getByRole('link', { name: 'Demo Clinic — Los Angeles' }).first().click();
  await expectHeading(page, 'Demo Clinic — Los Angeles');
  assert.match((await page.getByRole('link', { name: 'Book a free consultation', exact: true }).getAttribute('href')) ?? '', /^\/consult\/book\?organizationId=/);
  assert.ok((await page.locator('.provider-card').count()) >= 4, 'the clinic page lists its clinicians');
  await checkA11y(page, 'clinic profile');

  // The Book link leads to the booking page for that clinician.
  await page.getByRole('link', { name: 'Book a free consultation with Dr. Priya Natarajan, MD' }).click();
  await page.waitForURL(/\/consult\/book\?clinicianId=/);
});

journey('directory: the clinic admin edits a profile and verifies a licence', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'admin@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.goto(`${baseUrl}/staff/directory`);
  await expectHeading(page, 'Directory listing');
  await page.getByRole('cell', { name: 'Jordan Reyes, LCSW', exact: true }).waitFor();
  await checkA11y(page, 'directory admin');

  await page.getByRole('link', { name: 'Edit profile for Jordan Reyes, LCSW' }).click();
  await expectHeading(page, 'Directory profile: Jordan Reyes, LCSW');
  await checkA11y(page, 'directory profile editor');
  // A new licence number needs verifying again before the profile shows in search.
  await page.getByLabel('Licence number').fill('LCSW 99999');
  await page.getByLabel('Korean').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('The licence needs verifying').waitFor();

  const search = await fetch(`${baseUrl}/api/directory/providers?zip=90012&languages=ko`);
  assert.equal(((await search.json()) as { total: number }).total, 0, 'unverified profile hidden');

  await page.getByRole('link', { name: 'Back to the directory listing' }).click();
  await expectHeading(page, 'Directory listing');
  await page.getByRole('button', { name: 'Mark licence verified today for Jordan Reyes, LCSW' }).click();
  await page.getByText('recorded as verified today').waitFor();
  const after = await fetch(`${baseUrl}/api/directory/providers?zip=90012&languages=ko`);
  const found = (await after.json()) as { items: { displayName: string }[] };
  assert.deepEqual(found.items.map((i) => i.displayName), ['Jordan Reyes, LCSW']);
});
