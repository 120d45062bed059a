import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import * as s from './schema.ts';
import { createHook, deleteHook, sampleItems } from './service.ts';

const tags = ['hooks'];

/** REST hooks for Zapier: subscribe, unsubscribe, and recent items of each hook event in the flat shape deliveries carry. */
export function hookRoutes(app: App, deps: Deps): void {
  app.post('/v1/hooks', {
    config: { scope: 'full' },
    schema: {
      operationId: 'createHook', tags, body: s.CreateHookBody, response: { 201: s.HookSchema },
      summary: 'Subscribe a REST hook (Zapier\'s performSubscribe): a webhook endpoint of origin "zapier" whose deliveries are flat objects',
    },
  }, async (request, reply) => reply.code(201).send(await createHook(deps, request.auth.workspaceId, request.body.target_url, request.body.event)));

  app.delete('/v1/hooks/:id', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteHook', tags, params: s.HookParams, response: { 204: Type.Null() }, summary: 'Unsubscribe a REST hook (Zapier\'s performUnsubscribe); 404 for any other endpoint' },
  }, async (request, reply) => {
    await deleteHook(deps, request.auth.workspaceId, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/v1/hooks/samples/:event', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listHookSamples', tags, params: s.SampleParams, querystring: s.SampleQuery,
      response: { 200: Type.Object({ samples: Type.Array(s.FlatItemSchema) }) },
      summary: 'The most recent events of a hook event, newest first, in the flat shape its deliveries carry (Zapier\'s performList)',
    },
  }, async (request) => ({ samples: await sampleItems(deps, request.auth.workspaceId, request.params.event, request.query.limit ?? 3) }));
}
