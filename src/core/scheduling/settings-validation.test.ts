import { describe, expect, it } from 'vitest';
import { dayNumberOrNull, validateAppointmentType, validateBookingPolicy, validateDateRange, validateWeeklyRules } from './settings-validation';

const r = (weekday: number, startTime: string, endTime: string, extra: Record<string, string | null> = {}) => ({ weekday, startTime, endTime, ...extra });

describe('validateWeeklyRules', () => {
  it('accepts touching windows, different weekdays and disjoint effective ranges', () => {
    expect(validateWeeklyRules([r(1, '09:00', '12:00'), r(1, '12:00', '17:00'), r(2, '09:00', '17:00')])).toBeNull();
    expect(
      validateWeeklyRules([
        r(1, '09:00', '17:00', { effectiveUntil: '2026-12-31' }),
        r(1, '10:00', '14:00', { effectiveFrom: '2027-01-01' }),
      ]),
    ).toBeNull();
    expect(validateWeeklyRules([r(7, '00:00', '24:00')])).toBeNull();
    expect(validateWeeklyRules([])).toBeNull();
  });
  it('names the field of each malformed rule', () => {
    expect(validateWeeklyRules([r(0, '09:00', '10:00')])?.field).toBe('rules[0].weekday');
    expect(validateWeeklyRules([r(8, '09:00', '10:00')])?.field).toBe('rules[0].weekday');
    expect(validateWeeklyRules([r(1, '9am', '10:00')])?.field).toBe('rules[0].startTime');
    expect(validateWeeklyRules([r(1, '24:00', '24:00')])?.field).toBe('rules[0].startTime');
    expect(validateWeeklyRules([r(1, '09:00', '25:00')])?.field).toBe('rules[0].endTime');
    expect(validateWeeklyRules([r(1, '09:00', '24:01')])?.field).toBe('rules[0].endTime');
    expect(validateWeeklyRules([r(1, '10:00', '09:00')])).toMatchObject({ field: 'rules[0].endTime', message: expect.stringContaining('after') });
    expect(validateWeeklyRules([r(1, '10:00', '10:00')])?.field).toBe('rules[0].endTime');
    expect(validateWeeklyRules([r(1, '09:00', '10:00', { effectiveFrom: '2026-02-30' })])?.field).toBe('rules[0].effectiveFrom');
    expect(validateWeeklyRules([r(1, '09:00', '10:00', { effectiveUntil: 'soon' })])?.field).toBe('rules[0].effectiveUntil');
    expect(
      validateWeeklyRules([r(1, '09:00', '10:00', { effectiveFrom: '2026-12-02', effectiveUntil: '2026-12-01' })])?.field,
    ).toBe('rules[0].effectiveUntil');
  });
  it('refuses overlapping rules of the same weekday whose dates overlap, naming the later one', () => {
    const p = validateWeeklyRules([r(2, '09:00', '17:00'), r(3, '09:00', '17:00'), r(2, '16:59', '18:00')]);
    expect(p).toMatchObject({ field: 'rules[2].startTime', message: expect.stringContaining('overlaps rule 1') });
    expect(
      validateWeeklyRules([
        r(1, '09:00', '17:00', { effectiveUntil: '2027-01-01' }),
        r(1, '10:00', '14:00', { effectiveFrom: '2027-01-01' }),
      ])?.field,
    ).toBe('rules[1].startTime');
    expect(validateWeeklyRules([r(1, '08:00', '20:00'), r(1, '10:00', '11:00')])?.field).toBe('rules[1].startTime');
  });
});

describe('dates, types and policy', () => {
  it('checks real calendar dates', () => {
    expect(dayNumberOrNull('2026-03-08')).toBe(Date.UTC(2026, 2, 8) / 86_400_000);
    expect(dayNumberOrNull('2028-02-29')).not.toBeNull();
    expect(dayNumberOrNull('2027-02-29')).toBeNull();
    expect(dayNumberOrNull('2026-13-01')).toBeNull();
    expect(dayNumberOrNull('26-01-01')).toBeNull();
  });
  it('validates date ranges', () => {
    expect(validateDateRange('2026-12-01', '2026-12-01')).toBeNull();
    expect(validateDateRange('2026-12-02', '2026-12-01')?.field).toBe('toDate');
    expect(validateDateRange('2026-02-31', '2026-03-01')?.field).toBe('fromDate');
    expect(validateDateRange('2026-01-01', '2027-01-02')?.field).toBe('toDate');
    expect(validateDateRange('2026-01-01', '2026-12-31')).toBeNull();
  });
  it('validates appointment types at their boundaries', () => {
    const ok = { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, slotStepMinutes: 30, requiredResources: ['clinician', 'room'] };
    expect(validateAppointmentType(ok)).toBeNull();
    expect(validateAppointmentType({ ...ok, durationMinutes: 4 })?.field).toBe('durationMinutes');
    expect(validateAppointmentType({ ...ok, durationMinutes: 720 })).toBeNull();
    expect(validateAppointmentType({ ...ok, durationMinutes: 721 })?.field).toBe('durationMinutes');
    expect(validateAppointmentType({ ...ok, bufferBeforeMinutes: -1 })?.field).toBe('bufferBeforeMinutes');
    expect(validateAppointmentType({ ...ok, bufferAfterMinutes: 241 })?.field).toBe('bufferAfterMinutes');
    expect(validateAppointmentType({ ...ok, slotStepMinutes: 4 })?.field).toBe('slotStepMinutes');
    expect(validateAppointmentType({ ...ok, requiredResources: ['room', 'clinician'] })?.field).toBe('requiredResources');
    expect(validateAppointmentType({ ...ok, requiredResources: ['clinician', 'room', 'chair'] })?.field).toBe('requiredResources');
    expect(validateAppointmentType({ ...ok, requiredResources: ['clinician', 'nurse', 'nurse'] })?.field).toBe('requiredResources');
    expect(validateAppointmentType({ ...ok, requiredResources: ['clinician', 'bed'] })?.field).toBe('requiredResources');
  });
  it('validates the booking policy', () => {
    expect(validateBookingPolicy({ horizonDays: 60, minNoticeMinutes: 120 })).toBeNull();
    expect(validateBookingPolicy({ horizonDays: 0, minNoticeMinutes: 0 })?.field).toBe('horizonDays');
    expect(validateBookingPolicy({ horizonDays: 366, minNoticeMinutes: 0 })?.field).toBe('horizonDays');
    expect(validateBookingPolicy({ horizonDays: 365, minNoticeMinutes: 43200 })).toBeNull();
    expect(validateBookingPolicy({ horizonDays: 30, minNoticeMinutes: 43201 })?.field).toBe('minNoticeMinutes');
    expect(validateBookingPolicy({ horizonDays: 30, minNoticeMinutes: -1 })?.field).toBe('minNoticeMinutes');
  });
});
