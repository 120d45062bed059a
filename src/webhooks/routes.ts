import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { engineFor } from './engine.ts';
import { getDelivery, listDeliveries, retryDelivery, sendTestEvent } from './deliveries.ts';
import * as s from './schema.ts';
import * as svc from './service.ts';
import { PageMeta, UuidParams } from '../system/schemas.ts';

const tags = ['webhooks'];
const One = Type.Object({ webhook: s.EndpointSchema });
const OneWithSecret = Type.Object({ webhook: s.EndpointWithSecretSchema });
const OneDelivery = Type.Object({ delivery: s.DeliverySchema });

/** Routes for webhook endpoints, their delivery log, and Callbell's subscribe/unsubscribe. */
export function webhookRoutes(app: App, deps: Deps): void {
  const engine = engineFor(deps);
  const { db } = deps;

  app.post('/v1/webhooks', {
    config: { scope: 'full' },
    schema: { operationId: 'createWebhook', tags, summary: 'Create a webhook endpoint; its whsec_ signing secret is in the answer once', body: s.CreateEndpointBody, response: { 201: OneWithSecret } },
  }, async (request, reply) => reply.code(201).send({ webhook: await svc.createEndpoint(db, deps.secrets, engine.allow, request.auth.workspaceId, request.body) }));

  app.get('/v1/webhooks', {
    config: { scope: 'read' },
    schema: { operationId: 'listWebhooks', tags, summary: 'List webhook endpoints, newest first', querystring: s.PageQuery, response: { 200: Type.Object({ webhooks: Type.Array(s.EndpointSchema), meta: PageMeta }) } },
  }, async (request) => {
    const page = await svc.listEndpoints(db, request.auth.workspaceId, request.query.limit ?? 20, request.query.cursor);
    return { webhooks: page.webhooks, meta: { next_cursor: page.next_cursor } };
  });

  app.post('/v1/webhooks/subscribe', {
    config: { scope: 'full' },
    schema: {
      operationId: 'subscribeWebhook',
      tags, summary: 'Callbell compatible: create or update the workspace\'s one subscribe-managed endpoint',
      body: s.SubscribeBody, response: { 200: Type.Object({ webhook: s.CallbellWebhookSchema }), 201: Type.Object({ webhook: s.CallbellWebhookSchema }) },
    },
  }, async (request, reply) => {
    const { created, webhook } = await svc.subscribe(db, deps.secrets, engine.allow, request.auth.workspaceId, request.body.url, request.body.subscriptions);
    return reply.code(created ? 201 : 200).send({ webhook });
  });

  app.delete('/v1/webhooks/unsubscribe', {
    config: { scope: 'full' },
    schema: { operationId: 'unsubscribeWebhook', tags, summary: 'Callbell compatible: delete the subscribe-managed endpoint (others stay)', response: { 200: Type.Object({ status: Type.String() }) } },
  }, async (request) => {
    await svc.unsubscribe(db, request.auth.workspaceId);
    return { status: 'webhook was destroyed' };
  });

  app.get('/v1/webhooks/deliveries/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getWebhookDelivery', tags, summary: 'Get a delivery with its attempts', params: UuidParams, response: { 200: OneDelivery } },
  }, async (request) => ({ delivery: await getDelivery(deps, request.auth.workspaceId, request.params.uuid) }));

  app.post('/v1/webhooks/deliveries/:uuid/retry', {
    config: { scope: 'full' },
    schema: { operationId: 'retryWebhookDelivery', tags, summary: 'Attempt a failed or succeeded delivery again now (409 while it is pending)', params: UuidParams, response: { 202: OneDelivery } },
  }, async (request, reply) => reply.code(202).send({ delivery: await retryDelivery(deps, request.auth.workspaceId, request.params.uuid) }));

  app.get('/v1/webhooks/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getWebhook', tags, summary: 'Get a webhook endpoint', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ webhook: await svc.getEndpoint(db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/webhooks/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'updateWebhook', tags, summary: 'Change a webhook endpoint; enabled: true re-enables it and clears disabled_reason', params: UuidParams, body: s.UpdateEndpointBody, response: { 200: One } },
  }, async (request) => ({ webhook: await svc.updateEndpoint(db, engine.allow, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/webhooks/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteWebhook', tags, summary: 'Delete a webhook endpoint and its delivery log', params: UuidParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await svc.deleteEndpoint(db, request.auth.workspaceId, request.params.uuid);
    return reply.code(204).send(null);
  });

  app.post('/v1/webhooks/:uuid/rotate_secret', {
    config: { scope: 'full' },
    schema: { operationId: 'rotateWebhookSecret', tags, summary: 'Replace the signing secret; the old one keeps signing, alongside, for 24 hours', params: UuidParams, response: { 200: OneWithSecret } },
  }, async (request) => ({ webhook: await svc.rotateSecret(db, deps.secrets, request.auth.workspaceId, request.params.uuid) }));

  app.post('/v1/webhooks/:uuid/test', {
    config: { scope: 'full' },
    schema: { operationId: 'testWebhook', tags, summary: `Send a "${s.TEST_EVENT_TYPE}" event to this endpoint now and return the delivery with its first attempt`, params: UuidParams, response: { 201: OneDelivery } },
  }, async (request, reply) => reply.code(201).send({ delivery: await sendTestEvent(deps, engine, request.auth.workspaceId, request.params.uuid) }));

  app.get('/v1/webhooks/:uuid/deliveries', {
    config: { scope: 'read' },
    schema: { operationId: 'listWebhookDeliveries', tags, summary: 'The endpoint\'s delivery log, newest first, each delivery with its attempts', params: UuidParams, querystring: s.DeliveriesQuery, response: { 200: Type.Object({ deliveries: Type.Array(s.DeliverySchema), meta: PageMeta }) } },
  }, async (request) => {
    const { limit = 20, cursor, status } = request.query;
    const page = await listDeliveries(deps, request.auth.workspaceId, request.params.uuid, { limit, cursor, status });
    return { deliveries: page.deliveries, meta: { next_cursor: page.next_cursor } };
  });
}
