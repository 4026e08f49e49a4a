import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentNamed, parseIcs, prop, textBodyOf } from '../../../../test/helpers/ics-and-mime';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink';
import { createClinicWorld, createTestApp, errorOf, signIn, type Session, type TestContext } from '../../../../test/helpers/test-app';
import { createAppointmentType } from './scheduling.test-world';

/*
 * Editing availability through HTTP on a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgres): weekly hours, time off, holidays (on a DST day), booking
 * policy, rooms and appointment types; who may change what; field-named 400s with
 * nothing written; every change visible at once in GET /api/availability and the public
 * booking availability. Also: staff moving or cancelling a visitor's consultation mails
 * the visitor an updated or cancelling .ics over real SMTP.
 */

let t: TestContext;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
let admin: Session;
let fd: Session;
let therapistA: Session;
let therapistB: Session;
let consultationType: string;

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' }));

function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, session: Session | null, payload?: unknown) {
  return t.app.inject({ method, url, ...(session ? { headers: session.headers } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });
}

/** Staff availability: slot starts of one clinician for one local date (clinic offsets given). */
async function staffSlots(clinicianId: string, date: string, fromOffset = '-08:00', toOffset = fromOffset) {
  const q = `appointmentType=${consultationType}&clinicianId=${clinicianId}&from=${encodeURIComponent(`${date}T00:00:00${fromOffset}`)}&to=${encodeURIComponent(`${date}T23:59:00${toOffset}`)}`;
  const res = await call('GET', `/api/availability?${q}`, fd);
  expect(res.statusCode).toBe(200);
  return (res.json() as { slots: { start: string }[] }).slots.map((s) => s.start).filter((s) => s.startsWith(date));
}

/** Public booking page availability for the same date. */
async function publicSlots(clinicianId: string, date: string, fromOffset = '-08:00', toOffset = fromOffset) {
  const q = `clinicianId=${clinicianId}&from=${encodeURIComponent(`${date}T00:00:00${fromOffset}`)}&to=${encodeURIComponent(`${date}T23:59:00${toOffset}`)}`;
  const res = await call('GET', `/api/public/consultations/availability?${q}`, null);
  expect(res.statusCode).toBe(200);
  return (res.json() as { slots: { start: string }[] }).slots.map((s) => s.start).filter((s) => s.startsWith(date));
}

async function auditCount(resource: string) {
  const row = await t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resource', '=', resource)
    .where('organization_id', '=', world.org.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://clinic.example' });
  world = await createClinicWorld(t.db);
  consultationType = await createAppointmentType(t.db, world.org.id, { kind: 'consultation', duration: 60, step: 60, publicBookable: true });
  admin = await signIn(t.app, world.users.admin.email);
  fd = await signIn(t.app, world.users.frontDesk.email);
  therapistA = await signIn(t.app, world.users.therapistA.email);
  therapistB = await signIn(t.app, world.users.therapistB.email);
  t.clock.now = new Date('2026-10-20T12:00:00.000Z');
  const policy = await call('PUT', '/api/scheduling/booking-policy', admin, { horizonDays: 180, minNoticeMinutes: 0 });
  expect(policy.statusCode).toBe(200);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

describe('weekly hours', () => {
  it('a clinician sets their own hours and they are bookable at once, staff side and public side', async () => {
    const id = world.users.therapistA.id;
    expect(await staffSlots(id, '2026-10-27', '-07:00')).toEqual([]);
    const res = await call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, therapistA, { rules: ALL_WEEK });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ canEdit: true, resource: { kind: 'clinician', id }, timeZone: 'America/Los_Angeles' });
    expect((res.json() as { rules: unknown[] }).rules).toHaveLength(7);
    const staff = await staffSlots(id, '2026-10-27', '-07:00');
    expect(staff[0]).toBe('2026-10-27T09:00:00-07:00');
    expect(staff).toHaveLength(8);
    expect(await publicSlots(id, '2026-10-27', '-07:00')).toEqual(staff);
    expect(await auditCount('scheduling.availability_rules')).toBeGreaterThanOrEqual(1);
  });

  it('effective dates bound a rule', async () => {
    const id = world.users.therapistB.id;
    const res = await call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, admin, {
      rules: [
        { weekday: 2, startTime: '09:00', endTime: '12:00', effectiveUntil: '2026-10-27' },
        { weekday: 2, startTime: '13:00', endTime: '15:00', effectiveFrom: '2026-11-03' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(await staffSlots(id, '2026-10-27', '-07:00')).toEqual(['2026-10-27T09:00:00-07:00', '2026-10-27T10:00:00-07:00', '2026-10-27T11:00:00-07:00']);
    expect(await staffSlots(id, '2026-11-03')).toEqual(['2026-11-03T13:00:00-08:00', '2026-11-03T14:00:00-08:00']);
  });

  it('refuses bad rules naming the field, and writes nothing', async () => {
    const id = world.users.therapistA.id;
    const put = (rules: unknown[]) => call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, admin, { rules });
    const cases: [unknown[], string][] = [
      [[{ weekday: 1, startTime: '12:00', endTime: '09:00' }], 'rules[0].endTime'],
      [[{ weekday: 1, startTime: '09:00', endTime: '12:00' }, { weekday: 1, startTime: '11:00', endTime: '13:00' }], 'rules[1].startTime'],
      [[{ weekday: 1, startTime: '09:00', endTime: '12:00', effectiveFrom: '2026-02-30' }], 'rules[0].effectiveFrom'],
      [[{ weekday: 1, startTime: '09:00', endTime: '12:00', effectiveFrom: '2026-12-01', effectiveUntil: '2026-11-01' }], 'rules[0].effectiveUntil'],
      [[{ weekday: 9, startTime: '09:00', endTime: '12:00' }], 'rules[0].weekday'],
      [[{ weekday: 1, startTime: '9am', endTime: '12:00' }], 'rules[0].startTime'],
    ];
    for (const [rules, field] of cases) {
      const res = await put(rules);
      expect(res.statusCode, JSON.stringify(rules)).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'validation', field });
    }
    const after = await call('GET', `/api/scheduling/resources/clinician/${id}/availability`, fd);
    expect((after.json() as { rules: unknown[] }).rules).toHaveLength(7);
  });

  it('front desk reads but cannot edit; a clinician cannot edit a colleague; other clinics see nothing', async () => {
    const id = world.users.therapistA.id;
    const read = await call('GET', `/api/scheduling/resources/clinician/${id}/availability`, fd);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ canEdit: false });
    expect((await call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, fd, { rules: [] })).statusCode).toBe(403);
    expect((await call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, therapistB, { rules: [] })).statusCode).toBe(403);
    expect((await call('POST', `/api/scheduling/resources/clinician/${id}/time-off`, therapistB, { fromDate: '2026-11-10', toDate: '2026-11-10' })).statusCode).toBe(403);
    const foreign = await signIn(t.app, world.users.foreignAdmin.email);
    expect((await call('GET', `/api/scheduling/resources/clinician/${id}/availability`, foreign)).statusCode).toBe(404);
    expect((await call('PUT', `/api/scheduling/resources/clinician/${id}/rules`, foreign, { rules: [] })).statusCode).toBe(404);
    const patient = await signIn(t.app, world.users.patientA.email);
    expect((await call('GET', `/api/scheduling/resources/clinician/${id}/availability`, patient)).statusCode).toBe(403);
    expect((await call('GET', `/api/scheduling/resources/clinician/${id}/availability`, null)).statusCode).toBe(401);
  });
});

