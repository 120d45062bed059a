import type { FastifySchema, RouteOptions } from 'fastify';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency.ts';
import { nameSchema, withComponentRefs } from './components.ts';

/** The problem+json body every error answer carries (RFC 9457), as documented in the OpenAPI reference. */
export const ProblemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'urn:beckon:problem:<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, for a human' },
    code: { type: 'string', description: 'Stable machine-readable code (see docs/api.md)' },
    errors: {
      type: 'array',
      description: 'Each invalid field of a 400, by path (body.phone, query.limit, params.uuid, headers.idempotency-key)',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
} as const;
nameSchema('Problem', ProblemSchema);

type DocSchema = FastifySchema & { description?: string; security?: unknown; hide?: boolean; response?: Record<string, unknown>; headers?: unknown };

/**
 * @fastify/swagger transform: adds what every route shares to its documentation only (never to validation):
 * the scope it needs, the problem+json error answers, `security: []` on public routes and the Idempotency-Key header on POSTs.
 */
export function documentRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const base = (schema ?? {}) as DocSchema;
  if (base.hide) return { schema: base, url };
  // compatible surfaces (/compat/callbell) have their own document
  if (url.startsWith('/compat/')) return { schema: { ...base, hide: true }, url };
  const scope = route.config?.scope ?? 'admin';
  // shared schemas (nameSchema) appear once, as components, and are referred to by $ref
  const response = Object.fromEntries(Object.entries(base.response ?? {}).map(([code, schema]) => [code, withComponentRefs(schema)]));
  const doc: DocSchema = { ...base, response, ...(base.body ? { body: withComponentRefs(base.body) } : {}) };
  if (scope === 'public') {
    doc.security = [];
  } else {
    const agents = scope !== 'admin' && (route.config?.agents ?? scope === 'read');
    doc.description = `${base.description ? `${base.description}\n\n` : ''}Needs an API key with the \`${scope}\` scope (admin ⊃ full ⊃ read), or a session; ${agents ? 'admins and agents may call it' : 'admins only (not agents)'}.`;
  }
  doc.response!.default = {
    description: 'A problem (RFC 9457): 400 invalid input with errors[].path, 401, 403, 404, 409, 413, 415, 422, 429 with Retry-After, 5xx',
    content: { 'application/problem+json': { schema: withComponentRefs(ProblemSchema) } },
  };
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.includes('POST') && scope !== 'public' && route.config?.idempotent !== false) {
    const headers = (base.headers ?? { type: 'object', properties: {} }) as { type: string; properties: Record<string, unknown> };
    doc.headers = {
      ...headers,
      properties: {
        ...headers.properties,
        'idempotency-key': {
          type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
          description: 'Makes the POST safe to retry: the same key and body replay the first answer for 24 h (see docs/api.md)',
        },
      },
    };
  }
  return { schema: doc, url };
}
