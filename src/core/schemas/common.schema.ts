import { Type, type Static } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
      requestId: Type.Optional(Type.String()),
      details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

export const IsoInstant = Type.String({ format: 'date-time' });
export const IsoDate = Type.String({ format: 'date' });

/** Optional free text: trimmed by the caller, bounded here. */
export const ShortText = (max = 200) => Type.String({ minLength: 1, maxLength: max });

export const Ok = Type.Object({ ok: Type.Literal(true) });
