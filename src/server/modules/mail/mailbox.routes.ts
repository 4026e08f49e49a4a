import { Type } from '@sinclair/typebox';
import { hasAdminCapability } from '../../../core/access/policy';
import { IdParams } from '../../../core/schemas/common.schema';
import { MailboxItem, MailboxMessage } from '../../../core/schemas/mailbox.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import { findLocalMailbox, findLocalMailboxMessage } from './outbox.repository';

/** The embedded default's mailbox: where mail goes when no SMTP_URL is configured. */
export function mailboxRoutes(app: App, deps: Deps): void {
  const requireAdmin = (request: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(request);
    if (!hasAdminCapability(actor, 'read_mailbox')) throw new AppError('forbidden', 'Only clinic admins can read the mailbox');
    return actor;
  };

  app.get(
    '/api/admin/mailbox',
    {
      schema: {
        tags: ['admin'],
        summary: 'Mail delivered to the local mailbox (used when SMTP_URL is not set)',
        response: { 200: Type.Object({ smtpConfigured: Type.Boolean(), items: Type.Array(MailboxItem) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = requireAdmin(request);
      const rows = await findLocalMailbox(deps.db, actor.organizationId, 200);
      await deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: null,
        resource: 'mailbox',
        action: 'list',
        outcome: 'allowed',
        ...metaOf(request),
      });
      return {
        smtpConfigured: deps.config.smtpUrl !== null,
        items: rows.map((r) => ({ id: r.id, to: r.to_address, subject: r.subject, deliveredAt: r.delivered_at })),
      };
    },
  );

  app.get(
    '/api/admin/mailbox/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'One message from the local mailbox, as raw MIME',
        params: IdParams,
        response: { 200: MailboxMessage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireAdmin(request);
      const row = await findLocalMailboxMessage(deps.db, actor.organizationId, request.params.id);
      if (!row) throw new AppError('not_found', 'Message not found');
      await deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId: null,
        resource: 'mailbox',
        action: 'read',
        outcome: 'allowed',
        detail: { messageId: row.id },
        ...metaOf(request),
      });
      return { id: row.id, to: row.to_address, subject: row.subject, deliveredAt: row.delivered_at, raw: row.raw };
    },
  );
}
