import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureCountInstrument } from '../../src/core/instruments/test-support/fixture-instrument';
import { checkA11y, expectHeading, journey, signIn, textOf } from './harness';

/** Issue 4: intake on a phone (resume, crisis panel), alert acknowledgement, eligibility, consent + PDF. */

journey('intake: patient answers PHQ-9 on a phone, resumes after reload, sees crisis resources on item 9; therapist acknowledges the alert', async ({ newPage, baseUrl }) => {
  const page = await newPage({ phone: true });
  await signIn(page, baseUrl, 'patient@demo.clinic');
  await expectHeading(page, 'My profile');
  await page.goto(`${baseUrl}/portal/intake`);
  await expectHeading(page, 'Intake questionnaires');
  await checkA11y(page, 'intake list (phone)');
  await page.getByRole('link', { name: /PHQ-9/ }).click();
  await expectHeading(page, 'Patient Health Questionnaire (PHQ-9)');
  await page.getByText('Step 1 of 2').waitFor();

  const item = (n: number) => page.locator(`fieldset#q-phq9_${n}`);
  // Continuing with nothing answered: the first question takes focus and each unanswered
  // radio group is marked invalid for assistive technology, not only in red.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await item(1).getByText('Please answer this question.').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'q-phq9_1');
  assert.equal(await item(1).getByRole('radiogroup').getAttribute('aria-invalid'), 'true', 'the unanswered question is marked invalid');
  await checkA11y(page, 'PHQ-9 unanswered (phone)');
  for (const n of [1, 2, 3, 4]) {
    await item(n).getByLabel('More than half the days').check();
    await page.getByText('Answer saved.').waitFor();
  }
  assert.equal(await item(1).getByRole('radiogroup').getAttribute('aria-invalid'), null, 'an answered question is no longer marked invalid');
  await checkA11y(page, 'PHQ-9 first answers (phone)');

  // Leave and come back: the answers are kept on the server.
  await page.reload();
  await expectHeading(page, 'Patient Health Questionnaire (PHQ-9)');
  await page.getByText('Welcome back').waitFor();
  assert.equal(await item(3).getByLabel('More than half the days').isChecked(), true, 'answer to item 3 survived the reload');

  for (const n of [5, 6, 7, 8]) await item(n).getByLabel('Not at all').check();
  const crisis = page.getByRole('alert').filter({ hasText: '988' });

  // A keyboard or screen-reader user moves through item 9's options with the arrow keys, which
  // selects each in turn, and comes back to "Not at all": what they passed over is not saved,
  // so no safety alert is raised and no crisis panel says the care team was told.
  const savedItem9: unknown[] = [];
  const recordItem9 = (request: { method(): string; url(): string; postDataJSON(): unknown }) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/responses')) return;
    const body = request.postDataJSON() as { answers?: Record<string, unknown> };
    if (body.answers && 'phq9_9' in body.answers) savedItem9.push(body.answers.phq9_9);
  };
  page.on('request', recordItem9);
  const notAtAll = item(9).getByLabel('Not at all');
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/responses') && r.request().method() === 'POST'), notAtAll.check()]);
  await notAtAll.focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp']) await page.keyboard.press(key);
  assert.equal(await notAtAll.isChecked(), true, 'the arrow keys came back to "Not at all"');
  // Leaving the question saves where the user rested.
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/responses') && r.request().method() === 'POST'), page.keyboard.press('Tab')]);
  page.off('request', recordItem9);
  assert.deepEqual(savedItem9, [0, 0], 'only the answer chosen, and the one rested on, were saved for item 9');
  assert.equal(await crisis.count(), 0, 'no crisis panel for an answer only passed over');

  // Resting on an answer reached with the arrow keys saves it, without leaving the question.
  await notAtAll.focus();
  const restedOn = page.waitForResponse((r) => r.url().endsWith('/responses') && r.request().method() === 'POST');
  await page.keyboard.press('ArrowDown');
  assert.equal(await item(9).getByLabel('Several days').isChecked(), true);
  await restedOn;
  await crisis.waitFor();
  const crisisText = await crisis.innerText();
  assert.match(crisisText, /988 Suicide & Crisis Lifeline/);
  assert.match(crisisText, /911/);
  await checkA11y(page, 'PHQ-9 crisis panel (phone)');

  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByText('Step 2 of 2').waitFor();
  await page.getByRole('button', { name: 'Save and review' }).click();
  await page.getByRole('heading', { name: 'Review', level: 2 }).waitFor();
  await checkA11y(page, 'PHQ-9 review (phone)');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expectHeading(page, 'Patient Health Questionnaire (PHQ-9): submitted');
  // The pressed button is gone: focus is on the new heading, not lost to the page body.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await page.getByRole('status').filter({ hasText: 'Your answers were sent to your care team.' }).waitFor();
  assert.ok((await textOf(page, 'main')).includes('988'), 'crisis resources stay on screen after submitting');
  await checkA11y(page, 'PHQ-9 submitted (phone)');

  // The therapist on Alex's care team acknowledges the alert and records the follow-up.
  const staff = await newPage();
  await signIn(staff, baseUrl, 'therapist@demo.clinic');
  await expectHeading(staff, 'Patients');
  await staff.getByRole('link', { name: 'Alerts' }).first().click();
  await expectHeading(staff, 'Safety alerts');
  const card = staff.locator('article').filter({ hasText: 'Alex Rivera' }).filter({ hasText: 'Several days' }).first();
  await card.waitFor();
  await checkA11y(staff, 'safety alerts');
  // Acknowledging without a follow-up: the message is at the field, and focus goes there.
  const followUp = card.getByLabel(/Follow-up taken/);
  await card.getByRole('button', { name: /Acknowledge alert/ }).click();
  await card.getByText('Describe the follow-up taken (at least 10 characters).').waitFor();
  await staff.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
  assert.equal(await followUp.evaluate((el) => el === document.activeElement), true, 'focus is on the follow-up field');
  await followUp.fill('Phoned Alex; reviewed safety plan, no intent or plan. Extra session booked.');
  await card.getByRole('button', { name: /Acknowledge alert/ }).click();
  await staff.getByText(/Alert for Alex Rivera.*acknowledged/).waitFor();
  await staff.getByLabel('Show').selectOption('acknowledged');
  await staff.getByText(/Follow-up: Phoned Alex/).first().waitFor();
  await checkA11y(staff, 'acknowledged alerts');
});

