import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

interface PatientList {
  items: { id: string; legalGivenName: string; legalFamilyName: string }[];
}

journey('therapist: own patient’s chart, refused Morgan Blake, breaks the glass', async ({ newPage, baseUrl, apiAs }) => {
  const admin = await apiAs('admin@demo.clinic');
  const morgan = (await admin.get<PatientList>('/api/patients?q=morgan%20blake')).items[0];
  assert.ok(morgan, 'the demo clinic has Morgan Blake');

  const page = await newPage();
  await signIn(page, baseUrl, 'therapist@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.getByText('Patients whose care team you are on.').waitFor();
  await page.getByText('3 patients.').waitFor();
  const names = await page.locator('table tbody th').allTextContents();
  assert.deepEqual([...names].sort(), ['Alexandra Rivera', 'Jamie Nguyen', 'Samuel Okafor']);
  await checkA11y(page, 'therapist patients');

  // Search by name, then by date of birth.
  await page.getByLabel('Name').fill('jam');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('1 patient matches your search.').waitFor();
  assert.deepEqual(await page.locator('table tbody th').allTextContents(), ['Jamie Nguyen']);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.getByLabel('Date of birth').fill('1979-09-30');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('1 patient matches your search.').waitFor();
  assert.deepEqual(await page.locator('table tbody th').allTextContents(), ['Samuel Okafor']);
  await page.getByRole('button', { name: 'Clear search' }).click();

  await page.getByRole('link', { name: 'Alexandra Rivera' }).click();
  await expectHeading(page, 'Alexandra Rivera');
  const chart = await textOf(page, 'main');
  for (const expected of ['Goes by Alex', 'she/her', 'On your care team', '12 April 1988', '+1 213 555 0101', 'Dr. Maya Chen, LMFT']) {
    assert.ok(chart.includes(expected), `chart shows "${expected}"`);
  }
  assert.ok(!chart.includes('Break-the-glass'), 'no break-glass badge on a care-team chart');
  await checkA11y(page, 'therapist chart');

  // Not on Morgan Blake's care team: refused, with the way to break the glass.
  await page.goto(`${baseUrl}/staff/patients/${morgan.id}`);
  await expectHeading(page, 'You are not on this patient’s care team');
  assert.ok(!(await textOf(page, 'main')).includes('1969'), 'nothing of the record is shown');
  await checkA11y(page, 'therapist refused');

  await page.getByRole('button', { name: 'Break the glass and open the chart' }).click();
  await page.locator('#break-glass-reason-error').waitFor();
  assert.match(await textOf(page, '#break-glass-reason-error'), /at least 10 characters/);
  assert.match(await textOf(page, '#break-glass-confirm-error'), /Confirm/);
  await checkA11y(page, 'therapist break-glass errors');

  await page.getByLabel('Reason for access').fill('Covering for Jordan: urgent call from the patient tonight');
  await page.getByLabel('I understand that this access is recorded').check();
  await page.getByRole('button', { name: 'Break the glass and open the chart' }).click();
  await expectHeading(page, 'Morgan Blake');
  await page.getByText('Break-the-glass access', { exact: true }).waitFor();
  assert.match(await textOf(page, '.break-glass-banner'), /access ends/);
  assert.ok((await textOf(page, 'main')).includes('5 November 1969'));
  await checkA11y(page, 'therapist break-glass chart');
});
