import { ping } from '../db/connect.ts';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { sendProblem } from './problem.ts';
import { serveWeb, wantsWebPage } from './web.ts';

/** Operational routes, all public and outside the API reference: liveness, readiness, metrics, the OpenAPI document. */
export function systemRoutes(app: App, deps: Deps): void {
  app.get('/', {
    config: { scope: 'public' },
    schema: { operationId: 'getRoot', hide: true, response: { 200: Type.Object({ name: Type.String(), docs: Type.String(), openapi: Type.String() }) } },
  }, async (request, reply) => {
    // a browser gets the web app (when built); an API client the JSON pointer to the docs
    if (wantsWebPage(request) && serveWeb(request, reply)) return reply;
    return { name: 'Beckon', docs: '/docs', openapi: '/openapi.json' };
  });

  probeRoutes(app, deps);

  app.get('/openapi.json', {
    config: { scope: 'public' },
    schema: { operationId: 'getOpenApi', hide: true, summary: 'The OpenAPI 3.1 document of the API' },
  }, async () => app.swagger());
}

/**
 * The routes every process answers whatever its role: /healthz, /readyz and /metrics. The probes declare no response
 * schema: their `{"status":"ok"}` is the same through JSON.stringify, and a process that only answers its probes then
 * never loads Ajv and fast-json-stringify (system/validation.ts compiles on first use).
 */
export function probeRoutes(app: App, deps: Deps): void {
  let migrated = false;

  app.get('/healthz', {
    config: { scope: 'public' },
    schema: { operationId: 'getHealth', hide: true, summary: 'Liveness: the process answers' },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { scope: 'public' },
    schema: { operationId: 'getReadiness', hide: true, summary: 'Readiness: the store answers and its schema is current' },
  }, async (request, reply) => {
    try {
      await ping(deps.db);
      if (!migrated) {
        const pending = await pendingMigrations(deps.db);
        if (pending.length > 0) return sendProblem(reply, 503, 'not_ready', `migrations not applied: ${pending.join(', ')}`);
        migrated = true;
      }
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return sendProblem(reply, 503, 'not_ready', 'the store does not answer');
    }
    return { status: 'ok' as const };
  });

  app.get('/metrics', {
    config: { scope: 'public' },
    schema: { operationId: 'getMetrics', hide: true, summary: 'Prometheus metrics' },
  }, async (_request, reply) => {
    try {
      const { depth, oldestAgeSeconds } = await deps.queue.depth();
      deps.metrics.queueDepth.set(depth);
      deps.metrics.queueOldestAge.set(oldestAgeSeconds);
    } catch (err) {
      deps.log.warn({ err }, 'could not read the queue depth for /metrics');
    }
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
