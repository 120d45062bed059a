import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { notFound } from '../../errors.ts';
import { engineFor } from '../../webhooks/engine.ts';
import { subscribe, subscribedEndpointId, unsubscribe } from '../../webhooks/service.ts';
import { listDeliveries, type DeliveryView } from '../../webhooks/deliveries.ts';
import { CallbellPageMeta, callbellTime, MAX_PAGE, pageOfCursor } from './shared.ts';

const tags = ['webhooks'];

/** Callbell's ten webhook events. */
export const CALLBELL_EVENTS = [
  'message_created', 'message_status_updated', 'contact_created', 'contact_updated', 'contact_deleted',
  'conversation_opened', 'conversation_closed', 'agent_status_updated', 'agent_session_updated', 'team_membership_updated',
] as const;

const Webhook = Type.Object({
  uuid: Type.String(), url: Type.String(), subscriptions: Type.Array(Type.String()), createdAt: Type.String({ description: 'Callbell\'s form: 2022-10-18 17:01:20 +0000' }), enabled: Type.Boolean(),
  secret: Type.String({ description: 'Beckon addition: the whsec_ secret deliveries are signed with (Standard Webhooks headers)' }),
});
const WebhookEvent = Type.Object({
  event: Type.String(),
  response: Type.Object({ body: Type.Union([Type.String(), Type.Null()]), code: Type.Union([Type.Integer(), Type.Null()]), headers: Type.Record(Type.String(), Type.String(), { description: 'Always empty: Beckon keeps no response headers' }) }),
  payload: Type.Object({ event_uuid: Type.String() }, { description: 'The delivered event\'s id (Callbell: the payload)' }),
  success: Type.Boolean(),
  createdAt: Type.String(),
});

/** A timestamp in the form Callbell writes webhook dates: `2022-10-18 17:01:20 +0000`. */
export function callbellWebhookTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

function toWebhookEvent(d: DeliveryView) {
  const last = d.attempts.at(-1);
  return {
    event: d.event_type, response: { body: last?.response_excerpt ?? null, code: last?.status_code ?? null, headers: {} },
    payload: { event_uuid: d.event_uuid }, success: d.status === 'succeeded', createdAt: callbellTime(d.created_at),
  };
}

/** Callbell's webhook routes: subscribe (deliveries in Callbell's format), unsubscribe, and the delivery log. */
export function callbellWebhookRoutes(app: App, deps: Deps): void {
  const engine = engineFor(deps);

  app.post('/v1/webhooks/subscribe', {
    config: { scope: 'full' },
    schema: {
      operationId: 'callbellSubscribeWebhook', tags, summary: 'Create or update the account\'s one webhook; it receives Callbell\'s payloads, signed (Standard Webhooks)',
      body: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }), subscriptions: Type.Array(Type.Enum([...CALLBELL_EVENTS]), { minItems: 1, maxItems: CALLBELL_EVENTS.length * 2 }) }),
      response: { 200: Type.Object({ webhook: Webhook }) },
    },
  }, async (request) => {
    const { webhook } = await subscribe(deps.db, deps.secrets, engine.allow, request.auth.workspaceId, request.body.url, request.body.subscriptions, 'callbell');
    return { webhook: { uuid: webhook.uuid, url: webhook.url, subscriptions: webhook.subscriptions, createdAt: callbellWebhookTime(webhook.createdAt), enabled: webhook.enabled, secret: webhook.secret } };
  });

  app.delete('/v1/webhooks/unsubscribe', {
    config: { scope: 'full' },
    schema: { operationId: 'callbellUnsubscribeWebhook', tags, summary: 'Delete the account\'s webhook', response: { 200: Type.Object({ status: Type.Literal('webhook was destroyed') }) } },
  }, async (request) => {
    await unsubscribe(deps.db, request.auth.workspaceId);
    return { status: 'webhook was destroyed' as const };
  });

  app.get('/v1/webhooks/events', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListWebhookEvents', tags, summary: 'The webhook\'s deliveries, newest first',
      querystring: Type.Object({
        status: Type.Optional(Type.Enum(['failed', 'success'])), page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
        items: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Deliveries a page' })),
      }),
      response: { 200: Type.Object({ webhook_events: Type.Array(WebhookEvent), meta: CallbellPageMeta }) },
    },
  }, async (request) => {
    const { status, page = 1, items = 50 } = request.query;
    const endpointId = await subscribedEndpointId(deps.db, request.auth.workspaceId);
    if (!endpointId) throw notFound('webhook subscription');
    const got = await pageOfCursor(async (limit, cursor) => {
      const list = await listDeliveries(deps, request.auth.workspaceId, endpointId, { limit, cursor, status: status === undefined ? undefined : status === 'success' ? 'succeeded' : 'failed' });
      return { items: list.deliveries, next: list.next_cursor };
    }, page, items);
    return { webhook_events: got.items.map(toWebhookEvent), meta: { page, pages: got.more ? page + 1 : page } };
  });
}
