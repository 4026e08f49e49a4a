import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentNamed, parseIcs, prop, textBodyOf } from '../../../../test/helpers/ics-and-mime';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink';
import {
  createClinicWorld,
  createTestApp,
  errorOf,
  signIn,
  type TestContext,
} from '../../../../test/helpers/test-app';
import { ALL_DAYS, addRule, createAppointmentType, setPolicy } from './scheduling.test-world';

/*
 * Public free-consultation booking through HTTP on a real database (SQLite, or
 * PostgreSQL with TEST_DATABASE=postgres): DST days, the double-booking race, bad input,
 * the rate limit, confirmation mail with a valid .ics over real SMTP, the signed manage
 * link, the staff inbox, convert-to-patient and the invitation.
 */

let t: TestContext;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof createClinicWorld>>;
let ipCounter = 0;
const nextIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

const VISITOR = {
  name: 'Jordan Visitor',
  email: 'jordan.visitor@example.com',
  phone: '+1 213 555 0190',
  reason: 'Treatment-resistant depression; curious about KAP',
  contactPreference: 'email',
  consentToContact: true,
  visitorTimeZone: 'America/New_York',
};

function book(payload: Record<string, unknown>, ip = nextIp()) {
  return t.app.inject({ method: 'POST', url: '/api/consultations', payload, remoteAddress: ip });
}

async function counts() {
  const a = await t.db.selectFrom('appointments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await t.db.selectFrom('consultation_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { appointments: Number(a.n), requests: Number(r.n) };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://clinic.example' });
  world = await createClinicWorld(t.db);
  await createAppointmentType(t.db, world.org.id, { kind: 'consultation', duration: 60, after: 0, step: 60, publicBookable: true });
  // Every day 09:00–17:00 for consultations; plus a night window on Sundays for DST tests.
  await addRule(t.db, world.org.id, 'clinician', world.users.therapistA.id, ALL_DAYS, '09:00', '17:00', ['consultation']);
  await addRule(t.db, world.org.id, 'clinician', world.users.therapistA.id, [7], '00:00', '05:00', ['consultation']);
  await setPolicy(t.db, world.org.id, 400, 0);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

describe('public consultation availability across DST (America/Los_Angeles)', () => {
  const day = async (date: string, fromOffset: string, toOffset: string, clinicianId = world.users.therapistA.id) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/consultations/availability?clinicianId=${clinicianId}&from=${encodeURIComponent(`${date}T00:00:00${fromOffset}`)}&to=${encodeURIComponent(`${date}T23:59:00${toOffset}`)}`,
    });
    expect(res.statusCode).toBe(200);
    return (res.json() as { slots: { start: string; end: string }[] }).slots.filter((s) => s.start.startsWith(date)).map((s) => s.start);
  };

  it('spring-forward day 2026-03-08: the night window yields only the hours that exist, days in PDT', async () => {
    t.clock.now = new Date('2026-03-01T12:00:00.000Z');
    expect(await day('2026-03-08', '-08:00', '-07:00')).toEqual([
      '2026-03-08T00:00:00-08:00',
      '2026-03-08T01:00:00-08:00',
      '2026-03-08T03:00:00-07:00',
      '2026-03-08T04:00:00-07:00',
      '2026-03-08T09:00:00-07:00',
      '2026-03-08T10:00:00-07:00',
      '2026-03-08T11:00:00-07:00',
      '2026-03-08T12:00:00-07:00',
      '2026-03-08T13:00:00-07:00',
      '2026-03-08T14:00:00-07:00',
      '2026-03-08T15:00:00-07:00',
      '2026-03-08T16:00:00-07:00',
    ]);
  });

  it('fall-back day 2026-11-01: 01:00 happens twice and both are offered, days in PST', async () => {
    t.clock.now = new Date('2026-10-25T12:00:00.000Z');
    const slots = await day('2026-11-01', '-07:00', '-08:00');
    expect(slots.slice(0, 6)).toEqual([
      '2026-11-01T00:00:00-07:00',
      '2026-11-01T01:00:00-07:00',
      '2026-11-01T01:00:00-08:00',
      '2026-11-01T02:00:00-08:00',
      '2026-11-01T03:00:00-08:00',
      '2026-11-01T04:00:00-08:00',
    ]);
    expect(slots.slice(6)).toEqual([9, 10, 11, 12, 13, 14, 15, 16].map((h) => `2026-11-01T${String(h).padStart(2, '0')}:00:00-08:00`));
  });

  it('a visitor can book the second 01:00 on fall-back day, and it is then gone', async () => {
    t.clock.now = new Date('2026-10-25T12:00:00.000Z');
    const res = await book({ ...VISITOR, clinicianId: world.users.therapistA.id, start: '2026-11-01T01:00:00-08:00' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ start: '2026-11-01T01:00:00-08:00', end: '2026-11-01T02:00:00-08:00' });
    const slots = await day('2026-11-01', '-07:00', '-08:00');
    expect(slots).toContain('2026-11-01T01:00:00-07:00');
    expect(slots).not.toContain('2026-11-01T01:00:00-08:00');
    const row = await t.db.selectFrom('appointments').select(['start_at']).where('start_at', '=', '2026-11-01T09:00:00.000Z').executeTakeFirst();
    expect(row).toBeDefined();
  });

  it('staff availability gives the same instants with the clinic offset', async () => {
    t.clock.now = new Date('2026-03-01T12:00:00.000Z');
    const s = await signIn(t.app, world.users.frontDesk.email);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/availability?appointmentType=consultation&clinicianId=${world.users.therapistA.id}&from=${encodeURIComponent('2026-03-08T00:00:00-08:00')}&to=${encodeURIComponent('2026-03-08T06:00:00-07:00')}`,
      headers: s.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { timeZone: string; slots: { start: string; end: string }[] };
    expect(body.timeZone).toBe('America/Los_Angeles');
    expect(body.slots.map((x) => `${x.start}/${x.end}`)).toEqual([
      '2026-03-08T00:00:00-08:00/2026-03-08T01:00:00-08:00',
      '2026-03-08T01:00:00-08:00/2026-03-08T03:00:00-07:00',
      '2026-03-08T03:00:00-07:00/2026-03-08T04:00:00-07:00',
      '2026-03-08T04:00:00-07:00/2026-03-08T05:00:00-07:00',
    ]);
  });
});

