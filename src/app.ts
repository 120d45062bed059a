import Fastify, { LogController } from 'fastify';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import { authHook } from './auth/hook.ts';
import { KeyVerifier } from './auth/service.ts';
import { handleClientError, handleError, handleFrameworkError, sendProblem } from './system/problem.ts';
import { serveWeb } from './system/web.ts';
import { docsRoutes } from './system/docs.ts';
import { deferred, serializerFactory, validatorFactory, type Deferred } from './system/validation.ts';
import { idempotencyOnRoute, startIdempotencyCleanup } from './system/idempotency.ts';
import { documentRoute } from './system/openapi.ts';
import { componentSchemas } from './system/components.ts';
import { registerRoutes } from './modules.ts';
import { isPostgres } from './db/dialect.ts';
import { pgRateLimitStore } from './system/rate-limit-store-pg.ts';

/** Largest request body accepted (1 MiB); larger bodies get a 413. */
export const BODY_LIMIT = 1024 * 1024;

const schemaCompiles = new WeakMap<object, Deferred>();

/** Compiles now every route validator and serializer not compiled yet (they are compiled on first use); returns how many. */
export function compileAllSchemas(app: App): number {
  return schemaCompiles.get(app)?.compileAll() ?? 0;
}

/** Builds the Fastify instance with every route, hook and the error handler; it does not listen. */
export async function buildApp(deps: Deps): Promise<App> {
  const compiles = deferred();
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    schemaController: { compilersFactory: { buildValidator: validatorFactory(compiles), buildSerializer: serializerFactory(compiles) as never } },
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  schemaCompiles.set(app, compiles);

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => serveWeb(request, reply) ? reply : sendProblem(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
  app.decorateRequest('auth', null as never);
  // The API speaks JSON only: any other body is a 415 (a provider callback adds its own parser in its own scope).
  app.removeContentTypeParser('text/plain');
  // An empty body sent with a JSON content type is no body (a DELETE from many clients), not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Beckon API', version: '1', description: 'Send WhatsApp, SMS and email messages, keep contacts, receive signed webhooks. Guides: docs/api.md.' },
      servers: [{ url: deps.config.publicUrl }],
      components: { schemas: componentSchemas() as never, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer bk_…' } } },
      security: [{ bearer: [] }],
    },
    transform: documentRoute,
  });
  // The reference UI is served from the package's own files (no CDN) and is public; it loads on its first request.
  await docsRoutes(app);

  const verifier = new KeyVerifier(deps.db);
  app.addHook('onRequest', authHook(verifier, deps.db, deps.config));
  // Per API key, counted after authentication; public routes and rejected keys are not counted. On PostgreSQL the
  // counters live in the database so the limit holds across every API process (system/rate-limit-store-pg.ts).
  const sharedCounters = isPostgres(deps.db) ? pgRateLimitStore(deps.db) : null;
  if (sharedCounters) app.addHook('onClose', async () => sharedCounters.stop());
  await app.register(rateLimit, {
    ...(sharedCounters ? { store: sharedCounters.Store } : {}),
    hook: 'preParsing',
    max: deps.config.rateLimitMax,
    timeWindow: deps.config.rateLimitWindowMs,
    enableDraftSpec: true,
    keyGenerator: (request) => request.auth?.keyId ?? request.ip,
    allowList: (request) => !request.auth,
    errorResponseBuilder: (_request, context) => Object.assign(new Error(`rate limit of ${context.max} requests per ${context.after} reached for this API key`), { statusCode: 429 }),
  });
  app.addHook('onRoute', idempotencyOnRoute(deps));
  const stopCleanup = startIdempotencyCleanup(deps);
  app.addHook('onClose', async () => stopCleanup());

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  registerRoutes(app, deps, { verifier });
  return app;
}
