import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps';
import { resolveSession, type RequestMeta, type SessionActor } from '../modules/auth/auth.service';
import { AppError } from './errors';

export const SESSION_COOKIE = 'threshold_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: SessionActor | null;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Signing in starts a new session; it does not act on the one a stale cookie names.
const CSRF_EXEMPT = new Set(['/api/auth/login']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerSessionAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    request.actor = await resolveSession(deps, token);
    if (request.actor && MUTATING.has(request.method) && !CSRF_EXEMPT.has(request.url.split('?')[0] ?? '')) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, request.actor.csrfToken)) {
        throw new AppError('csrf', 'Missing or wrong x-csrf-token header; reload the page and try again.', {
          field: 'x-csrf-token',
        });
      }
    }
  });
}

export function setSessionCookie(reply: FastifyReply, deps: Deps, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https://'),
    maxAge: deps.config.session.absoluteHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function requireActor(request: FastifyRequest): SessionActor {
  if (!request.actor) throw new AppError('unauthenticated', 'Please sign in.');
  return request.actor;
}

export function metaOf(request: FastifyRequest): RequestMeta {
  return { ip: request.ip ?? null, requestId: request.id };
}
