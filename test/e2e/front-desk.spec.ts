import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { checkA11y, expectHeading, expectNoSidewaysScroll, journey, signIn, textOf } from './harness';

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

/** Whether a select's chosen option's text fits inside the select (a phone cuts it off otherwise). */
function shownWhole(select: Locator): Promise<boolean> {
  return select.evaluate((el) => {
    const s = el as HTMLSelectElement;
    const style = getComputedStyle(s);
    const probe = document.createElement('span');
    probe.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font:${style.font}`;
    probe.textContent = s.selectedOptions[0]?.text ?? '';
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    // The text has the select's width less its padding and the drop-down arrow (~20 px).
    return needed <= s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  });
}

journey('front desk: books an appointment from the calendar on a phone (patient found by name, room and open time chosen)', async ({ newPage, baseUrl, apiAs }) => {
  // An integration session (a clinician and a room) with the form's first clinician: find a
  // day next week on which they have an open time for it, as the form will list them.
  const desk = await apiAs('frontdesk@demo.clinic');
  const setup = await desk.get<{ timeZone: string; appointmentTypes: { id: string; kind: string; name: string; durationMinutes: number }[]; clinicians: { id: string; role: string }[] }>('/api/scheduling/setup');
  const type = setup.appointmentTypes.find((t) => t.kind === 'integration')!;
  const clinician = setup.clinicians.find((c) => c.role !== 'nurse')!;
  const from = new Date(Date.now() + 7 * 86_400_000);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const open = await desk.get<{ slots: { start: string }[] }>(`/api/availability?appointmentType=${type.id}&clinicianId=${clinician.id}&from=${from.toISOString()}&to=${to.toISOString()}`);
  assert.ok(open.slots.length > 0, 'the clinician has open times next week');
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: setup.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(open.slots[0]!.start));

  const page = await newPage({ phone: true });
  await signIn(page, baseUrl, 'frontdesk@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.goto(`${baseUrl}/staff/calendar`);
  await expectHeading(page, 'Calendar');
  await page.getByRole('button', { name: 'New appointment' }).click();
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'New appointment' }) });
  // Until a name is typed the patient list is empty, and the field says how to fill it.
  const patient = form.getByLabel('Patient', { exact: true });
  assert.equal(await patient.locator('option:checked').innerText(), 'Find the patient first');
  assert.ok(await shownWhole(patient), 'the empty patient field says what to do without being cut off');
  await form.getByText('Type at least two letters of the name in “Find patient” to list matches.').waitFor();
  await expectNoSidewaysScroll(page, 'new appointment (phone)');
  await checkA11y(page, 'new appointment (phone)');

  await form.getByRole('button', { name: 'Book appointment' }).click();
  await form.locator('.error-summary').getByText('Choose a patient').waitFor();
  assert.equal(await patient.getAttribute('aria-invalid'), 'true', 'the patient field is marked invalid');

  await form.getByLabel('Type').selectOption({ label: `${type.name} (${type.durationMinutes} min)` });
  await form.getByLabel('Find patient (name)').fill('rivera');
  await patient.locator('option', { hasText: 'Alexandra Rivera (1988-04-12)' }).waitFor({ state: 'attached' });
  await patient.selectOption({ label: 'Alexandra Rivera (1988-04-12)' });
  assert.ok(await shownWhole(patient), 'the chosen patient (name and date of birth) is not cut off on a phone');
  const room = form.getByLabel('Room', { exact: true });
  await room.selectOption({ index: 1 });
  const roomName = (await room.locator('option:checked').innerText()).trim();
  await form.getByLabel('Date', { exact: true }).fill(day);
  const firstOpen = form.locator('.slot-days button').first();
  await firstOpen.waitFor();
  const time = (await firstOpen.innerText()).trim();
  await firstOpen.click();
  assert.equal(await firstOpen.getAttribute('aria-pressed'), 'true', 'the chosen open time is shown as chosen');
  await form.getByRole('button', { name: 'Book appointment' }).click();
  // Staff see the name the patient goes by. The form (and its button) closed: focus is back
  // on "New appointment", not lost to the page.
  await page.getByText(`Integration booked for Alex Rivera at ${time}.`).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'New appointment');

  // The booking is on the calendar for that day, with its room.
  await page.getByLabel('Starting').fill(day);
  const booked = page.locator('.calendar__item').filter({ hasText: 'Alex Rivera' }).filter({ hasText: `${time}–` }).filter({ hasText: 'Integration' });
  await booked.first().waitFor();
  assert.match(await booked.first().innerText(), new RegExp(roomName));
  await expectNoSidewaysScroll(page, 'calendar after booking (phone)');
  await checkA11y(page, 'calendar after booking (phone)');

  // A change closes the editor: focus returns to the appointment's "Change" button; after a
  // cancellation (hidden from the calendar) to the page heading.
  const change = booked.first().getByRole('button', { name: /^Change\b/ });
  const changeId = await change.getAttribute('id');
  await change.click();
  await booked.first().getByRole('button', { name: 'Mark confirmed' }).click();
  await page.getByText('Integration saved.').waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id && /^Change/.test(document.activeElement.textContent ?? ''), changeId);
  await change.click();
  await booked.first().getByLabel('Reason for cancelling').fill('Patient asked to move to the following week');
  await booked.first().getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByText('Integration cancelled.').waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.equal(await page.locator('.calendar__item').filter({ hasText: 'Alex Rivera' }).filter({ hasText: `${time}–` }).filter({ hasText: 'Integration' }).count(), 0, 'the cancelled appointment leaves the calendar');
});
