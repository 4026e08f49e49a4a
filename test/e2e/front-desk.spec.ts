import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

journey('front desk: registers a new patient and sees demographics only', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'frontdesk@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.getByRole('link', { name: 'New patient' }).click();
  await expectHeading(page, 'New patient');
  await page.getByText('Dr. Maya Chen, LMFT').waitFor();
  await checkA11y(page, 'front desk new patient');

  // Required fields are named when missing.
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.locator('#new-patient-legalGivenName-error').waitFor();
  assert.match(await textOf(page, '.error-summary'), /legal first name/i);
  assert.match(await textOf(page, '.error-summary'), /date of birth/i);
  await checkA11y(page, 'front desk new patient errors');

  await page.locator('#new-patient-legalGivenName').fill('Quinn');
  await page.locator('#new-patient-legalFamilyName').fill('Harper');
  await page.locator('#new-patient-preferredName').fill('Q');
  await page.locator('#new-patient-pronouns').fill('they/them');
  await page.locator('#new-patient-dateOfBirth').fill('1992-03-08');
  await page.locator('#new-patient-preferredLanguage').fill('Spanish');
  await page.locator('#new-patient-phone').fill('+1 213 555 0177');
  await page.locator('#new-patient-email').fill('quinn.harper@example.com');
  await page.locator('#new-patient-address').fill('12 Sunset Blvd\nLos Angeles, CA 90026');
  await page.locator('#new-patient-emergencyContactName').fill('Ana Harper');
  await page.locator('#new-patient-emergencyContactRelationship').fill('sister');
  await page.locator('#new-patient-emergencyContactPhone').fill('+1 213 555 0178');
  await page.getByLabel(/Dr\. Maya Chen, LMFT/).check();
  await page.getByRole('button', { name: 'Register patient' }).click();

  await expectHeading(page, 'Quinn Harper');
  await page.getByText('Patient registered.').waitFor();
  const chart = await textOf(page, 'main');
  for (const expected of ['Goes by Q', 'they/them', 'Demographics only', 'Spanish', '8 March 1992', 'Ana Harper', '(sister)', '+1 213 555 0178', 'Dr. Maya Chen, LMFT']) {
    assert.ok(chart.includes(expected), `chart shows "${expected}"`);
  }
  assert.equal(await page.getByRole('button', { name: 'Save care team' }).count(), 0, 'front desk cannot edit the care team');
  await checkA11y(page, 'front desk chart');

  // Edit: a bad emergency phone is reported at that field.
  await page.getByRole('link', { name: 'Edit details' }).click();
  await expectHeading(page, 'Edit details: Quinn Harper');
  await page.locator('#edit-patient-emergencyContactPhone').fill('x');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#edit-patient-emergencyContactPhone-error').waitFor();
  // Focus moves to the error summary (the Save button was disabled while the request ran):
  // a keyboard user is not left with focus nowhere, and the summary is on screen.
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary') === true);
  const inView = await page.locator('.error-summary').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
  assert.ok(inView, 'the focused error summary is scrolled into view');
  await page.locator('#edit-patient-emergencyContactPhone').fill('+1 213 555 0179');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectHeading(page, 'Quinn Harper');
  await page.getByText('+1 213 555 0179').waitFor();

  // The new patient is findable by name and date of birth.
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Name').fill('harper');
  await page.getByLabel('Date of birth').fill('1992-03-08');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('1 patient matches your search.').waitFor();
});