journey('intake: prescriber reviews Sam and records an eligibility decision (override needs a reason)', async ({ newPage, baseUrl, apiAs }) => {
  const api = await apiAs('prescriber@demo.clinic');
  const list = await api.get<{ items: { id: string; legalGivenName: string }[] }>('/api/patients?q=okafor');
  const sam = list.items.find((p) => p.legalGivenName === 'Samuel');
  assert.ok(sam, 'Sam is a demo patient');
  const page = await newPage();
  await signIn(page, baseUrl, 'prescriber@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.goto(`${baseUrl}/staff/patients/${sam.id}`);
  await page.getByRole('link', { name: 'Intake & eligibility' }).click();
  await expectHeading(page, 'Intake review: Samuel Okafor');
  const main = await textOf(page, 'main');
  for (const expected of ['History', 'Scores', 'Contraindication flags', 'Open safety alerts', 'Could not be evaluated', 'No eligibility decision yet']) {
    assert.ok(main.includes(expected), `review shows "${expected}"`);
  }
  await checkA11y(page, 'intake review');

  // Eligible without the override reason: refused, with the field named.
  await page.getByLabel('Rationale').fill('Strong motivation; history incomplete but keen to start.');
  await page.getByRole('button', { name: 'Sign decision' }).click();
  await page.locator('#eligibility-overrideReason-error').waitFor();
  await checkA11y(page, 'eligibility form with error');

  await page.getByLabel('Decision').selectOption('needs_more_information');
  await page.getByLabel('Rationale').fill('History form incomplete (BP control unsure); need a recent BP reading and the rest of the form.');
  await page.getByRole('button', { name: 'Sign decision' }).click();
  await page.getByText('Decision “Needs more information” signed.').waitFor();
  await page.getByText('Current decision: Needs more information').waitFor();
  await checkA11y(page, 'eligibility signed');

  // An addendum to the signed decision: focus goes into its text, an empty one is refused in
  // plain words, and once saved focus is back on "Add an addendum" with the addendum shown.
  const decision = page.locator('article.decision').filter({ hasText: 'Needs more information' }).first();
  await decision.getByRole('button', { name: 'Add an addendum' }).click();
  const addendum = decision.getByLabel('Addendum');
  await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
  assert.equal(await addendum.evaluate((el) => el === document.activeElement), true, 'focus is in the addendum text');
  await decision.getByRole('button', { name: 'Save addendum' }).click();
  await decision.locator('.error-summary').getByText('Write the addendum before saving it.').waitFor();
  await addendum.fill('BP 128/82 measured in clinic today.');
  await decision.getByRole('button', { name: 'Save addendum' }).click();
  await decision.getByText(/Addendum by Dr\. Priya Natarajan, MD, .*: BP 128\/82 measured in clinic today\./).waitFor();
  await decision.getByText('Addendum saved.').waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Add an addendum');
  await checkA11y(page, 'eligibility addendum saved');

  // A goal tied to a measure, set with the patient, shows on the chart.
  await page.getByRole('button', { name: 'Add a goal' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'new-goal-kind');
  // Cancel closes the form and gives focus back to "Add a goal".
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Add a goal');
  await page.getByRole('button', { name: 'Add a goal' }).click();
  // Sent empty: every field says in plain words what it needs (no schema wording, no field keys).
  await page.getByRole('button', { name: 'Save goal' }).click();
  const summary = page.locator('.error-summary');
  await summary.getByText('Describe what you want to achieve (at least 3 characters).').waitFor();
  const summaryText = await summary.innerText();
  assert.match(summaryText, /Choose the date you are aiming for\./);
  assert.doesNotMatch(summaryText, /must NOT|howWeWillKnow|byWhen/, 'no validator wording or field keys');
  await page.getByLabel('What do you want to achieve?').fill('Sleep through most nights');
  await page.getByLabel('How will we know?').fill('PHQ-9 below 10 and sleep diary');
  await page.getByLabel('By when').fill('2027-06-30');
  await page.getByLabel('Tie to a questionnaire score (optional)').selectOption('phq-9');
  // A target that is not a whole number is reported at the target field itself.
  const targetField = page.getByLabel('Target score (below)');
  await targetField.fill('ten');
  await page.getByRole('button', { name: 'Save goal' }).click();
  await summary.getByText('Give the target score as a whole number.').waitFor();
  assert.equal(await targetField.getAttribute('aria-invalid'), 'true', 'the target field is marked invalid');
  assert.equal(await page.getByLabel('Tie to a questionnaire score (optional)').getAttribute('aria-invalid'), null, 'the questionnaire choice is not');
  await targetField.fill('10');
  await page.getByRole('button', { name: 'Save goal' }).click();
  await page.getByText('Goal added.').waitFor();
  await page.getByRole('button', { name: 'Chart', exact: true }).or(page.getByRole('link', { name: 'Chart', exact: true })).click();
  await page.getByText('Sleep through most nights', { exact: true }).waitFor();
  assert.ok((await textOf(page, 'main')).includes('PHQ-9 below 10'), 'the goal and its target show on the chart');
  // "Mark achieved" goes away with its own change: focus lands on the goal, now achieved.
  await page.getByRole('button', { name: /^Mark achieved\s*: Sleep through most nights$/ }).click();
  await page.getByText('Goal marked achieved.').waitFor();
  await page.waitForFunction(() => {
    const el = document.activeElement;
    return el?.tagName === 'LI' && /Sleep through most nights/.test(el.textContent ?? '') && el.querySelector('.badge')?.textContent === 'achieved';
  });
  await checkA11y(page, 'chart with goals');
});

journey('intake: patient signs a new consent version and downloads the PDF', async ({ newPage, baseUrl, apiAs }) => {
  // The admin publishes a new version of the telehealth consent: Alex must sign it again.
  const admin = await apiAs('admin@demo.clinic');
  const docs = await admin.get<{ items: { id: string; kind: string; status: string; title: string; body: string }[] }>('/api/consent-documents?kind=telehealth');
  const current = docs.items.find((d) => d.status === 'published')!;
  const draft = await admin.post<{ id: string }>('/api/consent-documents', { kind: 'telehealth', title: current.title, body: `${current.body}\n\n6. Recording: sessions are never recorded by the clinic.` });
  await admin.post(`/api/consent-documents/${draft.id}/publish`, {});

  const page = await newPage({ phone: true });
  await signIn(page, baseUrl, 'patient@demo.clinic');
  await expectHeading(page, 'My profile');
  await page.goto(`${baseUrl}/portal/consents`);
  await expectHeading(page, 'Consent forms');
  const card = page.locator('section.card').filter({ hasText: 'Telehealth consent' });
  await card.getByText('New version to sign').waitFor();
  await checkA11y(page, 'consent forms (phone)');
  await card.getByRole('button', { name: 'Sign Telehealth consent' }).click();
  await card.locator('.field__error').first().waitFor();
  await card.getByLabel('I have read this document and I agree to it').check();
  await card.getByLabel('Your full legal name').fill('Alexandra Rivera');
  await card.getByRole('button', { name: 'Sign Telehealth consent' }).click();
  await card.getByText('Signed', { exact: true }).waitFor();
  await checkA11y(page, 'consent signed (phone)');
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: /Download signed copy of Telehealth consent/ }).click()]);
  const file = await download.path();
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'the download is a PDF');
  assert.match(download.suggestedFilename(), /consent-telehealth-v2\.pdf/);
});

