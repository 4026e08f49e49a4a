import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

journey('therapist: own patient’s chart, refused Morgan Blake, breaks the glass', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'therapist@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.getByText('Patients whose care team you are on.').waitFor();
  await page.getByText('3 patients.').waitFor();
  const names = await page.locator('table tbody th').allTextContents();
  assert.deepEqual([...names].sort(), ['Alexandra Rivera', 'Jamie Nguyen', 'Samuel Okafor']);
  await checkA11y(page, 'therapist patients');

  // Search by name, then by date of birth.
  await page.getByLabel('Name', { exact: true }).fill('jam');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('1 patient matches your search.').waitFor();
  assert.deepEqual(await page.locator('table tbody th').allTextContents(), ['Jamie Nguyen']);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.getByLabel('Date of birth', { exact: true }).fill('1979-09-30');
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

  // Not on Morgan Blake's care team: the emergency lookup finds her by name and exact date of birth…
  await page.getByRole('link', { name: 'Patients', exact: true }).first().click();
  await page.getByText('Find a patient outside your care team (emergency)').click();
  await page.getByLabel('Patient’s name').fill('blake');
  await page.getByLabel('Patient’s date of birth').fill('1969-11-05');
  await page.getByRole('button', { name: 'Look up' }).click();
  await checkA11y(page, 'therapist emergency lookup');
  await page.getByRole('link', { name: 'Morgan Blake' }).click();
  // …and opening the chart is refused, with the way to break the glass.
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
