// The API reference UI at /docs (@fastify/swagger-ui), loaded on its first request instead of at start: the plugin
// and what it brings (@fastify/static, its send and glob, mime types) are 35 files that most processes never use; the
// first /docs request pays for them (~0.15 s of CPU here). Its routes are declared here, on the app, under the same URLs the plugin gives them (so
// authentication, metrics labels and 404s stay the app's); each forwards to a small Fastify app holding the plugin,
// built on the first request.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { App } from '../http.ts';
import { handleError } from './problem.ts';

/** Where the reference UI is served. */
export const DOCS_PREFIX = '/docs';

/** The URLs @fastify/swagger-ui (6.x) registers under its prefix; `/static/*` is @fastify/static's. */
const UI_ROUTES = ['/', '/static/index.html', '/static/swagger-initializer.js', '/json', '/yaml', '/static/*'];

/** Headers of the inner answer that belong to its own connection, not to the answer. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

async function buildDocsApp(app: App): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui');
  const docs = Fastify({ loggerInstance: app.log, logController: new LogController({ disableRequestLogging: true }) });
  docs.setErrorHandler(handleError);
  // The UI reads the document through `swagger()`, which is the app's (it saw every route); the plugin requires a
  // plugin named @fastify/swagger to be registered before it.
  await docs.register(fp(async (scope: FastifyInstance) => {
    scope.decorate('swagger', ((options?: { yaml?: boolean }) => app.swagger(options as never)) as never);
  }, { name: '@fastify/swagger' }));
  await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { deepLinking: true }, validatorUrl: false });
  await docs.ready();
  return docs;
}

/** Registers the /docs routes (public, left out of the OpenAPI document); the UI itself is loaded on the first request. */
export async function docsRoutes(app: App): Promise<void> {
  let built: Promise<FastifyInstance> | null = null;
  const docsApp = (): Promise<FastifyInstance> => {
    built ??= buildDocsApp(app).catch((err: unknown) => {
      built = null; // the next request tries again
      throw err;
    });
    return built;
  };
  async function forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const docs = await docsApp();
    // a HEAD is answered as the GET is, without its body: the app's HEAD route drops the body and keeps its length
    const answer = await docs.inject({ method: 'GET', url: request.url, headers: request.headers });
    // a file or route the UI does not have gets the app's own 404
    if (answer.statusCode === 404) {
      reply.callNotFound();
      return reply;
    }
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
    }
    reply.code(answer.statusCode);
    // an empty answer (a redirect, a 304, a HEAD) is sent as no payload, so no content type is added to it
    return answer.rawPayload.length === 0 ? reply.send() : reply.send(answer.rawPayload);
  }
  // under a prefix, as the plugin was, so `/docs` and `/docs/` are one route (one metrics label) as before
  await app.register(async (scope) => {
    for (const path of UI_ROUTES) scope.get(path, { config: { scope: 'public' }, schema: { hide: true } }, forward);
  }, { prefix: DOCS_PREFIX });
}
