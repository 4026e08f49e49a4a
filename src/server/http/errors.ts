import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'csrf'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

/** Typed outcome thrown by services; mapped to HTTP in exactly one place (below). */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { field?: string; retryAfterSeconds?: number; details?: unknown } = {},
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what = 'Not found') => new AppError('not_found', what);
export const forbidden = (message = 'You do not have access to this') => new AppError('forbidden', message);
export const invalid = (field: string, message: string) => new AppError('validation', message, { field });

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** "/address/street" + missingProperty → "address.street"; the field a person can fix. */
function fieldOf(issue: AjvIssue, context: string | undefined): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  const missing = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof missing === 'string') parts.push(missing);
  const path = parts.join('.');
  if (path) return path;
  return context === 'body' ? 'body' : (context ?? 'body');
}

function messageOf(issue: AjvIssue, field: string): string {
  if (issue.keyword === 'required') return `${field} is required`;
  if (issue.keyword === 'additionalProperties') return `${field} is not an accepted field`;
  if (issue.keyword === 'format') return `${field} must be a valid ${String(issue.params?.format ?? 'value')}`;
  if (issue.keyword === 'pattern') return `${field} is not in the expected format`;
  return `${field} ${issue.message ?? 'is invalid'}`;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.options.retryAfterSeconds !== undefined) {
        void reply.header('retry-after', String(error.options.retryAfterSeconds));
      }
      return reply.status(error.status).send({
        error: {
          code: error.code,
          message: error.message,
          ...(error.options.field ? { field: error.options.field } : {}),
          // Field-by-field issues (e.g. every invalid protocol setting), shaped as ErrorBody.details.
          ...(Array.isArray(error.options.details) ? { details: error.options.details } : {}),
        },
      });
    }
    const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (fe.validation && fe.validation.length > 0) {
      const issues = fe.validation.map((issue) => {
        const field = fieldOf(issue, fe.validationContext);
        return { field, message: messageOf(issue, field) };
      });
      const first = issues[0]!;
      return reply.status(400).send({ error: { code: 'validation', message: first.message, field: first.field, details: issues } });
    }
    const status = fe.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'The request body is too large' } });
    }
    if (status === 415) {
      return reply
        .status(415)
        .send({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json' } });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, bad content length, …): safe to describe.
      const code = status === 404 ? 'not_found' : 'validation';
      return reply.status(status).send({ error: { code, message: fe.message, field: 'body' } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side. It has been logged.', requestId: request.id } });
  });
}
