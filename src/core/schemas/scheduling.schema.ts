import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { IsoDate, IsoInstant, Uuid } from './common.schema';

/*
 * Scheduling payloads: availability, appointments, the public free-consultation booking
 * and its manage link, the staff consultation inbox, patient invitations, calendar feeds.
 * Instants in responses carry the clinic's offset ("2026-12-01T09:00:00-08:00"); instants
 * in requests must carry an offset or Z.
 */

export const APPOINTMENT_KINDS = ['consultation', 'intake', 'preparation', 'dosing', 'integration', 'group'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const CONSULTATION_STATUSES = ['new', 'contacted', 'scheduled', 'converted', 'declined'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];
export const CONTACT_PREFERENCES = ['email', 'phone', 'text'] as const;

export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  consultation: 'Free consultation',
  intake: 'Intake',
  preparation: 'Preparation',
  dosing: 'Dosing session',
  integration: 'Integration',
  group: 'Group session',
};
export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};
export const CONSULTATION_STATUS_LABELS: Record<ConsultationStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  scheduled: 'Scheduled',
  converted: 'Converted to patient',
  declined: 'Declined',
};

const literalUnion = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;
export const AppointmentKindSchema = literalUnion(APPOINTMENT_KINDS);
export const AppointmentStatusSchema = literalUnion(APPOINTMENT_STATUSES);
export const ConsultationStatusSchema = literalUnion(CONSULTATION_STATUSES);
/** An instant as sent by a client: ISO 8601 with an offset or Z (checked again by the service). */
export const InstantWithOffset = Type.String({ minLength: 16, maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T.*(Z|[+-]\\d{2}:?\\d{2})$' });

export const Slot = Type.Object({ start: Type.String(), end: Type.String(), clinicianId: Type.String() });
export type Slot = Static<typeof Slot>;

export const AvailabilityQuery = Type.Object(
  {
    /** An appointment type id, or a kind (the clinic's active type of that kind). */
    appointmentType: Type.String({ minLength: 1, maxLength: 40 }),
    clinicianId: Type.Optional(Uuid),
    from: InstantWithOffset,
    to: InstantWithOffset,
  },
  { additionalProperties: false },
);
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const AvailabilityResponse = Type.Object({
  timeZone: Type.String(),
  appointmentType: Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String(), durationMinutes: Type.Integer() }),
  slots: Type.Array(Slot),
});
export type AvailabilityResponse = Static<typeof AvailabilityResponse>;

export const PublicAvailabilityQuery = Type.Object(
  {
    clinicianId: Type.Optional(Uuid),
    organizationId: Type.Optional(Uuid),
    from: Type.Optional(InstantWithOffset),
    to: Type.Optional(InstantWithOffset),
  },
  { additionalProperties: false },
);
export type PublicAvailabilityQuery = Static<typeof PublicAvailabilityQuery>;

export const PublicClinician = Type.Object({ id: Type.String(), displayName: Type.String() });
export const PublicAvailabilityResponse = Type.Object({
  clinic: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
  clinicians: Type.Array(PublicClinician),
  durationMinutes: Type.Integer(),
  slots: Type.Array(Slot),
});
export type PublicAvailabilityResponse = Static<typeof PublicAvailabilityResponse>;

export const BookConsultationBody = Type.Object(
  {
    clinicianId: Uuid,
    start: InstantWithOffset,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: Type.String({ pattern: '^[+0-9 ()./-]{7,25}$' }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    contactPreference: literalUnion(CONTACT_PREFERENCES),
    consentToContact: Type.Boolean(),
    /** The visitor's IANA zone, so the confirmation shows their own time too. */
    visitorTimeZone: Type.Optional(Type.String({ maxLength: 64 })),
    /** Honeypot: hidden from people and screen readers; must stay empty. */
    website: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BookConsultationBody = Static<typeof BookConsultationBody>;

export const BookedConsultation = Type.Object({
  id: Type.String(),
  status: Type.String(),
  start: Type.String(),
  end: Type.String(),
  clinicianName: Type.String(),
  clinic: Type.Object({ name: Type.String(), timeZone: Type.String() }),
  email: Type.String(),
});
export type BookedConsultation = Static<typeof BookedConsultation>;

export const SlotTakenBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
  /** Present when the slot was taken: the next open ones, to choose again at once. */
  nextSlots: Type.Optional(Type.Array(Slot)),
});
export type SlotTakenBody = Static<typeof SlotTakenBody>;

export const ManageTokenQuery = Type.Object({ token: Type.String({ minLength: 10, maxLength: 300 }) }, { additionalProperties: false });
export const ManagedBooking = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.String(),
  appointmentStatus: Type.Union([Type.String(), Type.Null()]),
  start: Type.Union([Type.String(), Type.Null()]),
  end: Type.Union([Type.String(), Type.Null()]),
  clinicianId: Type.String(),
  clinicianName: Type.String(),
  clinic: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
  canChange: Type.Boolean(),
});
export type ManagedBooking = Static<typeof ManagedBooking>;
export const ManageCancelBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 300 }), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const ManageRescheduleBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 300 }), start: InstantWithOffset },
  { additionalProperties: false },
);

// ---- appointments ----

export const Appointment = Type.Object({
  id: Type.String(),
  kind: AppointmentKindSchema,
  status: AppointmentStatusSchema,
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  start: Type.String(),
  end: Type.String(),
  bufferBeforeMinutes: Type.Integer(),
  bufferAfterMinutes: Type.Integer(),
  clinicianId: Type.String(),
  clinicianName: Type.String(),
  roomId: Type.Union([Type.String(), Type.Null()]),
  roomName: Type.Union([Type.String(), Type.Null()]),
  nurseId: Type.Union([Type.String(), Type.Null()]),
  patientId: Type.Union([Type.String(), Type.Null()]),
  /** Null when the caller may not see who it is (a clinician outside the care team): "Busy". */
  patientName: Type.Union([Type.String(), Type.Null()]),
  consultationRequestId: Type.Union([Type.String(), Type.Null()]),
  /** For consultations: the visitor's name (staff only). */
  visitorName: Type.Union([Type.String(), Type.Null()]),
  appointmentTypeId: Type.Union([Type.String(), Type.Null()]),
});
export type Appointment = Static<typeof Appointment>;

