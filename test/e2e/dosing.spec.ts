import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, textOf, type Page } from './harness';

interface Protocol {
  revision: number;
  document: { routes: Record<string, { minObservationMinutes: { value: number; source: string } }> };
}
interface Board {
  sessions: { sessionId: string; patientName: string }[];
  arriving: { appointmentId: string; patientName: string }[];
}

const reading = (offsetSec: number, v: Record<string, number>) => ({ at: new Date(Date.now() + offsetSec * 1000).toISOString(), ...v });

async function recordReading(page: Page, v: { sbp: number; dbp: number; hr: number; spo2: number; rr: number }) {
  await page.getByLabel('Systolic').fill(String(v.sbp));
  await page.getByLabel('Diastolic').fill(String(v.dbp));
  await page.getByLabel('Heart rate').fill(String(v.hr));
  await page.getByLabel('SpO₂ %').fill(String(v.spo2));
  await page.getByLabel('Resp. rate').fill(String(v.rr));
  await page.getByRole('button', { name: 'Record reading' }).click();
  await page.getByText('Reading recorded.').waitFor();
}

journey('dosing session: check-in gate, dose co-sign, live vitals and alert on the board, notes, discharge', async ({ newPage, baseUrl, apiAs }) => {
  // The e2e clinic signs off a protocol whose IV observation minimum is 0 min, so the journey
  // can reach discharge without waiting two hours (configured through the protocol API).
  const admin = await apiAs('admin@demo.clinic');
  const protocol = await admin.get<Protocol>('/api/protocol');
  const doc = structuredClone(protocol.document);
  doc.routes.ivInfusion!.minObservationMinutes = { value: 0, source: 'E2E clinic sign-off: no minimum observation (test only)' };
  const put = await fetch(`${baseUrl}/api/protocol`, {
    method: 'PUT',
    headers: await adminHeaders(baseUrl),
    body: JSON.stringify({ document: doc, changeNote: 'E2E: observation minimum 0 for IV', baseRevision: protocol.revision }),
  });
  assert.equal(put.status, 200, `protocol save: ${put.status} ${await put.text()}`);

  // ---- the nurse opens today's session for Alex from the clinic board ----
  const nurse = await newPage();
  await signIn(nurse, baseUrl, 'nurse@demo.clinic');
  await nurse.getByRole('link', { name: 'Clinic board' }).click();
  await expectHeading(nurse, 'Clinic board');
  await nurse.getByText('Arriving today').waitFor();
  await checkA11y(nurse, 'dosing board arriving');
  await nurse.getByRole('button', { name: /Start session for .*Rivera/ }).click();
  await expectHeading(nurse, /^Session: .*Rivera/);
  const sessionUrl = nurse.url();
  const sessionId = sessionUrl.split('/').pop()!;

  await nurse.getByLabel('Weight today (kg)').fill('70');
  await nurse.getByLabel('Pregnancy status').selectOption('confirmed-not-pregnant');
  await nurse.getByLabel('Patient confirms fasting').check();
  await nurse.getByLabel('Patient confirms no alcohol or other substances').check();
  await nurse.getByLabel(/keeps the next 24 hours free/).check();
  await nurse.getByLabel('Escort name').fill('Jordan Rivera');
  await nurse.getByLabel('Escort phone').fill('+1 213 555 0188');
  await nurse.getByRole('button', { name: 'Save check-in details' }).click();
  await nurse.getByText('Check-in details saved.').waitFor();

  // First pre-dose reading: blood pressure too high → check-in blocked, the reading shown.
  await recordReading(nurse, { sbp: 186, dbp: 100, hr: 84, spo2: 98, rr: 14 });
  await nurse.getByRole('button', { name: 'Check in', exact: true }).click();
  await nurse.getByText('Not yet: check in is blocked').waitFor();
  const blocked = await textOf(nurse, '[data-testid="transition-checked-in"]');
  assert.match(blocked, /BP 186\/100/, 'the blocking reading is shown');
  assert.match(blocked, /hard stop/);
  await checkA11y(nurse, 'dosing check-in blocked');

  // Repeat reading after rest: passes.
  await recordReading(nurse, { sbp: 128, dbp: 82, hr: 76, spo2: 98, rr: 14 });
  await nurse.getByRole('button', { name: 'Check in', exact: true }).click();
  await nurse.locator('.phase-steps [aria-current="step"]', { hasText: 'Checked in' }).waitFor();

  // ---- dose: calculated by the nurse, verified by the prescriber ----
  await nurse.getByLabel('Route').selectOption('ivInfusion');
  await nurse.getByRole('button', { name: 'Calculate dose' }).click();
  await nurse.locator('[data-testid="dose-calculation"]').getByText('35 mg').waitFor();
  assert.match(await textOf(nurse, '[data-testid="dose-calculation"]'), /35 mL .* over 40 min/);
  await checkA11y(nurse, 'dosing dose calculated');
  await nurse.getByRole('button', { name: 'Record dose for verification' }).click();
  await nurse.getByText('Waiting for a second clinician to verify this calculation.').waitFor();

  const prescriber = await newPage();
  await signIn(prescriber, baseUrl, 'prescriber@demo.clinic');
  await prescriber.waitForURL(/\/staff\//);
  await prescriber.goto(sessionUrl);
  await expectHeading(prescriber, /^Session: .*Rivera/);
  await prescriber.getByRole('button', { name: 'Verify calculation (co-sign)' }).click();
  await prescriber.getByText(/Verified by Dr\. Priya Natarajan/).waitFor();

  await nurse.reload();
  await nurse.getByText(/Verified by Dr\. Priya Natarajan/).waitFor();
  await nurse.getByRole('button', { name: 'Start dosing' }).click();
  await nurse.getByLabel('Lot number').fill('KET-24-0917');
  const nextYear = new Date().getFullYear() + 1;
  await nurse.getByLabel('Lot expiry').fill(`${nextYear}-06-30`);
  await nurse.getByRole('button', { name: 'Record administration' }).click();
  await nurse.locator('[data-testid="administration"]').getByText(/given by Chris Adeyemi, RN, verified by Dr\. Priya Natarajan/).waitFor();
  await checkA11y(nurse, 'dosing administration');
  await nurse.getByRole('button', { name: 'Record end now' }).click();
  await nurse.getByRole('button', { name: 'Start monitoring' }).click();
  await nurse.locator('.phase-steps [aria-current="step"]', { hasText: 'Monitoring' }).waitFor();

  // ---- a simulated monitor streams readings through the API; the flowsheet updates live ----
  const monitor = await apiAs('nurse@demo.clinic');
  const rowsBefore = await nurse.locator('[data-testid="vitals-table"] tbody tr').count();
  for (let i = 0; i < 3; i++) {
    await monitor.post(`/api/sessions/${sessionId}/vitals`, {
      idempotencyKey: `monitor-normal-${i}-${Date.now()}`,
      source: 'device',
      readings: [reading(-2 + i, { hr: 78 + i, sbp: 132 + i, dbp: 84, spo2: 97, rr: 14 })],
    });
  }
  await nurse.waitForFunction((n) => document.querySelectorAll('[data-testid="vitals-table"] tbody tr').length >= n, rowsBefore + 3);

  // ---- one reading triggers an alert; the nurse acknowledges it on the clinic board ----
  await nurse.getByRole('link', { name: 'Clinic board' }).first().click();
  await expectHeading(nurse, 'Clinic board');
  await nurse.locator('.live-dot--on').waitFor();
  const vitalsCell = nurse.locator(`[data-testid="vitals-${sessionId}"]`);
  await vitalsCell.waitFor();
  await monitor.post(`/api/sessions/${sessionId}/vitals`, {
    idempotencyKey: `monitor-high-${Date.now()}`,
    source: 'device',
    readings: [reading(0, { hr: 96, sbp: 204, dbp: 104, spo2: 96, rr: 16 })],
  });
  // Live, no reload: the card shows the new reading and the alert banner appears.
  await nurse.waitForFunction((sel) => /BP 204\/104/.test(document.querySelector(sel)?.textContent ?? ''), `[data-testid="vitals-${sessionId}"]`);
  const banner = nurse.locator('.alert-banner');
  await banner.waitFor();
  assert.match(await textOf(nurse, '.alert-banner'), /Systolic BP 204 mmHg is above 200 mmHg/);
  await checkA11y(nurse, 'dosing board alert');
  await banner.getByLabel('Intervention taken').first().fill('Repeated BP after 5 min rest, 168/96; dimmed lights, reassured');
  await banner.getByRole('button', { name: 'Acknowledge' }).first().click();
  await nurse.waitForFunction(() => !document.querySelector('.alert-banner'));
  // (A second open alert, DBP > 110, came from the same reading: acknowledge it too if present.)

  // ---- the therapist signs the notes ----
  const therapist = await newPage();
  await signIn(therapist, baseUrl, 'therapist@demo.clinic');
  await therapist.waitForURL(/\/staff\//);
  await therapist.goto(sessionUrl);
  await expectHeading(therapist, /^Session: .*Rivera/);
  await therapist.getByLabel('Room / setting').fill('Chair A, lights low');
  await therapist.getByLabel('Music').fill('Ambient playlist 2');
  await therapist.getByLabel('Eyeshades').check();
  await therapist.getByLabel('Intention').fill('To meet my grief with less fear');
  await therapist.getByLabel('Prompts and support given').fill('Breathing prompt at 15 min; hand on shoulder when tearful');
  await therapist.getByLabel('Observations').fill('Calm, tearful around 25 min, settled by 35 min');
  await therapist.getByLabel("Patient's own words after the session").fill('It felt like a warm room I had forgotten about.');
  await therapist.getByRole('button', { name: 'Sign notes' }).click();
  await therapist.getByText('Notes signed.', { exact: false }).waitFor();
  assert.ok(await therapist.getByLabel('Intention').evaluate((el) => (el as HTMLTextAreaElement).readOnly), 'signed notes are read-only');
  await checkA11y(therapist, 'dosing notes signed');

  // ---- recovery and discharge once criteria are met ----
  await nurse.goto(sessionUrl);
  await expectHeading(nurse, /^Session: .*Rivera/);
  const openAlerts = await nurse.locator('.alert-banner .alert-item').count();
  for (let i = 0; i < openAlerts; i++) {
    await nurse.locator('.alert-banner').getByLabel('Intervention taken').first().fill('Rechecked, back within range; continued observation');
    await nurse.locator('.alert-banner').getByRole('button', { name: 'Acknowledge' }).first().click();
    await nurse.waitForFunction((n) => document.querySelectorAll('.alert-banner .alert-item').length < n, openAlerts - i);
  }
  await nurse.getByRole('button', { name: 'Start recovery' }).click();
  await nurse.locator('.phase-steps [aria-current="step"]', { hasText: 'Recovery' }).waitFor();
  await monitor.post(`/api/sessions/${sessionId}/vitals`, {
    idempotencyKey: `monitor-discharge-${Date.now()}`,
    source: 'device',
    readings: [reading(0, { hr: 74, sbp: 126, dbp: 80, spo2: 98, rr: 14 })],
  });
  await nurse.getByRole('button', { name: 'Discharge', exact: true }).click();
  await nurse.getByText('Not yet: discharge is blocked').waitFor();
  assert.match(await textOf(nurse, '[data-testid="transition-discharged"]'), /Aldrete/);
  await nurse.getByLabel('Alert and oriented').check();
  await nurse.getByLabel('Walks steadily').check();
  await nurse.getByLabel(/Escort present/).check();
  await nurse.getByRole('button', { name: 'Save discharge checklist' }).click();
  await nurse.getByText('Checklist saved.').waitFor();
  await nurse.getByText('All discharge criteria are met.').waitFor();
  await checkA11y(nurse, 'dosing discharge checklist');
  await nurse.getByRole('button', { name: 'Discharge', exact: true }).click();
  await nurse.locator('.phase-steps [aria-current="step"]', { hasText: 'Discharged' }).waitFor();
  await nurse.getByText(/Aftercare instructions were emailed/).waitFor();

  // The aftercare email is in the outbox / local mailbox, with no clinical detail.
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    const box = await admin.get<{ items: { subject: string; to: string }[] }>('/api/admin/mailbox');
    found = box.items.some((m) => m.subject.startsWith('Aftercare after your visit') && m.to === 'patient@demo.clinic');
    if (!found) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(found, 'the aftercare email was delivered to the local mailbox');

  // ---- after the session: the therapist asks for the experience check-in; Alex answers it in the portal ----
  await therapist.goto(sessionUrl);
  await expectHeading(therapist, /^Session: .*Rivera/);
  const measure = therapist.locator('[data-testid="post-session-measure"]');
  await measure.getByText(/not a validated scale/).first().waitFor();
  await measure.getByRole('button', { name: 'Ask the patient to complete it' }).click();
  await measure.getByText('Waiting for the patient').waitFor();
  // The button is gone with its request: focus is on the section's heading, not the page body.
  await therapist.waitForFunction(() => document.activeElement?.id === 'post-session-heading');
  await checkA11y(therapist, 'dosing post-session measure requested');
  const patient = await newPage();
  await signIn(patient, baseUrl, 'patient@demo.clinic');
  await expectHeading(patient, 'My profile');
  await patient.goto(`${baseUrl}/portal/intake`);
  await expectHeading(patient, 'Intake questionnaires');
  await patient.locator('[data-testid="requested-questionnaires"]').getByRole('link', { name: 'Start' }).click();
  await expectHeading(patient, /^Post-session experience check-in/);
  const answer = async (id: string, label: string) => patient.locator(`fieldset#q-${id}`).getByLabel(label, { exact: true }).check();
  await answer('altered_body', 'Moderately');
  await answer('altered_surroundings', 'A little');
  await answer('altered_time', 'Quite a bit');
  await patient.getByRole('button', { name: 'Save and continue' }).click();
  await patient.getByText('Step 2 of 3').waitFor();
  await answer('distress', 'A little');
  await answer('supported', 'Extremely');
  await answer('drowsy_now', 'A little');
  await patient.getByRole('button', { name: 'Save and continue' }).click();
  await patient.getByText('Step 3 of 3').waitFor();
  await patient.getByLabel(/Describe the experience/).fill('Like a warm room I had forgotten about.');
  await patient.getByRole('button', { name: 'Save and review' }).click();
  await patient.getByRole('heading', { name: 'Review', level: 2 }).waitFor();
  await patient.getByRole('button', { name: 'Send my answers' }).click();
  await expectHeading(patient, /^Post-session experience check-in.*: submitted$/);
  await therapist.reload();
  await measure.getByText('Answered', { exact: true }).waitFor();
  assert.match(await textOf(therapist, '[data-testid="post-session-response"]'), /Total 6 — no bands or cut-offs/);
  assert.match(await textOf(therapist, '[data-testid="post-session-response"]'), /Like a warm room I had forgotten about\./);
  await checkA11y(therapist, 'dosing post-session measure answered');

  // ---- the admin's protocol page ----
  const adminPage = await newPage();
  await signIn(adminPage, baseUrl, 'admin@demo.clinic');
  await adminPage.waitForURL(/\/staff\//);
  await adminPage.getByRole('link', { name: 'Protocol' }).click();
  await expectHeading(adminPage, 'Clinic protocol');
  await adminPage.getByText(/E2E: observation minimum 0 for IV/).waitFor();
  await checkA11y(adminPage, 'dosing protocol settings');

  const board = await monitor.get<Board>('/api/board');
  assert.ok(!board.sessions.some((s) => s.sessionId === sessionId), 'a discharged session leaves the board');
});

async function adminHeaders(baseUrl: string): Promise<Record<string, string>> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo.clinic', password: 'threshold-demo' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}
