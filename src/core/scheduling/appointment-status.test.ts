import { describe, expect, it } from 'vitest';
import {
  APPOINTMENT_STATUS_VALUES,
  allowedNextStatuses,
  canTransitionAppointment,
  isFinalAppointmentStatus,
  isMovableAppointmentStatus,
} from './appointment-status';

describe('appointment status lifecycle', () => {
  it('follows the visit: booked → confirmed → checked in → in progress → completed', () => {
    expect(canTransitionAppointment('booked', 'confirmed')).toBe(true);
    expect(canTransitionAppointment('confirmed', 'checked_in')).toBe(true);
    expect(canTransitionAppointment('checked_in', 'in_progress')).toBe(true);
    expect(canTransitionAppointment('in_progress', 'completed')).toBe(true);
  });
  it('allows cancelling or a no-show before the session starts, not after', () => {
    for (const from of ['booked', 'confirmed', 'checked_in'] as const) {
      expect(canTransitionAppointment(from, 'cancelled')).toBe(true);
      expect(canTransitionAppointment(from, 'no_show')).toBe(true);
    }
    expect(canTransitionAppointment('in_progress', 'cancelled')).toBe(false);
    expect(canTransitionAppointment('in_progress', 'no_show')).toBe(false);
  });
  it('never skips straight to completed or in progress from booked', () => {
    expect(canTransitionAppointment('booked', 'completed')).toBe(false);
    expect(canTransitionAppointment('booked', 'in_progress')).toBe(false);
  });
  it('treats completed, cancelled and no-show as final', () => {
    for (const s of APPOINTMENT_STATUS_VALUES) {
      const final = isFinalAppointmentStatus(s);
      expect(final).toBe(['completed', 'cancelled', 'no_show'].includes(s));
      if (final) for (const t of APPOINTMENT_STATUS_VALUES) expect(canTransitionAppointment(s, t)).toBe(false);
    }
  });
  it('a status is never a transition to itself', () => {
    for (const s of APPOINTMENT_STATUS_VALUES) expect(allowedNextStatuses(s)).not.toContain(s);
  });
  it('only booked and confirmed appointments can be moved', () => {
    expect(APPOINTMENT_STATUS_VALUES.filter(isMovableAppointmentStatus)).toEqual(['booked', 'confirmed']);
  });
});
