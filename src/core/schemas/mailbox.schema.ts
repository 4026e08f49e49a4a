import { Type, type Static } from '@sinclair/typebox';
import { IsoInstant } from './common.schema';

export const MailboxItem = Type.Object({ id: Type.String(), to: Type.String(), subject: Type.String(), deliveredAt: IsoInstant });
export type MailboxItem = Static<typeof MailboxItem>;
export const MailboxMessage = Type.Intersect([MailboxItem, Type.Object({ raw: Type.String() })]);
export type MailboxMessage = Static<typeof MailboxMessage>;
