/**
 * Appointment status lifecycle. An appointment is booked, may be confirmed, the patient
 * checks in, the session runs and completes; at any point before it starts it may be
 * cancelled (with a reason) or marked a no-show. Completed, cancelled and no-show are
 * final: a corrected mistake is a new appointment, so the history stays true.
 */
export const APPOINTMENT_STATUS_VALUES = ['booked', 'confirmed', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatusValue = (typeof APPOINTMENT_STATUS_VALUES)[number];

const NEXT: Record<AppointmentStatusValue, readonly AppointmentStatusValue[]> = {
  booked: ['confirmed', 'checked_in', 'cancelled', 'no_show'],
  confirmed: ['booked', 'checked_in', 'cancelled', 'no_show'],
  checked_in: ['in_progress', 'cancelled', 'no_show', 'confirmed'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
  no_show: [],
};

/** Whether `from → to` is allowed (staying in the same status is not a transition). */
export function canTransitionAppointment(from: AppointmentStatusValue, to: AppointmentStatusValue): boolean {
  return NEXT[from].includes(to);
}

export function allowedNextStatuses(from: AppointmentStatusValue): readonly AppointmentStatusValue[] {
  return NEXT[from];
}

/** Final statuses: the appointment can no longer be moved or changed. */
export function isFinalAppointmentStatus(status: AppointmentStatusValue): boolean {
  return NEXT[status].length === 0;
}

/** Whether the appointment can still be moved to another time, person or room. */
export function isMovableAppointmentStatus(status: AppointmentStatusValue): boolean {
  return status === 'booked' || status === 'confirmed';
}