journey('intake: admin imports a licensed instrument (errors name the field) and edits consent documents; therapist enters a paper PHQ-9', async ({ newPage, baseUrl, apiAs }) => {
  const page = await newPage();
  await signIn(page, baseUrl, 'admin@demo.clinic');
  await expectHeading(page, 'Patients');
  await page.goto(`${baseUrl}/staff/instruments`);
  await expectHeading(page, 'Instrument definitions');
  await checkA11y(page, 'instrument import');
  const broken = fixtureCountInstrument();
  broken.bands![1]!.min = 3;
  await page.getByLabel('…or paste the definition (JSON)').fill(JSON.stringify(broken));
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('definition.bands[1].min').waitFor();
  await checkA11y(page, 'instrument import with errors');
  await page.getByLabel('…or paste the definition (JSON)').fill(JSON.stringify(fixtureCountInstrument()));
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Imported Weather check (test fixture) version 2.1.0.').waitFor();

  await page.goto(`${baseUrl}/staff/consent-documents`);
  await expectHeading(page, 'Consent documents');
  await checkA11y(page, 'consent documents');
  const privacy = page.locator('section.card').filter({ hasText: 'Notice of privacy practices' });
  await privacy.getByRole('button', { name: /Start a new version/ }).click();
  await privacy.getByLabel('Title').waitFor();
  await checkA11y(page, 'consent draft editor');

  await page.goto(`${baseUrl}/staff/intake-settings`);
  await expectHeading(page, 'Intake settings');
  await checkA11y(page, 'intake settings');
  await page.getByLabel('Level of Pregnant or possibly pregnant').selectOption('absolute');
  await page.getByRole('button', { name: 'Save intake settings' }).click();
  await page.getByText('Intake settings saved.').waitFor();
  const saved = await (await apiAs('admin@demo.clinic')).get<{ contraindicationRules: { id: string; level: string }[] }>('/api/intake/settings');
  assert.equal(saved.contraindicationRules.find((r) => r.id === 'pregnancy')?.level, 'absolute');
  await page.getByRole('button', { name: 'Reset rules to the defaults' }).click();
  await page.getByText('Contraindication rules reset to the bundled defaults.').waitFor();

  // Paper entry by the therapist.
  const api = await apiAs('therapist@demo.clinic');
  const list = await api.get<{ items: { id: string; legalGivenName: string }[] }>('/api/patients?q=nguyen');
  const jamie = list.items[0]!;
  const staff = await newPage();
  await signIn(staff, baseUrl, 'therapist@demo.clinic');
  await expectHeading(staff, 'Patients');
  await staff.goto(`${baseUrl}/staff/patients/${jamie.id}/paper`);
  await expectHeading(staff, 'Enter a paper response');
  const backLink = await staff.getByRole('link', { name: 'Back to the intake review' }).boundingBox();
  assert.ok(backLink && backLink.height >= 24, `the "Back to" link is a 24 px touch target (${backLink?.height} px)`);
  for (let n = 1; n <= 9; n++) await staff.locator(`fieldset#paper-phq9_${n}`).getByLabel(n <= 4 ? 'Several days' : 'Not at all').check();
  await staff.locator(`fieldset#paper-phq9_4`).getByLabel('Not at all').check();
  await staff.getByRole('button', { name: 'Save paper response' }).click();
  await staff.getByText(/Saved Patient Health Questionnaire \(PHQ-9\): total 3/).waitFor();
  await checkA11y(staff, 'paper entry saved');
});
