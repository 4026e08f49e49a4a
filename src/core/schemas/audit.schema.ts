import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoInstant } from './common.schema';

export const AuditQuery = Type.Object(
  {
    patientId: Type.Optional(Type.String({ format: 'uuid' })),
    userId: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  at: IsoInstant,
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  patientId: Type.Union([Type.String(), Type.Null()]),
  patientName: Type.Union([Type.String(), Type.Null()]),
  resource: Type.String(),
  action: Type.String(),
  outcome: Type.String(),
  breakGlass: Type.Boolean(),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditPage = Type.Object({ items: Type.Array(AuditEvent), nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]) });
