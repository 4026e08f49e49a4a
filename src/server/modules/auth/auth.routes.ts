import { LoginBody, Me } from '../../../core/schemas/auth.schema';
import { Ok } from '../../../core/schemas/common.schema';
import type { Deps } from '../../deps';
import { clearSessionCookie, metaOf, requireActor, setSessionCookie } from '../../http/session-auth';
import { errorResponses, type App } from '../../http/types';
import { login, logout, toMe } from './auth.service';

export function authRoutes(app: App, deps: Deps): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: LoginBody,
        response: { 200: Me, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, me } = await login(deps, request.body, metaOf(request));
      setSessionCookie(reply, deps, token);
      return me;
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok, ...errorResponses(401, 403) } } },
    async (request, reply) => {
      await logout(deps, requireActor(request), metaOf(request));
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me, ...errorResponses(401) } } },
    async (request) => toMe(requireActor(request)),
  );
}
