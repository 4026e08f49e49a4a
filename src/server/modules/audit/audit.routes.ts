import { DateTime } from 'luxon';
import { hasAdminCapability } from '../../../core/access/policy';
import { AuditPage, AuditQuery } from '../../../core/schemas/audit.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { metaOf, requireActor } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import { findAuditEvents } from './audit.repository';

/** Local calendar date in the clinic's zone → the UTC instant it starts at. */
function startOfLocalDay(date: string, zone: string, field: string): string {
  const dt = DateTime.fromISO(date, { zone });
  if (!dt.isValid) throw new AppError('validation', `${field} is not a real date`, { field });
  return dt.startOf('day').toUTC().toISO()!;
}

export function auditRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log of the caller’s clinic, newest first (clinic admin)',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!hasAdminCapability(actor, 'read_audit_log')) throw new AppError('forbidden', 'Only clinic admins can read the audit log');
      const q = request.query;
      const from = q.from ? startOfLocalDay(q.from, actor.timeZone, 'from') : undefined;
      // "to" is inclusive of that whole local day.
      const to = q.to ? DateTime.fromISO(startOfLocalDay(q.to, actor.timeZone, 'to')).setZone(actor.timeZone).plus({ days: 1 }).toUTC().toISO()! : undefined;
      const limit = q.limit ?? 100;
      const [rows] = await Promise.all([
        findAuditEvents(deps.db, actor.organizationId, { ...q, limit }, { ...(from ? { from } : {}), ...(to ? { to } : {}) }),
        deps.audit.record({
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          actorRole: actor.role,
          patientId: q.patientId ?? null,
          resource: 'audit_log',
          action: 'read',
          outcome: 'allowed',
          detail: { filters: Object.keys(q) },
          ...metaOf(request),
        }),
      ]);
      return {
        items: rows.map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          actorUserId: r.actor_user_id,
          actorName: r.actor_name,
          actorRole: r.actor_role,
          patientId: r.patient_id,
          patientName: r.patient_given_name ? `${r.patient_given_name} ${r.patient_family_name ?? ''}`.trim() : null,
          resource: r.resource,
          action: r.action,
          outcome: r.outcome,
          breakGlass: r.break_glass === 1,
          ip: r.ip,
          detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
        })),
        nextBeforeSeq: rows.length === limit ? Number(rows[rows.length - 1]!.seq) : null,
      };
    },
  );
}
