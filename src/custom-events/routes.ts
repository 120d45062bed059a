import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { CustomEventBatchBody, CustomEventBatchResponse, CustomEventBody, CustomEventSchema, MAX_EVENT_BATCH } from './schema.ts';
import { recordCustomEvent, recordCustomEventBatch } from './service.ts';

const tags = ['events'];

/** POST /v1/events and POST /v1/events/batch: custom events the business's systems report (order_placed, cart_abandoned …). */
export function customEventRoutes(app: App, deps: Deps): void {
  app.post('/v1/events', {
    config: { scope: 'full' },
    schema: {
      operationId: 'recordEvent',
      tags, body: CustomEventBody, response: { 202: Type.Object({ event: CustomEventSchema }) },
      summary: 'Record a custom event about a contact (found by uuid, phone or email; created from a phone or email when new)',
      description: 'Stored as type custom.<name>: it appears in GET /v1/events, the live stream, the contact\'s history, webhook endpoints subscribed to '
        + 'custom.<name> or custom.*, and segment conditions (event.<name>). 400 names each bad field; 404 names body.contact.uuid when that contact does not exist.',
    },
  }, async (request, reply) => {
    const event = await recordCustomEvent(deps, request.auth.workspaceId, request.body);
    return reply.code(202).send({ event });
  });

  app.post('/v1/events/batch', {
    config: { scope: 'full' },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      operationId: 'recordEventBatch',
      tags, body: CustomEventBatchBody, response: { 202: CustomEventBatchResponse },
      summary: `Record up to ${MAX_EVENT_BATCH} custom events in one transaction; each is checked on its own and a bad one fails alone (its error names paths under body.events.<index>)`,
    },
  }, async (request, reply) => {
    const { meta, results } = await recordCustomEventBatch(deps, request.auth.workspaceId, request.body.events);
    return reply.code(202).send({ meta, results: results.map(({ event: _event, ...r }) => r) });
  });
}
