import { Type, type Static } from '@sinclair/typebox';
import { STAFF_ROLES } from '../access/roles';
import { IsoInstant } from './common.schema';

export const StaffRoleSchema = Type.Union(STAFF_ROLES.map((r) => Type.Literal(r)));

export const StaffMember = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: StaffRoleSchema,
  active: Type.Boolean(),
  createdAt: IsoInstant,
});
export type StaffMember = Static<typeof StaffMember>;

export const CreateStaffBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: StaffRoleSchema,
    password: Type.String({ minLength: 12, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type CreateStaffBody = Static<typeof CreateStaffBody>;

export const UpdateStaffBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(StaffRoleSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateStaffBody = Static<typeof UpdateStaffBody>;
