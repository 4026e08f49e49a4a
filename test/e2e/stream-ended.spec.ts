import assert from 'node:assert/strict';
import { checkA11y, expectHeading, journey, signIn, signOut, textOf, type JourneyContext, type Page } from './harness';

interface SchedulingSetup {
  appointmentTypes: { id: string; kind: string }[];
  rooms: { id: string; kind: string }[];
  clinicians: { id: string; role: string }[];
}
interface Availability {
  slots: { start: string; clinicianId: string }[];
}

/**
 * A dosing session of Alex's of its own, so this journey does not depend on the dosing
 * journey having (or not having) used today's appointment: the front desk books a future
 * dosing appointment in an open slot, and the nurse opens its session.
 */
async function openDosingSession(apiAs: JourneyContext['apiAs']): Promise<string> {
  const frontDesk = await apiAs('frontdesk@demo.clinic');
  const setup = await frontDesk.get<SchedulingSetup>('/api/scheduling/setup');
  const type = setup.appointmentTypes.find((t) => t.kind === 'dosing');
  const prescriber = setup.clinicians.find((c) => c.role === 'prescriber');
  const nurseId = setup.clinicians.find((c) => c.role === 'nurse')?.id;
  const chairs = setup.rooms.filter((r) => r.kind === 'chair');
  assert.ok(type && prescriber && nurseId && chairs.length > 0, 'the demo clinic has a dosing type, a prescriber, a nurse and a chair');
  const patients = await frontDesk.get<{ items: { id: string; preferredName: string | null }[] }>('/api/patients?q=Rivera');
  const alex = patients.items.find((p) => p.preferredName === 'Alex');
  assert.ok(alex, 'Alex Rivera is a patient of the demo clinic');

  const day = 24 * 60 * 60 * 1000;
  const window = `from=${encodeURIComponent(new Date(Date.now() + day).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 15 * day).toISOString())}`;
  const { slots } = await frontDesk.get<Availability>(`/api/availability?appointmentType=${type.id}&clinicianId=${prescriber.id}&${window}`);
  // An open slot of the prescriber may still find every chair or the nurse taken: try the next.
  for (const slot of slots.slice(0, 10)) {
    for (const chair of chairs) {
      const booked = await frontDesk
        .post<{ id: string }>('/api/appointments', { appointmentTypeId: type.id, patientId: alex.id, clinicianId: slot.clinicianId, roomId: chair.id, nurseId, start: slot.start })
        .catch(() => null);
      if (!booked) continue;
      const nurse = await apiAs('nurse@demo.clinic');
      return (await nurse.post<{ id: string }>('/api/sessions', { appointmentId: booked.id })).id;
    }
  }
  throw new Error(`no dosing appointment could be booked for Alex in the next two weeks (${slots.length} open slots)`);
}

async function expectLive(page: Page): Promise<void> {
  await page.locator('.live-dot--on').waitFor();
  assert.equal(await page.getByTestId('stream-ended').count(), 0, `no "live updates stopped" notice while live on ${page.url()}`);
}

async function expectStreamEnded(page: Page): Promise<void> {
  // The e2e server re-checks access every second (STREAM_HEARTBEAT_MS in run.ts).
  const notice = page.getByRole('status').filter({ has: page.getByText('Live updates have stopped', { exact: true }) });
  await notice.waitFor({ timeout: 5_000 });
  assert.equal(await notice.getAttribute('data-testid'), 'stream-ended');
  assert.match(await textOf(page, '[data-testid="stream-ended"]'), /You have been signed out\./, 'the notice says why, as the server sent it');
  assert.equal(await page.locator('.live-dot--on').count(), 0, 'the live indicator is off');
}

journey('live updates: signed out in another tab, the session flowsheet and the clinic board say live updates have stopped', async ({ newPage, baseUrl, apiAs }) => {
  const sessionId = await openDosingSession(apiAs);

  // The nurse watches the flowsheet in one tab and the clinic board in another.
  const flowsheet = await newPage();
  await signIn(flowsheet, baseUrl, 'nurse@demo.clinic');
  await flowsheet.waitForURL(/\/staff\//);
  await flowsheet.goto(`${baseUrl}/staff/sessions/${sessionId}`);
  await expectHeading(flowsheet, /^Session: .*Rivera/);
  const pageErrors: string[] = [];
  const board = await flowsheet.context().newPage();
  board.on('pageerror', (err) => pageErrors.push(err.message));
  await board.goto(`${baseUrl}/staff/board`);
  await expectHeading(board, 'Clinic board');
  await expectLive(flowsheet);
  await expectLive(board);
  // Re-checks while still signed in leave both streams open.
  await flowsheet.waitForTimeout(1_500);
  await expectLive(flowsheet);
  await expectLive(board);

  // Signing out in a third tab ends the same sign-in; both streams end at their next re-check.
  const other = await flowsheet.context().newPage();
  other.on('pageerror', (err) => pageErrors.push(err.message));
  await other.goto(`${baseUrl}/staff/patients`);
  await expectHeading(other, 'Patients');
  await signOut(other);

  await expectStreamEnded(flowsheet);
  // The page stays put with what it had: the notice, not a sign-in redirect.
  await expectHeading(flowsheet, /^Session: .*Rivera/);
  await checkA11y(flowsheet, 'session flowsheet live updates stopped');
  await expectStreamEnded(board);
  await expectHeading(board, 'Clinic board');
  await checkA11y(board, 'clinic board live updates stopped');
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the other tabs');
});
