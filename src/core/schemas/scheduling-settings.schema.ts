import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.schema';
import { AppointmentKindSchema } from './scheduling.schema';

/*
 * Editing scheduling settings: weekly hours and time off per resource (clinician, nurse,
 * room, chair), rooms and chairs, appointment types, clinic holidays, booking policy.
 * Times of day are the clinic's wall clock ("HH:mm"); dates are local dates "YYYY-MM-DD"
 * in the clinic's zone. Semantic checks (end after start, overlaps, real dates) are made
 * by src/core/scheduling/settings-validation.ts and answered as 400 naming the field.
 */

export const RESOURCE_KIND_VALUES = ['clinician', 'nurse', 'room', 'chair'] as const;
export const ResourceKindSchema = Type.Union(RESOURCE_KIND_VALUES.map((k) => Type.Literal(k)));
export type SettingsResourceKind = (typeof RESOURCE_KIND_VALUES)[number];

const LocalDateText = Type.String({ maxLength: 10, description: 'YYYY-MM-DD in the clinic zone' });
const LocalTimeText = Type.String({ maxLength: 5, description: 'HH:mm (24:00 allowed as an end)' });

export const ResourceParams = Type.Object({ kind: ResourceKindSchema, id: Uuid }, { additionalProperties: false });
export type ResourceParams = Static<typeof ResourceParams>;

export const WeeklyRule = Type.Object(
  {
    weekday: Type.Integer({ description: '1 = Monday … 7 = Sunday' }),
    startTime: LocalTimeText,
    endTime: LocalTimeText,
    effectiveFrom: Type.Optional(Type.Union([LocalDateText, Type.Null()])),
    effectiveUntil: Type.Optional(Type.Union([LocalDateText, Type.Null()])),
    /** Appointment kinds this window is for; null or absent = any kind. */
    appointmentKinds: Type.Optional(Type.Union([Type.Array(AppointmentKindSchema, { minItems: 1, maxItems: 6 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type WeeklyRule = Static<typeof WeeklyRule>;

/** The complete weekly rule set of one resource; replaces the previous one. */
export const WeeklyRulesBody = Type.Object({ rules: Type.Array(WeeklyRule, { maxItems: 70 }) }, { additionalProperties: false });
export type WeeklyRulesBody = Static<typeof WeeklyRulesBody>;

export const TimeOffBody = Type.Object(
  {
    /** Whole local days fromDate … toDate (inclusive) … */
    fromDate: LocalDateText,
    toDate: LocalDateText,
    /** … or, when both are given, only startTime … endTime of those days' span (first day start, last day end). */
    startTime: Type.Optional(LocalTimeText),
    endTime: Type.Optional(LocalTimeText),
    label: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type TimeOffBody = Static<typeof TimeOffBody>;

export const TimeOffItem = Type.Object({
  id: Type.String(),
  start: Type.String(),
  end: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
});

export const ResourceAvailability = Type.Object({
  timeZone: Type.String(),
  resource: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
  canEdit: Type.Boolean(),
  rules: Type.Array(
    Type.Object({
      weekday: Type.Integer(),
      startTime: Type.String(),
      endTime: Type.String(),
      effectiveFrom: Type.Union([Type.String(), Type.Null()]),
      effectiveUntil: Type.Union([Type.String(), Type.Null()]),
      appointmentKinds: Type.Union([Type.Array(Type.String()), Type.Null()]),
    }),
  ),
  timeOff: Type.Array(TimeOffItem),
});
export type ResourceAvailability = Static<typeof ResourceAvailability>;

export const RoomBody = Type.Object(
  { kind: Type.Union([Type.Literal('room'), Type.Literal('chair')]), name: Type.String({ minLength: 1, maxLength: 80 }) },
  { additionalProperties: false },
);
export const RoomPatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type RoomBody = Static<typeof RoomBody>;
export type RoomPatchBody = Static<typeof RoomPatchBody>;

const typeFields = {
  name: Type.String({ minLength: 1, maxLength: 80 }),
  durationMinutes: Type.Integer(),
  bufferBeforeMinutes: Type.Integer(),
  bufferAfterMinutes: Type.Integer(),
  slotStepMinutes: Type.Integer(),
  requiredResources: Type.Array(ResourceKindSchema, { minItems: 1, maxItems: 4 }),
  publicBookable: Type.Boolean(),
};
export const AppointmentTypeBody = Type.Object({ kind: AppointmentKindSchema, ...typeFields }, { additionalProperties: false });
export const AppointmentTypePatchBody = Type.Partial(Type.Object({ ...typeFields, active: Type.Boolean() }), {
  additionalProperties: false,
  minProperties: 1,
});
export type AppointmentTypeBody = Static<typeof AppointmentTypeBody>;
export type AppointmentTypePatchBody = Static<typeof AppointmentTypePatchBody>;

export const HolidayBody = Type.Object({ date: LocalDateText, name: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false });
export type HolidayBody = Static<typeof HolidayBody>;

export const BookingPolicyBody = Type.Object({ horizonDays: Type.Integer(), minNoticeMinutes: Type.Integer() }, { additionalProperties: false });
export type BookingPolicyBody = Static<typeof BookingPolicyBody>;

export const SchedulingSettings = Type.Object({
  timeZone: Type.String(),
  canEdit: Type.Boolean(),
  rooms: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String(), active: Type.Boolean() })),
  appointmentTypes: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      name: Type.String(),
      durationMinutes: Type.Integer(),
      bufferBeforeMinutes: Type.Integer(),
      bufferAfterMinutes: Type.Integer(),
      slotStepMinutes: Type.Integer(),
      requiredResources: Type.Array(Type.String()),
      publicBookable: Type.Boolean(),
      active: Type.Boolean(),
    }),
  ),
  holidays: Type.Array(Type.Object({ id: Type.String(), date: Type.String(), name: Type.String() })),
  policy: Type.Object({ horizonDays: Type.Integer(), minNoticeMinutes: Type.Integer() }),
  staff: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), role: Type.String() })),
});
export type SchedulingSettings = Static<typeof SchedulingSettings>;