describe('time off', () => {
  it('a clinician takes a day off: that day has no slots, staff side and public side; removing it brings them back', async () => {
    const id = world.users.therapistA.id;
    expect(await staffSlots(id, '2026-11-10')).toHaveLength(8);
    const res = await call('POST', `/api/scheduling/resources/clinician/${id}/time-off`, therapistA, { fromDate: '2026-11-10', toDate: '2026-11-10', label: 'Conference' });
    expect(res.statusCode).toBe(201);
    const off = (res.json() as { timeOff: { id: string; start: string; end: string }[] }).timeOff.find((o) => o.start.startsWith('2026-11-10'))!;
    expect(off).toMatchObject({ start: '2026-11-10T00:00:00-08:00', end: '2026-11-11T00:00:00-08:00' });
    expect(await staffSlots(id, '2026-11-10')).toEqual([]);
    expect(await publicSlots(id, '2026-11-10')).toEqual([]);
    expect(await staffSlots(id, '2026-11-11')).toHaveLength(8);
    expect(await auditCount('scheduling.time_off')).toBeGreaterThanOrEqual(1);

    const del = await call('DELETE', `/api/scheduling/time-off/${off.id}`, therapistA);
    expect(del.statusCode).toBe(200);
    expect(await staffSlots(id, '2026-11-10')).toHaveLength(8);
  });

  it('part of a day, and a whole spring-forward day (23 hours) in local time', async () => {
    const id = world.users.therapistA.id;
    const part = await call('POST', `/api/scheduling/resources/clinician/${id}/time-off`, therapistA, {
      fromDate: '2026-11-12',
      toDate: '2026-11-12',
      startTime: '12:00',
      endTime: '14:00',
    });
    expect(part.statusCode).toBe(201);
    expect(await staffSlots(id, '2026-11-12')).toEqual([
      '2026-11-12T09:00:00-08:00',
      '2026-11-12T10:00:00-08:00',
      '2026-11-12T11:00:00-08:00',
      '2026-11-12T14:00:00-08:00',
      '2026-11-12T15:00:00-08:00',
      '2026-11-12T16:00:00-08:00',
    ]);
    t.clock.now = new Date('2026-03-01T12:00:00.000Z');
    expect(await staffSlots(id, '2026-03-08', '-08:00', '-07:00')).toHaveLength(8);
    const dst = await call('POST', `/api/scheduling/resources/clinician/${id}/time-off`, admin, { fromDate: '2026-03-08', toDate: '2026-03-08' });
    expect(dst.statusCode).toBe(201);
    const item = (dst.json() as { timeOff: { start: string; end: string }[] }).timeOff.find((o) => o.start.startsWith('2026-03-08'))!;
    expect(item).toMatchObject({ start: '2026-03-08T00:00:00-08:00', end: '2026-03-09T00:00:00-07:00' });
    expect(await staffSlots(id, '2026-03-08', '-08:00', '-07:00')).toEqual([]);
    expect(await staffSlots(id, '2026-03-09', '-07:00')).toHaveLength(8);
    t.clock.now = new Date('2026-10-20T12:00:00.000Z');
  });

  it('refuses bad time off naming the field', async () => {
    const id = world.users.therapistA.id;
    const post = (body: unknown) => call('POST', `/api/scheduling/resources/clinician/${id}/time-off`, therapistA, body);
    const cases: [unknown, string][] = [
      [{ fromDate: '2026-11-20', toDate: '2026-11-19' }, 'toDate'],
      [{ fromDate: '2026-11-31', toDate: '2026-12-01' }, 'fromDate'],
      [{ fromDate: '2026-11-20', toDate: '2026-11-20', startTime: '12:00' }, 'endTime'],
      [{ fromDate: '2026-11-20', toDate: '2026-11-20', startTime: '14:00', endTime: '12:00' }, 'endTime'],
      [{ fromDate: '2026-11-20', toDate: '2026-11-20', startTime: '25:00', endTime: '26:00' }, 'startTime'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).field).toBe(field);
    }
    expect(await staffSlots(id, '2026-11-20')).toHaveLength(8);
  });
});

