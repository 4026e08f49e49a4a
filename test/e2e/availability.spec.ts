import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, type Page } from './harness';

interface PublicSlots {
  clinic: { timeZone: string };
  slots: { start: string }[];
}

/** Day buttons of the public booking page's slot picker ("Tuesday, December 1 (3 times)"). */
async function bookingDays(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await expectHeading(page, /Book a free consultation with/);
  await page.locator('.slot-days button').first().waitFor();
  return (await page.locator('.slot-days button').allTextContents()).map((t) => t.replace(/\s*\(.*$/, '').trim());
}

journey('clinician takes a day off and an admin adds a holiday: those days leave the public booking page', async ({ newPage, baseUrl, apiAs }) => {
  const desk = await apiAs('frontdesk@demo.clinic');
  const setup = await desk.get<{ clinicians: { id: string; displayName: string }[] }>('/api/scheduling/setup');
  const jordan = setup.clinicians.find((c) => c.displayName === 'Jordan Reyes, LCSW');
  assert.ok(jordan, 'the demo clinician exists');
  const pub = (await (await fetch(`${baseUrl}/api/public/consultations/availability?clinicianId=${jordan.id}`)).json()) as PublicSlots;
  const zone = pub.clinic.timeZone;
  const dateOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  const labelOf = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(iso));
  const days = [...new Map(pub.slots.map((s) => [dateOf(s.start), s.start])).entries()];
  assert.ok(days.length >= 3, `Jordan has open consultation days: ${days.length}`);
  const [offDate, offStart] = days[1]!;
  const [holidayDate, holidayStart] = days[2]!;
  const bookUrl = `${baseUrl}/consult/book?clinicianId=${jordan.id}`;

  const visitor = await newPage();
  const before = await bookingDays(visitor, bookUrl);
  assert.ok(before.includes(labelOf(offStart)) && before.includes(labelOf(holidayStart)), `both days offered before: ${JSON.stringify(before)}`);

  // 1. The clinician adds a day off on their Availability page.
  const clinician = await newPage();
  await signIn(clinician, baseUrl, 'therapist2@demo.clinic');
  await expectHeading(clinician, 'Patients');
  await clinician.getByRole('link', { name: 'Availability', exact: true }).click();
  await expectHeading(clinician, 'Availability');
  await clinician.getByRole('heading', { name: /Weekly hours — Jordan Reyes/ }).waitFor();
  await checkA11y(clinician, 'availability own hours');
  await clinician.getByLabel('First day').fill(offDate);
  await clinician.getByLabel('Note (optional, shown to staff)').fill('Conference');
  await clinician.getByRole('button', { name: 'Add time off' }).click();
  await clinician.getByText('Time off added. Those slots are no longer offered.').waitFor();
  await clinician.getByText(/Conference/).waitFor();
  await checkA11y(clinician, 'availability time off added');

  const afterOff = await bookingDays(visitor, bookUrl);
  assert.ok(!afterOff.includes(labelOf(offStart)), `${offDate} is gone from the booking page: ${JSON.stringify(afterOff)}`);
  assert.ok(afterOff.includes(labelOf(holidayStart)), 'the other days stay');

  // A bad entry is refused with the field named, and changes nothing.
  await clinician.getByLabel('First day').fill(holidayDate);
  await clinician.getByLabel('Last day').fill(offDate);
  await clinician.getByRole('button', { name: 'Add time off' }).click();
  await clinician.getByRole('alert').filter({ hasText: 'toDate must not be before fromDate' }).waitFor();
  await checkA11y(clinician, 'availability time off error');

  // 2. The admin adds a clinic holiday in Scheduling settings.
  const admin = await newPage();
  await signIn(admin, baseUrl, 'admin@demo.clinic');
  await expectHeading(admin, 'Patients');
  await admin.getByRole('link', { name: 'Scheduling settings', exact: true }).click();
  await expectHeading(admin, 'Scheduling settings');
  await checkA11y(admin, 'scheduling settings');
  await admin.getByLabel('Date').fill(holidayDate);
  await admin.getByLabel('Name', { exact: true }).first().fill('Staff retreat');
  await admin.getByRole('button', { name: 'Add holiday' }).click();
  await admin.getByText(`Holiday ${holidayDate} added: nobody can be booked that day.`).waitFor();
  await admin.getByText(`${holidayDate} · Staff retreat`).waitFor();
  await checkA11y(admin, 'scheduling settings holiday added');

  const afterHoliday = await bookingDays(visitor, bookUrl);
  assert.ok(!afterHoliday.includes(labelOf(holidayStart)), `${holidayDate} is gone from the booking page: ${JSON.stringify(afterHoliday)}`);
  await checkA11y(visitor, 'booking page after time off and holiday');

  // The admin can open any clinician's hours from settings (front desk reads only).
  await admin.getByRole('link', { name: 'Jordan Reyes, LCSW' }).click();
  await expectHeading(admin, 'Availability');
  await admin.getByRole('heading', { name: /Weekly hours — Jordan Reyes/ }).waitFor();
  await admin.getByRole('button', { name: 'Save weekly hours' }).waitFor();
  await checkA11y(admin, 'availability admin view');

  // 3. Both undo their change in the UI; the days come back for other journeys.
  await clinician.getByRole('button', { name: /Remove time off from/ }).first().click();
  await clinician.getByText('Time off removed.').waitFor();
  await admin.getByRole('link', { name: 'Scheduling settings', exact: true }).click();
  await admin.getByRole('button', { name: `Remove holiday ${holidayDate}` }).click();
  await admin.getByText('Holiday removed.').waitFor();
  const restored = await bookingDays(visitor, bookUrl);
  assert.ok(restored.includes(labelOf(offStart)) && restored.includes(labelOf(holidayStart)), `both days back: ${JSON.stringify(restored)}`);
});
