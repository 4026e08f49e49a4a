import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../access/roles';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  organizationId: Type.String(),
  organizationName: Type.String(),
  timeZone: Type.String(),
  csrfToken: Type.String(),
  patientId: Type.Optional(Type.String()),
});
export type Me = Static<typeof Me>;
