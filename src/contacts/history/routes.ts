import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { contactHistory } from './history.ts';
import { PageMeta, UuidParams } from '../../system/schemas.ts';

const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
  order: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc', description: 'desc: newest first (default); asc: oldest first' })),
}, { additionalProperties: false });

const HistoryItemSchema = Type.Object({
  type: Type.String({ description: 'message, open, click, unsubscribe, consent, event or funnel_stage' }),
  at: Type.String({ format: 'date-time' }),
  uuid: Type.String({ format: 'uuid', description: 'The message, engagement or event this entry comes from' }),
}, {
  additionalProperties: true,
  description: 'message: direction, channel, channel_uuid, message_type, status, campaign_uuid, content, subject (email); open: message_uuid, campaign_uuid, machine; '
    + 'click: message_uuid, campaign_uuid, link_id, url, machine; unsubscribe: message_uuid, campaign_uuid; consent: channel_type, status (opted_in | opted_out), source; '
    + 'event (a custom event, POST /v1/events; `at` is when Beckon recorded it): name, data, correlation_key, occurred_at; '
    + 'funnel_stage (a conversation moved between funnel stages): conversation_uuid, funnel_uuid, funnel_stage_uuid, funnel_stage_name, previous_funnel_stage_uuid, previous_funnel_stage_name',
});

/** `GET /v1/contacts/:uuid/history`: a contact's messages, opens, clicks, unsubscribes and consent changes in time order. */
export function contactHistoryRoutes(app: App, deps: Deps): void {
  app.get('/v1/contacts/:uuid/history', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getContactHistory',
      tags: ['contacts'], summary: 'A contact\'s history: messages, opens, clicks, unsubscribes, consent changes and custom events, newest first (order=asc for oldest first)',
      params: UuidParams, querystring: HistoryQuery,
      response: { 200: Type.Object({ history: Type.Array(HistoryItemSchema), meta: PageMeta }) },
    },
  }, async (request) => {
    const page = await contactHistory(deps.db, request.auth.workspaceId, request.params.uuid, request.query);
    return { history: page.items, meta: { next_cursor: page.next_cursor } };
  });
}