describe('double booking', () => {
  it('of eight visitors racing for one slot exactly one gets it; the others get 409 with the next slots', async () => {
    t.clock.now = new Date('2026-11-26T18:00:00.000Z');
    const start = '2026-12-02T10:00:00-08:00';
    const before = await counts();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => book({ ...VISITOR, email: `racer${i}@example.com`, clinicianId: world.users.therapistA.id, start })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      const body = r.json() as { error: { code: string; field: string }; nextSlots: { start: string }[] };
      expect(body.error).toMatchObject({ code: 'conflict', field: 'start' });
      expect(body.nextSlots.length).toBeGreaterThan(0);
      expect(body.nextSlots.map((s) => s.start)).not.toContain(start);
      expect(body.nextSlots[0]!.start).toBe('2026-12-02T11:00:00-08:00');
    }
    const after = await counts();
    expect(after.appointments - before.appointments).toBe(1);
    expect(after.requests - before.requests).toBe(1);
    const held = await t.db.selectFrom('appointments').select('id').where('start_at', '=', '2026-12-02T18:00:00.000Z').where('status', '!=', 'cancelled').execute();
    expect(held).toHaveLength(1);
  });
});

describe('bad input books nothing and names the field', () => {
  const valid = () => ({ ...VISITOR, clinicianId: world.users.therapistA.id, start: '2026-12-03T09:00:00-08:00' });
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing email', { email: undefined }, 'email'],
    ['malformed email', { email: 'not-an-email' }, 'email'],
    ['email without a dotted domain', { email: 'someone@localhost' }, 'email'],
    ['overlong name', { name: 'x'.repeat(121) }, 'name'],
    ['blank name', { name: '   ' }, 'name'],
    ['overlong reason', { reason: 'x'.repeat(2001) }, 'reason'],
    ['phone with letters', { phone: 'call me maybe' }, 'phone'],
    ['no consent to contact', { consentToContact: false }, 'consentToContact'],
    ['honeypot filled by a bot', { website: 'http://spam.example' }, 'website'],
    ['start without an offset', { start: '2026-12-03T09:00:00' }, 'start'],
    ['unknown contact preference', { contactPreference: 'pigeon' }, 'contactPreference'],
    ['unknown clinician', { clinicianId: '00000000-0000-4000-8000-000000000000' }, 'clinicianId'],
    ['a clinician of a clinic without online consultations', { clinicianId: 'FOREIGN' }, 'clinicianId'],
    ['unknown zone', { visitorTimeZone: 'Mars/Olympus' }, 'visitorTimeZone'],
    ['an extra field', { admin: true }, 'admin'],
  ];
  it.each(cases)('%s → 400 naming %s', async (_label, change, field) => {
    const before = await counts();
    const payload: Record<string, unknown> = { ...valid(), ...change };
    if (payload.clinicianId === 'FOREIGN') payload.clinicianId = world.users.foreignTherapist.id;
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete payload[k];
    const res = await book(payload);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe(field);
    expect(await counts()).toEqual(before);
  });

  it('an off-grid or out-of-hours start is refused as taken, with the next slots', async () => {
    const res = await book({ ...valid(), start: '2026-12-03T09:17:00-08:00' });
    expect(res.statusCode).toBe(409);
    expect((res.json() as { nextSlots: unknown[] }).nextSlots.length).toBeGreaterThan(0);
  });
});

