import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIcs, prop } from '../../../../test/helpers/ics-and-mime';
import { createClinicWorld, createTestApp, errorOf, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { ALL_DAYS, addRule, createAppointmentType, createRoom, setPolicy } from './scheduling.test-world';

/*
 * Staff appointments through HTTP on a real database: create, conflicts with people and
 * rooms named in the 409, move, cancel with reason, status changes, who sees whose name
 * on the calendar, the dosing eligibility gate, and the private .ics feed.
 */

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
let fd: Session;
let types: { intake: string; dosing: string };
let room1: string;
let room2: string;
let chairA: string;
const range = `from=${encodeURIComponent('2026-12-01T00:00:00-08:00')}&to=${encodeURIComponent('2026-12-31T00:00:00-08:00')}`;

function create(payload: Record<string, unknown>, session = fd) {
  return t.app.inject({ method: 'POST', url: '/api/appointments', headers: session.headers, payload });
}
function patch(id: string, payload: Record<string, unknown>, session = fd) {
  return t.app.inject({ method: 'PATCH', url: `/api/appointments/${id}`, headers: session.headers, payload });
}

beforeAll(async () => {
  t = await createTestApp();
  world = await createClinicWorld(t.db);
  types = {
    intake: await createAppointmentType(t.db, world.org.id, { kind: 'intake', duration: 60, after: 15, step: 30, resources: ['clinician', 'room'] }),
    dosing: await createAppointmentType(t.db, world.org.id, { kind: 'dosing', duration: 120, before: 15, after: 30, step: 30, resources: ['clinician', 'chair', 'nurse'] }),
  };
  room1 = await createRoom(t.db, world.org.id, 'room', 'Room 1');
  room2 = await createRoom(t.db, world.org.id, 'room', 'Room 2');
  chairA = await createRoom(t.db, world.org.id, 'chair', 'Chair A');
  for (const id of [world.users.therapistA.id, world.users.therapistB.id]) await addRule(t.db, world.org.id, 'clinician', id, ALL_DAYS, '09:00', '17:00');
  for (const id of [room1, room2]) await addRule(t.db, world.org.id, 'room', id, ALL_DAYS, '08:00', '18:00');
  await setPolicy(t.db, world.org.id, 90, 0);
  fd = await signIn(t.app, world.users.frontDesk.email);
});

afterAll(async () => {
  await t.close();
});

describe('staff appointments', () => {
  it('creates, refuses conflicts naming the appointment, moves, cancels with reason', async () => {
    const first = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientA.id,
      clinicianId: world.users.therapistA.id,
      roomId: room1,
      start: '2026-12-01T09:00:00-08:00',
    });
    expect(first.statusCode).toBe(201);
    const a = first.json() as { id: string; start: string; end: string; patientName: string; roomName: string };
    expect(a).toMatchObject({ start: '2026-12-01T09:00:00-08:00', end: '2026-12-01T10:00:00-08:00', roomName: 'Room 1' });

    // Same clinician, overlapping the buffer after (10:00–10:15): refused, naming the appointment.
    const clinicianClash = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientB.id,
      clinicianId: world.users.therapistA.id,
      roomId: room2,
      start: '2026-12-01T10:00:00-08:00',
    });
    expect(clinicianClash.statusCode).toBe(409);
    expect(errorOf(clinicianClash).message).toContain(a.id);
    expect(errorOf(clinicianClash).message).toContain(`clinician:${world.users.therapistA.id}`);

    // Another clinician in the same room at the same time: the room conflicts.
    const roomClash = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientB.id,
      clinicianId: world.users.therapistB.id,
      roomId: room1,
      start: '2026-12-01T09:30:00-08:00',
    });
    expect(roomClash.statusCode).toBe(409);
    expect(errorOf(roomClash).message).toContain(`room:${room1}`);

    // The same patient with another clinician and room at the same time: the patient conflicts.
    const patientClash = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientA.id,
      clinicianId: world.users.therapistB.id,
      roomId: room2,
      start: '2026-12-01T09:30:00-08:00',
    });
    expect(patientClash.statusCode).toBe(409);
    expect(errorOf(patientClash).message).toContain(a.id);

    // After the buffer the clinician is free again.
    const second = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientB.id,
      clinicianId: world.users.therapistA.id,
      roomId: room2,
      start: '2026-12-01T10:15:00-08:00',
    });
    expect(second.statusCode).toBe(201);
    const b = second.json() as { id: string };

    // Moving the first onto the second is refused; moving it elsewhere works.
    const badMove = await patch(a.id, { start: '2026-12-01T10:30:00-08:00' });
    expect(badMove.statusCode).toBe(409);
    expect(errorOf(badMove).message).toContain(b.id);
    const moved = await patch(a.id, { start: '2026-12-02T13:00:00-08:00', roomId: room2 });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ start: '2026-12-02T13:00:00-08:00', roomName: 'Room 2' });

    // Cancelling needs a reason, and frees the time.
    const noReason = await patch(b.id, { status: 'cancelled' });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).field).toBe('cancelReason');
    const cancelled = await patch(b.id, { status: 'cancelled', cancelReason: 'Patient unwell' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Patient unwell' });
    const movedCancelled = await patch(b.id, { start: '2026-12-03T10:00:00-08:00' });
    expect(movedCancelled.statusCode).toBe(409);
    const reuse = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientA.id,
      clinicianId: world.users.therapistA.id,
      roomId: room2,
      start: '2026-12-01T10:15:00-08:00',
    });
    expect(reuse.statusCode).toBe(201);

    // Status lifecycle: booked → checked in → in progress → completed; no jumping back.
    const c = (reuse.json() as { id: string }).id;
    expect((await patch(c, { status: 'completed' })).statusCode).toBe(409);
    for (const s of ['checked_in', 'in_progress', 'completed']) expect((await patch(c, { status: s })).statusCode).toBe(200);
    expect((await patch(c, { status: 'booked' })).statusCode).toBe(409);
  });

  it('validates input with the field named', async () => {
    const base = { appointmentTypeId: types.intake, patientId: world.patientA.id, clinicianId: world.users.therapistA.id, roomId: room1, start: '2026-12-04T09:00:00-08:00' };
    const cases: [Record<string, unknown>, string][] = [
      [{ roomId: null }, 'roomId'],
      [{ roomId: chairA }, 'roomId'],
      [{ clinicianId: world.users.frontDesk.id }, 'clinicianId'],
      [{ start: 'tomorrow' }, 'start'],
      [{ appointmentTypeId: '00000000-0000-4000-8000-000000000000' }, 'appointmentTypeId'],
    ];
    for (const [change, field] of cases) {
      const res = await create({ ...base, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(errorOf(res).field).toBe(field);
    }
    expect((await create({ ...base, patientId: world.foreignPatient.id })).statusCode).toBe(404);
    const patient = await signIn(t.app, world.users.patientA.email);
    expect((await create(base, patient)).statusCode).toBe(403);
  });

  it('refuses a dosing appointment without a current eligible decision', async () => {
    await addRule(t.db, world.org.id, 'chair', chairA, ALL_DAYS, '08:00', '18:00');
    const res = await create({
      appointmentTypeId: types.dosing,
      patientId: world.patientA.id,
      clinicianId: world.users.therapistA.id,
      roomId: chairA,
      nurseId: world.users.nurse.id,
      start: '2026-12-10T09:00:00-08:00',
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).field).toBe('patientId');
    const none = await t.db.selectFrom('appointments').select('id').where('kind', '=', 'dosing').execute();
    expect(none).toHaveLength(0);
  });

  it('shows names to front desk and the care team, "busy" to other clinicians, and patients only their own', async () => {
    const list = async (s: Session, extra = '') => {
      const res = await t.app.inject({ method: 'GET', url: `/api/appointments?${range}${extra}`, headers: s.headers });
      expect(res.statusCode).toBe(200);
      return (res.json() as { items: { patientId: string | null; patientName: string | null; clinicianId: string; roomId: string | null }[] }).items;
    };
    const forB = await create({
      appointmentTypeId: types.intake,
      patientId: world.patientB.id,
      clinicianId: world.users.therapistB.id,
      roomId: room1,
      start: '2026-12-05T09:00:00-08:00',
    });
    expect(forB.statusCode).toBe(201);
    const fdItems = await list(fd);
    expect(fdItems.length).toBeGreaterThan(0);
    expect(fdItems.every((i) => i.patientName !== null)).toBe(true);
    const therapistA = await signIn(t.app, world.users.therapistA.email);
    const aItems = await list(therapistA);
    expect(aItems.filter((i) => i.patientId === world.patientA.id).every((i) => i.patientName === 'Ada Lovelace')).toBe(true);
    expect(aItems.some((i) => i.patientName === null && i.patientId === null)).toBe(true); // patient B: busy
    const byRoom = await list(fd, `&roomId=${room2}`);
    expect(byRoom.every((i) => i.roomId === room2)).toBe(true);
    const byClinician = await list(fd, `&clinicianId=${world.users.therapistA.id}`);
    expect(byClinician.every((i) => i.clinicianId === world.users.therapistA.id)).toBe(true);
    const patient = await signIn(t.app, world.users.patientA.email);
    const own = await list(patient);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((i) => i.patientId === world.patientA.id)).toBe(true);
    const audits = await t.db.selectFrom('audit_events').select('patient_id').where('resource', '=', 'patient.schedule').execute();
    expect(audits.length).toBeGreaterThan(0);
  });

  it('serves a private .ics feed without patient names, and revokes it', async () => {
    const therapist = await signIn(t.app, world.users.therapistA.email);
    const created = await t.app.inject({ method: 'POST', url: '/api/calendar-feed', headers: therapist.headers });
    expect(created.statusCode).toBe(201);
    const url = (created.json() as { url: string }).url;
    const path = new URL(url).pathname;
    const feed = await t.app.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const { components } = parseIcs(feed.body);
    const events = components.filter((c) => c.name === 'VEVENT');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(prop(e, 'DTSTART')).toMatch(/^\d{8}T\d{6}Z$/);
      expect(prop(e, 'UID')).toBeTruthy();
    }
    expect(feed.body).not.toMatch(/Lovelace|Hopper/);
    const status = await t.app.inject({ method: 'GET', url: '/api/calendar-feed', headers: therapist.headers });
    expect(status.json()).toMatchObject({ active: true });
    expect((status.json() as { url?: string }).url).toBeUndefined();
    const revoked = await t.app.inject({ method: 'DELETE', url: '/api/calendar-feed', headers: therapist.headers });
    expect(revoked.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/calendar-feed', headers: fd.headers })).statusCode).toBe(403);
  });
});