describe('clinic-wide settings (clinic admin)', () => {
  it('a holiday on the fall-back day (25 hours) removes exactly that local day', async () => {
    const id = world.users.therapistA.id;
    expect(await staffSlots(id, '2026-11-01', '-07:00', '-08:00')).toHaveLength(8);
    const res = await call('POST', '/api/scheduling/holidays', admin, { date: '2026-11-01', name: 'Clinic retreat' });
    expect(res.statusCode).toBe(201);
    const holiday = (res.json() as { holidays: { id: string; date: string; name: string }[] }).holidays.find((h) => h.date === '2026-11-01')!;
    expect(holiday.name).toBe('Clinic retreat');
    expect(await staffSlots(id, '2026-11-01', '-07:00', '-08:00')).toEqual([]);
    expect(await publicSlots(id, '2026-11-01', '-07:00', '-08:00')).toEqual([]);
    expect(await staffSlots(id, '2026-10-31', '-07:00')).toHaveLength(8);
    expect(await staffSlots(id, '2026-11-02')).toHaveLength(8);

    const dup = await call('POST', '/api/scheduling/holidays', admin, { date: '2026-11-01', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).field).toBe('date');
    const bad = await call('POST', '/api/scheduling/holidays', admin, { date: '2026-02-29', name: 'Leap?' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toBe('date');
    expect((await call('POST', '/api/scheduling/holidays', therapistA, { date: '2026-12-24', name: 'Mine' })).statusCode).toBe(403);
    expect((await call('POST', '/api/scheduling/holidays', fd, { date: '2026-12-24', name: 'Mine' })).statusCode).toBe(403);

    const del = await call('DELETE', `/api/scheduling/holidays/${holiday.id}`, admin);
    expect(del.statusCode).toBe(200);
    expect(await staffSlots(id, '2026-11-01', '-07:00', '-08:00')).toHaveLength(8);
    expect(await auditCount('scheduling.holiday')).toBe(2);
  });

  it('booking policy: horizon and notice apply at once; bad values name the field', async () => {
    const id = world.users.therapistA.id;
    expect(await staffSlots(id, '2026-11-16')).toHaveLength(8);
    const res = await call('PUT', '/api/scheduling/booking-policy', admin, { horizonDays: 14, minNoticeMinutes: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ policy: { horizonDays: 14, minNoticeMinutes: 0 } });
    expect(await staffSlots(id, '2026-11-16')).toEqual([]);
    expect(await publicSlots(id, '2026-11-16')).toEqual([]);
    expect(await staffSlots(id, '2026-11-03')).toHaveLength(8);
    const bad = await call('PUT', '/api/scheduling/booking-policy', admin, { horizonDays: 0, minNoticeMinutes: 0 });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toBe('horizonDays');
    expect((await call('PUT', '/api/scheduling/booking-policy', admin, { horizonDays: 30, minNoticeMinutes: -5 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/scheduling/booking-policy', fd, { horizonDays: 30, minNoticeMinutes: 0 })).statusCode).toBe(403);
    expect((await call('PUT', '/api/scheduling/booking-policy', admin, { horizonDays: 180, minNoticeMinutes: 0 })).statusCode).toBe(200);
  });

  it('rooms and appointment types: create, validate, change; a new duration shows in availability', async () => {
    const room = await call('POST', '/api/scheduling/rooms', admin, { kind: 'chair', name: 'Chair 1' });
    expect(room.statusCode).toBe(201);
    const chair = (room.json() as { rooms: { id: string; name: string; kind: string; active: boolean }[] }).rooms.find((r) => r.name === 'Chair 1')!;
    expect(chair).toMatchObject({ kind: 'chair', active: true });
    expect((await call('POST', '/api/scheduling/rooms', admin, { kind: 'room', name: 'chair 1' })).statusCode).toBe(409);
    expect((await call('POST', '/api/scheduling/rooms', fd, { kind: 'room', name: 'Room 9' })).statusCode).toBe(403);
    const off = await call('PATCH', `/api/scheduling/rooms/${chair.id}`, admin, { active: false });
    expect((off.json() as { rooms: { id: string; active: boolean }[] }).rooms.find((r) => r.id === chair.id)!.active).toBe(false);

    const chairHours = await call('PUT', `/api/scheduling/resources/chair/${chair.id}/rules`, admin, { rules: [{ weekday: 1, startTime: '08:00', endTime: '18:00' }] });
    expect(chairHours.statusCode).toBe(200);
    expect((await call('PUT', `/api/scheduling/resources/room/${chair.id}/rules`, admin, { rules: [] })).statusCode).toBe(404);

    const base = { kind: 'dosing', name: 'Dosing (IM)', durationMinutes: 120, bufferBeforeMinutes: 15, bufferAfterMinutes: 30, slotStepMinutes: 30, requiredResources: ['clinician', 'chair', 'nurse'], publicBookable: false };
    const created = await call('POST', '/api/scheduling/appointment-types', admin, base);
    expect(created.statusCode).toBe(201);
    const bads: [Record<string, unknown>, string][] = [
      [{ slotStepMinutes: 2 }, 'slotStepMinutes'],
      [{ durationMinutes: 0 }, 'durationMinutes'],
      [{ bufferAfterMinutes: 500 }, 'bufferAfterMinutes'],
      [{ requiredResources: ['clinician', 'room', 'chair'] }, 'requiredResources'],
      [{ requiredResources: ['chair', 'clinician'] }, 'requiredResources'],
      [{ publicBookable: true }, 'publicBookable'],
    ];
    for (const [change, field] of bads) {
      const res = await call('POST', '/api/scheduling/appointment-types', admin, { ...base, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(errorOf(res).field).toBe(field);
    }

    const id = world.users.therapistA.id;
    const longer = await call('PATCH', `/api/scheduling/appointment-types/${consultationType}`, admin, { durationMinutes: 90, slotStepMinutes: 90 });
    expect(longer.statusCode).toBe(200);
    expect(await staffSlots(id, '2026-11-04')).toEqual([
      '2026-11-04T09:00:00-08:00',
      '2026-11-04T10:30:00-08:00',
      '2026-11-04T12:00:00-08:00',
      '2026-11-04T13:30:00-08:00',
      '2026-11-04T15:00:00-08:00',
    ]);
    expect((await call('PATCH', `/api/scheduling/appointment-types/${consultationType}`, admin, { slotStepMinutes: 1 })).statusCode).toBe(400);
    await call('PATCH', `/api/scheduling/appointment-types/${consultationType}`, admin, { durationMinutes: 60, slotStepMinutes: 60 });
    const settings = await call('GET', '/api/scheduling/settings', fd);
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({ canEdit: false, timeZone: 'America/Los_Angeles' });
    expect((settings.json() as { appointmentTypes: { name: string }[] }).appointmentTypes.map((x) => x.name)).toContain('Dosing (IM)');
    expect(await auditCount('scheduling.appointment_type')).toBe(3);
  });
});

describe('staff move or cancel a visitor’s consultation', () => {
  it('emails the visitor an updated .ics (same UID) when moved, and a cancelling one when cancelled', async () => {
    sink.received.length = 0;
    const booked = await t.app.inject({
      method: 'POST',
      url: '/api/consultations',
      remoteAddress: '10.77.0.1',
      payload: {
        clinicianId: world.users.therapistA.id,
        start: '2026-11-18T10:00:00-08:00',
        name: 'Robin Visitor',
        email: 'robin.visitor@example.com',
        phone: '+1 213 555 0100',
        reason: 'Curious about KAP',
        contactPreference: 'email',
        consentToContact: true,
        visitorTimeZone: 'America/New_York',
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const requestId = (booked.json() as { id: string }).id;
    const appt = await t.db.selectFrom('appointments').select('id').where('consultation_request_id', '=', requestId).executeTakeFirstOrThrow();
    await t.deps.outbox.runOnce();
    const confirmation = sink.received.find((m) => m.to.includes('robin.visitor@example.com'))!;
    const uid = prop(parseIcs(attachmentNamed(confirmation.raw, 'consultation.ics')!).components.find((c) => c.name === 'VEVENT')!, 'UID');
    sink.received.length = 0;

    const moved = await call('PATCH', `/api/appointments/${appt.id}`, fd, { start: '2026-11-18T14:00:00-08:00' });
    expect(moved.statusCode).toBe(200);
    await t.deps.outbox.runOnce();
    const moveMail = sink.received.find((m) => m.to.includes('robin.visitor@example.com'));
    expect(moveMail).toBeDefined();
    const moveText = textBodyOf(moveMail!.raw);
    expect(moveText).toContain('has been moved');
    expect(moveText).toContain('2:00 PM PST');
    expect(moveText).toContain('5:00 PM EST');
    expect(moveText).not.toContain('Curious about KAP');
    const moveEvent = parseIcs(attachmentNamed(moveMail!.raw, 'consultation.ics')!).components.find((c) => c.name === 'VEVENT')!;
    expect(prop(moveEvent, 'UID')).toBe(uid);
    expect(prop(moveEvent, 'DTSTART')).toBe('20261118T220000Z');
    expect(prop(moveEvent, 'STATUS')).toBe('CONFIRMED');
    sink.received.length = 0;

    // A status change that is neither a move nor a cancellation sends nothing.
    expect((await call('PATCH', `/api/appointments/${appt.id}`, fd, { status: 'confirmed' })).statusCode).toBe(200);
    await t.deps.outbox.runOnce();
    expect(sink.received.filter((m) => m.to.includes('robin.visitor@example.com'))).toHaveLength(0);

    const cancelled = await call('PATCH', `/api/appointments/${appt.id}`, fd, { status: 'cancelled', cancelReason: 'Clinician unwell' });
    expect(cancelled.statusCode).toBe(200);
    await t.deps.outbox.runOnce();
    const cancelMail = sink.received.find((m) => m.to.includes('robin.visitor@example.com'));
    expect(cancelMail).toBeDefined();
    const cancelText = textBodyOf(cancelMail!.raw);
    expect(cancelText).toContain('cancelled');
    expect(cancelText).not.toContain('unwell');
    const cancelIcs = parseIcs(attachmentNamed(cancelMail!.raw, 'consultation.ics')!);
    expect(prop(cancelIcs.components.find((c) => c.name === 'VCALENDAR')!, 'METHOD')).toBe('CANCEL');
    const cancelEvent = cancelIcs.components.find((c) => c.name === 'VEVENT')!;
    expect(prop(cancelEvent, 'UID')).toBe(uid);
    expect(prop(cancelEvent, 'STATUS')).toBe('CANCELLED');
    expect(prop(cancelEvent, 'DTSTART')).toBe('20261118T220000Z');
  });
});
