import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoInstant } from './common.schema';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Optional = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const PatientFields = {
  legalGivenName: Name,
  legalFamilyName: Name,
  preferredName: Optional(100),
  pronouns: Optional(40),
  dateOfBirth: IsoDate,
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ pattern: '^[+0-9 ()./-]{7,25}$' }), Type.Null()])),
  address: Optional(300),
  emergencyContactName: Optional(100),
  emergencyContactPhone: Type.Optional(Type.Union([Type.String({ pattern: '^[+0-9 ()./-]{7,25}$' }), Type.Null()])),
  emergencyContactRelationship: Optional(60),
  preferredLanguage: Optional(40),
};

export const CreatePatientBody = Type.Object(
  {
    ...PatientFields,
    careTeamUserIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreatePatientBody = Static<typeof CreatePatientBody>;

export const UpdatePatientBody = Type.Partial(Type.Object(PatientFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdatePatientBody = Static<typeof UpdatePatientBody>;

/** The fields a patient may change on their own record. */
export const PATIENT_SELF_EDITABLE = [
  'preferredName',
  'pronouns',
  'email',
  'phone',
  'address',
  'emergencyContactName',
  'emergencyContactPhone',
  'emergencyContactRelationship',
  'preferredLanguage',
] as const;

export const CareTeamMember = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
});
export type CareTeamMember = Static<typeof CareTeamMember>;

export const Patient = Type.Object({
  id: Type.String(),
  legalGivenName: Type.String(),
  legalFamilyName: Type.String(),
  preferredName: Type.Union([Type.String(), Type.Null()]),
  pronouns: Type.Union([Type.String(), Type.Null()]),
  dateOfBirth: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  emergencyContactName: Type.Union([Type.String(), Type.Null()]),
  emergencyContactPhone: Type.Union([Type.String(), Type.Null()]),
  emergencyContactRelationship: Type.Union([Type.String(), Type.Null()]),
  preferredLanguage: Type.Union([Type.String(), Type.Null()]),
  careTeam: Type.Array(CareTeamMember),
  /** How the caller got access: their own record, their care team, their role, or break-the-glass. */
  access: Type.Union([Type.Literal('self'), Type.Literal('care_team'), Type.Literal('role'), Type.Literal('break_glass')]),
  /** When the caller's break-the-glass access ends (only when access is via break-the-glass). */
  breakGlassUntil: Type.Union([IsoInstant, Type.Null()]),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type Patient = Static<typeof Patient>;

export const PatientSummary = Type.Object({
  id: Type.String(),
  legalGivenName: Type.String(),
  legalFamilyName: Type.String(),
  preferredName: Type.Union([Type.String(), Type.Null()]),
  dateOfBirth: Type.String(),
});
export type PatientSummary = Static<typeof PatientSummary>;

export const PatientListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    dob: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type PatientListQuery = Static<typeof PatientListQuery>;

export const PatientList = Type.Object({
  items: Type.Array(PatientSummary),
  total: Type.Integer(),
  scope: Type.Union([Type.Literal('all_in_organization'), Type.Literal('care_team'), Type.Literal('self')]),
});

/** Emergency lookup outside one's care team: both a name fragment and the exact date of birth. */
export const PatientLookupQuery = Type.Object(
  { q: Type.String({ minLength: 2, maxLength: 100 }), dob: IsoDate },
  { additionalProperties: false },
);
export type PatientLookupQuery = Static<typeof PatientLookupQuery>;

export const CareTeamBody = Type.Object(
  { userIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20, uniqueItems: true }) },
  { additionalProperties: false },
);
export type CareTeamBody = Static<typeof CareTeamBody>;

export const BreakGlassBody = Type.Object(
  { reason: Type.String({ minLength: 10, maxLength: 500 }) },
  { additionalProperties: false },
);
export type BreakGlassBody = Static<typeof BreakGlassBody>;

export const BreakGlassGrant = Type.Object({ patientId: Type.String(), expiresAt: IsoInstant });
