import swagger from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';

/** Where the surface lives: an integration replaces `https://api.callbell.eu` with `<beckon>/compat/callbell`. */
export const CALLBELL_PREFIX = '/compat/callbell';

const ErrorSchema = {
  type: 'object',
  required: ['error', 'code', 'status'],
  properties: {
    error: { type: 'string', description: 'What went wrong (Callbell\'s `error`)' },
    code: { type: 'string', description: 'A stable code (Callbell\'s `code`; Beckon\'s codes, see docs/api.md)' },
    status: { type: 'integer' },
    errors: { type: 'array', description: 'Each invalid field of a 400, by path', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
  additionalProperties: true,
} as const;

function documentCompatRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const base = (schema ?? {}) as FastifySchema & { response?: Record<string, unknown>; security?: unknown };
  if (route.config?.scope === 'public') return { schema: { ...base, security: [] } as FastifySchema, url };
  const response = { ...(base.response ?? {}), default: { description: 'An error: `{error, code}` (Callbell\'s error keys, in an RFC 9457 problem body)', content: { 'application/problem+json': { schema: ErrorSchema } } } };
  return { schema: { ...base, response } as FastifySchema, url };
}

/**
 * Gives the compat scope its own OpenAPI document (a second @fastify/swagger under another decorator name, which sees
 * only the routes of this scope), served at /compat/callbell/openapi.json. The native document hides /compat routes.
 */
export async function registerCallbellOpenApi(scope: App, deps: Deps): Promise<void> {
  await scope.register(swagger, {
    decorator: 'callbellSwagger',
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Beckon: Callbell-compatible API', version: '1', description: 'Callbell\'s API (api.callbell.eu/v1) served by Beckon: change the base URL and the key. What differs: docs/compat-callbell.md.' },
      servers: [{ url: `${deps.config.publicUrl.replace(/\/+$/, '')}${CALLBELL_PREFIX}` }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Beckon API key: Authorization: Bearer bk_…' } } },
      security: [{ bearer: [] }],
    },
    transform: documentCompatRoute,
  } as never);
  scope.get('/openapi.json', {
    config: { scope: 'public' },
    schema: { operationId: 'getCallbellOpenApi', hide: true, summary: 'The OpenAPI document of the Callbell-compatible surface' },
  }, async () => (scope as unknown as { callbellSwagger(): unknown }).callbellSwagger());
}
