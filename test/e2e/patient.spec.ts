import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

journey('patient: views My profile and changes their phone', async ({ newPage, baseUrl }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'patient@demo.clinic');
  await expectHeading(page, 'My profile');
  await page.getByRole('button', { name: 'Edit my details' }).waitFor();
  const profile = await textOf(page, 'main');
  for (const expected of ['Hello, Alex Rivera', 'Alexandra Rivera', '12 April 1988', '+1 213 555 0101', 'Dr. Maya Chen, LMFT']) {
    assert.ok(profile.includes(expected), `profile shows "${expected}"`);
  }
  await checkA11y(page, 'patient profile');

  // Opening and closing the form moves focus with it (the button pressed disappears each time).
  const focusedText = () => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent?.trim() ?? ''}`);
  await page.getByRole('button', { name: 'Edit my details' }).click();
  await page.locator('#my-profile-phone').waitFor();
  assert.equal(await focusedText(), 'H2 Edit my details', 'focus is on the form heading');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent?.trim() === 'Edit my details');
  await page.getByRole('button', { name: 'Edit my details' }).click();
  await page.locator('#my-profile-phone').waitFor();
  assert.equal(await page.locator('#my-profile-legalGivenName').count(), 0, 'legal name is not editable by the patient');
  await checkA11y(page, 'patient edit form');

  await page.locator('#my-profile-phone').fill('not a phone');
  await page.getByRole('button', { name: 'Save my details' }).click();
  await page.locator('#my-profile-phone-error').waitFor();
  assert.match(await textOf(page, '#my-profile-phone-error'), /Phone must be/);
  await checkA11y(page, 'patient edit form with error');

  await page.locator('#my-profile-phone').fill('+1 213 555 0199');
  await page.getByRole('button', { name: 'Save my details' }).click();
  await page.getByText('Your details are saved.').waitFor();
  assert.ok((await textOf(page, 'main')).includes('+1 213 555 0199'));
  assert.equal(await focusedText(), 'BUTTON Edit my details', 'after saving, focus is back on the Edit button');

  // It was stored: a fresh load shows it.
  await page.reload();
  await expectHeading(page, 'My profile');
  await page.getByText('+1 213 555 0199').waitFor();
});
