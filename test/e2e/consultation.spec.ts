import assert from 'node:assert/strict';
import { attachmentNamed, parseIcs, prop, textBodyOf } from '../helpers/ics-and-mime';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

interface MailItem {
  id: string;
  to: string;
  subject: string;
}

journey('visitor books a free consultation; front desk converts them; the invitation creates their portal account', async ({ newPage, baseUrl, apiAs }) => {
  const frontDeskApi = await apiAs('frontdesk@demo.clinic');
  const setup = await frontDeskApi.get<{ clinicians: { id: string; displayName: string }[] }>('/api/scheduling/setup');
  const maya = setup.clinicians.find((c) => c.displayName === 'Dr. Maya Chen, LMFT');
  assert.ok(maya, 'the demo clinician exists');
  const email = `visitor.${Date.now()}@example.com`;

  // 1. The visitor books from the directory's "Book a free consultation" link.
  const visitor = await newPage();
  await visitor.goto(`${baseUrl}/consult/book?clinicianId=${maya.id}`);
  await expectHeading(visitor, 'Book a free consultation with Dr. Maya Chen, LMFT');
  await visitor.locator('.slot-times input[type=radio]').first().waitFor();
  await checkA11y(visitor, 'consultation booking');
  await visitor.getByRole('button', { name: 'Book consultation' }).click();
  await visitor.locator('.error-summary').waitFor();
  assert.match(await textOf(visitor, '.error-summary'), /Choose a time/);
  assert.match(await textOf(visitor, '.error-summary'), /consent/);
  await checkA11y(visitor, 'consultation booking errors');
  const firstSlot = visitor.locator('.slot-times input[type=radio]').first();
  await firstSlot.check();
  await visitor.getByLabel('Your name').fill('Robin Journey');
  await visitor.getByLabel('Email').fill(email);
  await visitor.getByLabel('Phone').fill('+1 213 555 0142');
  await visitor.getByLabel('What are you seeking help with?').fill('Long-standing depression; exploring ketamine-assisted therapy');
  await visitor.getByLabel('I agree that the clinic may contact me about this consultation.').check();
  await visitor.getByRole('button', { name: 'Book consultation' }).click();
  await expectHeading(visitor, 'Your consultation is booked');
  assert.ok((await textOf(visitor, 'main')).includes(email), 'the confirmation names the email address');
  await checkA11y(visitor, 'consultation booked');

  // 2. Front desk finds the request in the inbox and converts it.
  const desk = await newPage();
  await signIn(desk, baseUrl, 'frontdesk@demo.clinic');
  await expectHeading(desk, 'Patients');
  await desk.getByRole('link', { name: 'Consultations' }).click();
  await expectHeading(desk, 'Consultation inbox');
  await desk.getByRole('link', { name: 'Robin Journey' }).first().waitFor();
  await checkA11y(desk, 'consultation inbox');
  await desk.getByRole('link', { name: 'Robin Journey' }).first().click();
  await expectHeading(desk, 'Consultation request: Robin Journey');
  await desk.getByText('Dr. Maya Chen, LMFT').first().waitFor();
  await checkA11y(desk, 'consultation request');
  await desk.getByRole('button', { name: 'Create patient and send invitation' }).click();
  await desk.locator('#convert-dateOfBirth-error').waitFor();
  await desk.getByLabel('Date of birth').fill('1987-07-21');
  await desk.getByRole('button', { name: 'Create patient and send invitation' }).click();
  await desk.getByText(`An invitation to the patient portal was emailed to ${email}.`).waitFor();
  await checkA11y(desk, 'consultation converted');
  await desk.getByRole('link', { name: 'Calendar', exact: true }).click();
  await expectHeading(desk, 'Calendar');
  await checkA11y(desk, 'staff calendar');

  // 3. The mail arrives (local mailbox): a confirmation with a valid .ics, then the invitation.
  const adminApi = await apiAs('admin@demo.clinic');
  const waitFor = async (match: (m: MailItem) => boolean): Promise<{ raw: string }> => {
    for (let i = 0; i < 40; i++) {
      const box = await adminApi.get<{ items: MailItem[] }>('/api/admin/mailbox');
      const hit = box.items.find(match);
      if (hit) return adminApi.get<{ raw: string }>(`/api/admin/mailbox/${hit.id}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('mail did not arrive');
  };
  const confirmation = await waitFor((m) => m.to === email && /consultation/i.test(m.subject));
  const ics = attachmentNamed(confirmation.raw, 'consultation.ics');
  assert.ok(ics, 'the confirmation carries consultation.ics');
  const event = parseIcs(ics).components.find((c) => c.name === 'VEVENT');
  assert.ok(event && /^\d{8}T\d{6}Z$/.test(prop(event, 'DTSTART') ?? ''), 'VEVENT with a UTC DTSTART');
  assert.ok(!/depression/i.test(ics), 'no clinical detail in the calendar file');
  const invitation = await waitFor((m) => m.to === email && /portal/i.test(m.subject));
  const link = /https?:\/\/\S+\/invitation\?token=\S+/.exec(textBodyOf(invitation.raw))?.[0];
  assert.ok(link, 'the invitation carries a link');
  const url = new URL(link);

  // 4. The invited person sets a password, is signed in and sees their consultation.
  const invited = await newPage();
  await invited.goto(`${baseUrl}${url.pathname}${url.search}`);
  await expectHeading(invited, 'Create your portal account');
  await checkA11y(invited, 'accept invitation');
  await invited.getByLabel('Choose a password').fill('a long and private passphrase');
  await invited.getByLabel('Type it again').fill('a long and private passphrase');
  await invited.getByRole('button', { name: 'Create account and sign in' }).click();
  await expectHeading(invited, 'My profile');
  await invited.getByRole('link', { name: 'Appointments' }).click();
  await expectHeading(invited, 'Upcoming appointments');
  await invited.getByText('Free consultation with Dr. Maya Chen, LMFT').waitFor();
  await checkA11y(invited, 'patient upcoming appointments');

  // The link works once only.
  const again = await newPage();
  await again.goto(`${baseUrl}${url.pathname}${url.search}`);
  await again.getByText('already used').waitFor();
});
