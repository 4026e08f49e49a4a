import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

interface PatientList {
  items: { id: string }[];
}

journey('clinic admin: creates staff, edits a care team, audit log shows break-the-glass', async ({ newPage, baseUrl, apiAs }) => {
  // Someone off the care team breaks the glass on Riley Park (through the API, so this journey stands alone).
  const admin = await apiAs('admin@demo.clinic');
  const riley = (await admin.get<PatientList>('/api/patients?q=riley')).items[0];
  assert.ok(riley, 'the demo clinic has Riley Park');
  const therapist = await apiAs('therapist@demo.clinic');
  await therapist.post(`/api/patients/${riley.id}/break-glass`, { reason: 'Patient called the crisis line, covering tonight' });
  await therapist.get(`/api/patients/${riley.id}`);

  const page = await newPage();
  await signIn(page, baseUrl, 'admin@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.getByText('Everyone registered with the clinic.').waitFor();

  // Staff: create, change role, deactivate and reactivate.
  await page.getByRole('link', { name: 'Staff' }).click();
  await expectHeading(page, 'Staff');
  await checkA11y(page, 'admin staff');
  const email = `taylor.${randomUUID().slice(0, 8)}@demo.clinic`;
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#new-staff-displayName-error').waitFor();
  await page.locator('#new-staff-displayName').fill('Taylor Brooks, RN');
  await page.locator('#new-staff-email').fill(email);
  await page.locator('#new-staff-role').selectOption('nurse');
  await page.getByLabel('Temporary password').fill('a-long-temporary-pass');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Account created for Taylor Brooks, RN.').waitFor();
  const row = page.locator('tr', { hasText: email });
  await row.waitFor();
  assert.match(await row.textContent() ?? '', /Active/);

  await page.getByLabel('Role for Taylor Brooks, RN').selectOption('prescriber');
  await page.getByRole('button', { name: 'Change role for Taylor Brooks, RN' }).click();
  await page.getByText('Taylor Brooks, RN is now Prescriber.').waitFor();
  await page.getByRole('button', { name: 'Deactivate Taylor Brooks, RN' }).click();
  await page.getByText('Taylor Brooks, RN is deactivated and signed out.').waitFor();
  await row.getByText('Inactive').waitFor();
  await page.getByRole('button', { name: 'Reactivate Taylor Brooks, RN' }).click();
  await page.getByText('Taylor Brooks, RN is active again.').waitFor();
  await checkA11y(page, 'admin staff after changes');

  // A duplicate email is refused at the email field.
  await page.locator('#new-staff-displayName').fill('Someone Else');
  await page.locator('#new-staff-email').fill(email);
  await page.getByLabel('Temporary password').fill('a-long-temporary-pass');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#new-staff-email-error').getByText('already exists').waitFor();

  // Audit log, filtered by patient: the break-the-glass grant is there and flagged.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expectHeading(page, 'Audit log');
  await page.locator('table tbody tr').first().waitFor();
  await checkA11y(page, 'admin audit log');
  await page.getByLabel('Find a patient by name').fill('Riley');
  await page.getByRole('button', { name: 'Find patient' }).click();
  await page.getByRole('button', { name: /Choose Riley Park/ }).click();
  await page.getByText('Showing events for').waitFor();
  await page.getByRole('button', { name: 'Show events' }).click();
  await page.waitForURL(/patientId=/);
  const grantRow = page.locator('tr', { hasText: 'patient.break_glass' }).filter({ hasText: 'covering tonight' });
  await grantRow.waitFor();
  const grantText = (await grantRow.textContent()) ?? '';
  assert.match(grantText, /Break the glass/);
  assert.match(grantText, /Dr\. Maya Chen, LMFT/);
  assert.match(grantText, /covering tonight/);
  // Every row in the table is about Riley Park.
  const patientCells = await page.locator('table tbody tr td:nth-child(3)').allTextContents();
  assert.ok(patientCells.length > 0 && patientCells.every((c) => c.trim() === riley.id.slice(0, 8)), 'only Riley Park’s events');
  // The read made under break-the-glass is flagged too.
  assert.ok((await page.locator('tr.row--break-glass', { hasText: 'patient.demographics' }).count()) >= 1);
  await checkA11y(page, 'admin audit filtered');

  // Filter by staff member and date range too.
  await page.getByRole('button', { name: 'Remove patient filter' }).click();
  await page.locator('#audit-filter-userId').selectOption({ label: 'Dr. Maya Chen, LMFT (Therapist)' });
  const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date()));
  await page.locator('#audit-filter-from').fill(today);
  await page.locator('#audit-filter-to').fill(today);
  await page.getByRole('button', { name: 'Show events' }).click();
  await page.waitForURL(/userId=.*from=/);
  await page.locator('tr', { hasText: 'patient.break_glass' }).first().waitFor();
  const whoCells = await page.locator('table tbody tr td:nth-child(2)').allTextContents();
  assert.ok(whoCells.every((c) => c.includes('Dr. Maya Chen')), 'only Dr. Chen’s events');

  // Load older: with a small page the button appears for the unfiltered log.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => !url.search.includes('userId'));
  const before = await page.locator('table tbody tr').count();
  if (await page.getByRole('button', { name: 'Load older events' }).isVisible()) {
    await page.getByRole('button', { name: 'Load older events' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length > n, before);
  }

  // Care-team editor on a chart.
  await page.goto(`${baseUrl}/staff/patients/${riley.id}`);
  await expectHeading(page, 'Riley Park');
  await page.getByText('Demographics only').waitFor();
  await checkA11y(page, 'admin chart with care-team editor');
  await page.getByLabel(/Dr\. Maya Chen, LMFT/).check();
  await page.getByRole('button', { name: 'Save care team' }).click();
  await page.getByText('Care team saved.').waitFor();
  assert.ok((await textOf(page, 'section[aria-labelledby="care-team-current"]')).includes('Dr. Maya Chen, LMFT'));

  // Mailbox.
  await page.getByRole('link', { name: 'Mailbox' }).click();
  await expectHeading(page, 'Mailbox');
  await checkA11y(page, 'admin mailbox');
});