describe('rate limit per address (database-backed)', () => {
  it('answers 429 with Retry-After after ten attempts from one address, and lets another address through', async () => {
    const ip = '10.99.0.1';
    for (let i = 0; i < 10; i++) {
      // Off-grid starts: each reaches the service and is refused (409), and each counts.
      const res = await book({ ...VISITOR, clinicianId: world.users.therapistA.id, start: '2026-12-03T09:17:00-08:00', email: `r${i}@example.com` }, ip);
      expect(res.statusCode).toBe(409);
    }
    const limited = await book({ ...VISITOR, clinicianId: world.users.therapistA.id, start: '2026-12-04T09:00:00-08:00' }, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await book({ ...VISITOR, clinicianId: world.users.therapistA.id, start: '2026-12-04T09:00:00-08:00' }, '10.99.0.2');
    expect(other.statusCode).toBe(201);
  });
});

describe('confirmation email, .ics and the signed manage link', () => {
  it('mails the visitor an importable .ics (UTC DTSTART, UID, SUMMARY, no clinical detail) and notifies the clinic', async () => {
    t.clock.now = new Date('2026-11-26T18:00:00.000Z');
    sink.received.length = 0;
    const res = await book({ ...VISITOR, email: 'ics.visitor@example.com', clinicianId: world.users.therapistA.id, start: '2026-12-07T13:00:00-08:00' });
    expect(res.statusCode).toBe(201);
    await t.deps.outbox.runOnce();
    const mine = sink.received.find((m) => m.to.includes('ics.visitor@example.com'));
    expect(mine).toBeDefined();
    const text = textBodyOf(mine!.raw);
    expect(text).toContain('Monday, December 7, 2026 at 1:00 PM PST');
    expect(text).toContain('Monday, December 7, 2026 at 4:00 PM EST');
    const link = /https:\/\/clinic\.example\/consult\/manage\?token=(\S+)/.exec(text);
    expect(link).not.toBeNull();

    const ics = attachmentNamed(mine!.raw, 'consultation.ics');
    expect(ics).toBeDefined();
    const { components } = parseIcs(ics!);
    const cal = components.find((c) => c.name === 'VCALENDAR')!;
    expect(prop(cal, 'VERSION')).toBe('2.0');
    expect(prop(cal, 'PRODID')).toBeTruthy();
    const events = components.filter((c) => c.name === 'VEVENT');
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    expect(prop(ev, 'DTSTART')).toBe('20261207T210000Z');
    expect(prop(ev, 'DTEND')).toBe('20261207T220000Z');
    expect(prop(ev, 'UID')).toMatch(/@threshold$/);
    expect(prop(ev, 'SUMMARY')).toContain('Free consultation');
    expect(ics).not.toMatch(/depression|KAP/i);
    expect(text).not.toMatch(/depression/i);

    const notices = sink.received.filter((m) => m.to[0]!.endsWith('@test.example'));
    expect(notices.map((m) => m.to[0])).toEqual(expect.arrayContaining([world.users.therapistA.email, world.users.frontDesk.email, world.users.admin.email]));
    for (const n of notices) {
      expect(n.raw).not.toMatch(/depression|KAP|555 0190/i);
      expect(textBodyOf(n.raw)).toContain('Jordan V.');
    }

    // The manage link works without an account: reschedule, then cancel.
    const token = decodeURIComponent(link![1]!);
    const view = await t.app.inject({ method: 'GET', url: `/api/consultations/manage?token=${encodeURIComponent(token)}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ start: '2026-12-07T13:00:00-08:00', canChange: true });
    const tampered = await t.app.inject({ method: 'GET', url: `/api/consultations/manage?token=${encodeURIComponent(`${token.slice(0, -2)}xx`)}` });
    expect(tampered.statusCode).toBe(404);

    const moved = await t.app.inject({ method: 'POST', url: '/api/consultations/manage/reschedule', payload: { token, start: '2026-12-08T14:00:00-08:00' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ start: '2026-12-08T14:00:00-08:00' });
    const cancelled = await t.app.inject({ method: 'POST', url: '/api/consultations/manage/cancel', payload: { token, reason: 'found a clinic nearer home' } });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ appointmentStatus: 'cancelled', canChange: false });
    const again = await t.app.inject({ method: 'POST', url: '/api/consultations/manage/cancel', payload: { token } });
    expect(again.statusCode).toBe(409);
    // The slot is open again.
    const reopened = await book({ ...VISITOR, email: 'next@example.com', clinicianId: world.users.therapistA.id, start: '2026-12-08T14:00:00-08:00' });
    expect(reopened.statusCode).toBe(201);
    await t.deps.outbox.runOnce();
    const cancelMail = sink.received.find((m) => m.to.includes('ics.visitor@example.com') && /cancelled/.test(m.raw));
    expect(cancelMail).toBeDefined();
    expect(prop(parseIcs(attachmentNamed(cancelMail!.raw, 'consultation.ics')!).components.find((c) => c.name === 'VEVENT')!, 'STATUS')).toBe('CANCELLED');
  });
});

describe('staff inbox and convert to patient', () => {
  it('filters by status, takes notes and status changes, converts with dedupe, and the invitation creates a portal account once', async () => {
    t.clock.now = new Date('2026-11-26T18:00:00.000Z');
    sink.received.length = 0;
    const booked = await book({ ...VISITOR, name: 'Quinn Convert', email: 'quinn@example.com', clinicianId: world.users.therapistA.id, start: '2026-12-09T10:00:00-08:00' });
    expect(booked.statusCode).toBe(201);
    const requestId = (booked.json() as { id: string }).id;
    const fd = await signIn(t.app, world.users.frontDesk.email);

    const patientTry = await signIn(t.app, world.users.patientA.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/consultations', headers: patientTry.headers })).statusCode).toBe(403);

    const inbox = await t.app.inject({ method: 'GET', url: '/api/consultations?status=new', headers: fd.headers });
    expect(inbox.statusCode).toBe(200);
    const items = (inbox.json() as { items: { id: string; status: string; appointment: { start: string } | null }[] }).items;
    expect(items.every((i) => i.status === 'new')).toBe(true);
    expect(items.find((i) => i.id === requestId)?.appointment?.start).toBe('2026-12-09T10:00:00-08:00');

    const noted = await t.app.inject({ method: 'POST', url: `/api/consultations/${requestId}/notes`, headers: fd.headers, payload: { body: 'Left a voicemail' } });
    expect(noted.statusCode).toBe(201);
    const contacted = await t.app.inject({ method: 'PATCH', url: `/api/consultations/${requestId}`, headers: fd.headers, payload: { status: 'contacted' } });
    expect(contacted.statusCode).toBe(200);
    expect(contacted.json()).toMatchObject({ status: 'contacted', notes: [{ body: 'Left a voicemail' }] });
    const filtered = await t.app.inject({ method: 'GET', url: '/api/consultations?status=new', headers: fd.headers });
    expect((filtered.json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(requestId);
    const badStatus = await t.app.inject({ method: 'PATCH', url: `/api/consultations/${requestId}`, headers: fd.headers, payload: { status: 'converted' } });
    expect(badStatus.statusCode).toBe(400);

    const convertBody = { legalGivenName: 'Quinn', legalFamilyName: 'Convert', dateOfBirth: '1990-03-04', careTeamUserIds: [world.users.therapistA.id, world.users.prescriber.id] };
    const badDob = await t.app.inject({ method: 'POST', url: `/api/consultations/${requestId}/convert`, headers: fd.headers, payload: { ...convertBody, dateOfBirth: '2999-01-01' } });
    expect(badDob.statusCode).toBe(400);
    expect(errorOf(badDob).field).toBe('dateOfBirth');

    const converted = await t.app.inject({ method: 'POST', url: `/api/consultations/${requestId}/convert`, headers: fd.headers, payload: convertBody });
    expect(converted.statusCode).toBe(201);
    const { patientId, created, invitationSentTo } = converted.json() as { patientId: string; created: boolean; invitationSentTo: string };
    expect(created).toBe(true);
    expect(invitationSentTo).toBe('quinn@example.com');
    const team = await t.db.selectFrom('care_team_members').select('user_id').where('patient_id', '=', patientId).execute();
    expect(team.map((r) => r.user_id).sort()).toEqual([world.users.therapistA.id, world.users.prescriber.id].sort());
    const appt = await t.db.selectFrom('appointments').select('patient_id').where('consultation_request_id', '=', requestId).executeTakeFirstOrThrow();
    expect(appt.patient_id).toBe(patientId);
    const twice = await t.app.inject({ method: 'POST', url: `/api/consultations/${requestId}/convert`, headers: fd.headers, payload: convertBody });
    expect(twice.statusCode).toBe(409);

    // Dedupe: a second request with the same email and date of birth offers the existing record.
    const second = await book({ ...VISITOR, name: 'Quinn Convert', email: 'Quinn@Example.com', clinicianId: world.users.therapistA.id, start: '2026-12-10T10:00:00-08:00' });
    const secondId = (second.json() as { id: string }).id;
    const dup = await t.app.inject({ method: 'POST', url: `/api/consultations/${secondId}/convert`, headers: fd.headers, payload: convertBody });
    expect(dup.statusCode).toBe(409);
    expect((dup.json() as { existingPatient: { id: string } }).existingPatient.id).toBe(patientId);
    const linked = await t.app.inject({ method: 'POST', url: `/api/consultations/${secondId}/convert`, headers: fd.headers, payload: { ...convertBody, useExistingPatientId: patientId } });
    expect(linked.statusCode).toBe(201);
    expect(linked.json()).toMatchObject({ patientId, created: false });
    const patients = await t.db.selectFrom('patients').select('id').where('email', '=', 'quinn@example.com').execute();
    expect(patients).toHaveLength(1);

    // The invitation arrives over SMTP; accepting it creates the patient account once.
    await t.deps.outbox.runOnce();
    const invite = sink.received.find((m) => m.to.includes('quinn@example.com') && /portal/.test(m.raw));
    expect(invite).toBeDefined();
    const token = decodeURIComponent(/https:\/\/clinic\.example\/invitation\?token=(\S+)/.exec(textBodyOf(invite!.raw))![1]!);
    const info = await t.app.inject({ method: 'GET', url: `/api/invitations/${encodeURIComponent(token)}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ email: 'quinn@example.com', givenName: 'Quinn' });
    const weak = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(errorOf(weak).field).toBe('password');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, password: 'a long enough passphrase' } });
    expect(accepted.statusCode).toBe(201);
    const user = await t.db.selectFrom('users').select(['role', 'patient_id']).where('email', '=', 'quinn@example.com').executeTakeFirstOrThrow();
    expect(user).toEqual({ role: 'patient', patient_id: patientId });
    const reuse = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, password: 'another long passphrase' } });
    expect(reuse.statusCode).toBe(409);
    const session = await signIn(t.app, 'quinn@example.com', 'a long enough passphrase');
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/appointments?from=${encodeURIComponent('2026-11-26T00:00:00Z')}&to=${encodeURIComponent('2027-01-20T00:00:00Z')}`,
      headers: session.headers,
    });
    expect(mine.statusCode).toBe(200);
    expect((mine.json() as { items: { kind: string; start: string }[] }).items.map((i) => `${i.kind} ${i.start}`)).toEqual([
      'consultation 2026-12-09T10:00:00-08:00',
      'consultation 2026-12-10T10:00:00-08:00',
    ]);
  });

  it('an expired invitation is refused', async () => {
    t.clock.now = new Date('2026-11-26T18:00:00.000Z');
    const booked = await book({ ...VISITOR, name: 'Late Comer', email: 'late@example.com', clinicianId: world.users.therapistA.id, start: '2026-12-11T10:00:00-08:00' });
    const fd = await signIn(t.app, world.users.frontDesk.email);
    sink.received.length = 0;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/consultations/${(booked.json() as { id: string }).id}/convert`,
      headers: fd.headers,
      payload: { legalGivenName: 'Late', legalFamilyName: 'Comer', dateOfBirth: '1980-01-01', careTeamUserIds: [] },
    });
    expect(res.statusCode).toBe(201);
    await t.deps.outbox.runOnce();
    const invite = sink.received.find((m) => m.to.includes('late@example.com') && /portal/.test(m.raw))!;
    const token = decodeURIComponent(/invitation\?token=(\S+)/.exec(textBodyOf(invite.raw))![1]!);
    t.clock.advance(8 * 86_400_000);
    const accepted = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, password: 'a long enough passphrase' } });
    expect(accepted.statusCode).toBe(409);
    expect(await t.db.selectFrom('users').select('id').where('email', '=', 'late@example.com').executeTakeFirst()).toBeUndefined();
  });
});