export const AppointmentListQuery = Type.Object(
  {
    from: InstantWithOffset,
    to: InstantWithOffset,
    clinicianId: Type.Optional(Uuid),
    roomId: Type.Optional(Uuid),
    patientId: Type.Optional(Uuid),
    includeCancelled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AppointmentListQuery = Static<typeof AppointmentListQuery>;
export const AppointmentList = Type.Object({ timeZone: Type.String(), items: Type.Array(Appointment) });
export type AppointmentList = Static<typeof AppointmentList>;

export const CreateAppointmentBody = Type.Object(
  {
    appointmentTypeId: Uuid,
    patientId: Uuid,
    clinicianId: Uuid,
    roomId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    nurseId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    start: InstantWithOffset,
  },
  { additionalProperties: false },
);
export type CreateAppointmentBody = Static<typeof CreateAppointmentBody>;

export const UpdateAppointmentBody = Type.Object(
  {
    start: Type.Optional(InstantWithOffset),
    clinicianId: Type.Optional(Uuid),
    roomId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    nurseId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    status: Type.Optional(AppointmentStatusSchema),
    cancelReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAppointmentBody = Static<typeof UpdateAppointmentBody>;

export const SchedulingSetup = Type.Object({
  timeZone: Type.String(),
  appointmentTypes: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: AppointmentKindSchema,
      name: Type.String(),
      durationMinutes: Type.Integer(),
      bufferBeforeMinutes: Type.Integer(),
      bufferAfterMinutes: Type.Integer(),
      slotStepMinutes: Type.Integer(),
      requiredResources: Type.Array(Type.String()),
      publicBookable: Type.Boolean(),
    }),
  ),
  rooms: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String() })),
  clinicians: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), role: Type.String() })),
  policy: Type.Object({ horizonDays: Type.Integer(), minNoticeMinutes: Type.Integer() }),
});
export type SchedulingSetup = Static<typeof SchedulingSetup>;

// ---- consultation inbox ----

export const ConsultationNote = Type.Object({
  id: Type.String(),
  authorName: Type.String(),
  body: Type.String(),
  createdAt: IsoInstant,
});
export const ConsultationRequest = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  reason: Type.String(),
  contactPreference: Type.String(),
  consentToContact: Type.Boolean(),
  status: ConsultationStatusSchema,
  clinicianId: Type.String(),
  clinicianName: Type.String(),
  visitorTimeZone: Type.Union([Type.String(), Type.Null()]),
  patientId: Type.Union([Type.String(), Type.Null()]),
  appointment: Type.Union([
    Type.Object({ id: Type.String(), start: Type.String(), end: Type.String(), status: Type.String() }),
    Type.Null(),
  ]),
  notes: Type.Array(ConsultationNote),
  createdAt: IsoInstant,
});
export type ConsultationRequest = Static<typeof ConsultationRequest>;
export const ConsultationListQuery = Type.Object(
  {
    status: Type.Optional(ConsultationStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type ConsultationListQuery = Static<typeof ConsultationListQuery>;
export const ConsultationList = Type.Object({ items: Type.Array(ConsultationRequest), total: Type.Integer() });
export const UpdateConsultationBody = Type.Object({ status: ConsultationStatusSchema }, { additionalProperties: false });
export const ConsultationNoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });

export const ConvertConsultationBody = Type.Object(
  {
    legalGivenName: Type.String({ minLength: 1, maxLength: 100 }),
    legalFamilyName: Type.String({ minLength: 1, maxLength: 100 }),
    dateOfBirth: IsoDate,
    careTeamUserIds: Type.Array(Uuid, { maxItems: 20, uniqueItems: true }),
    /** Set after a 409 to link the request to the existing record instead of creating one. */
    useExistingPatientId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ConvertConsultationBody = Static<typeof ConvertConsultationBody>;
export const ConvertResult = Type.Object({
  patientId: Type.String(),
  created: Type.Boolean(),
  invitationSentTo: Type.Union([Type.String(), Type.Null()]),
});
export const DuplicatePatientBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
  /** Present when the conflict is a likely duplicate: the record to link instead. */
  existingPatient: Type.Optional(
    Type.Object({
      id: Type.String(),
      legalGivenName: Type.String(),
      legalFamilyName: Type.String(),
      dateOfBirth: Type.String(),
    }),
  ),
});

// ---- invitations ----

export const InvitationTokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 300 }) }, { additionalProperties: false });
export const InvitationInfo = Type.Object({
  email: Type.String(),
  givenName: Type.String(),
  clinicName: Type.String(),
  expiresAt: IsoInstant,
});
export const AcceptInvitationBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 300 }), password: Type.String({ minLength: 12, maxLength: 200 }) },
  { additionalProperties: false },
);
export const AcceptedInvitation = Type.Object({ email: Type.String() });

// ---- calendar feed ----

export const CalendarFeedStatus = Type.Object({
  active: Type.Boolean(),
  createdAt: Type.Union([IsoInstant, Type.Null()]),
  /** Only in the answer that creates it: the token is stored hashed and cannot be shown again. */
  url: Type.Optional(Type.String()),
});
export type CalendarFeedStatus = Static<typeof CalendarFeedStatus>;
