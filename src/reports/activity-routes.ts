import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { DELIVERY_STATUSES } from '../db/enums.ts';
import { nameSchema } from '../system/components.ts';
import { contactReport, queueReport, webhookReport } from './activity-service.ts';

const tags = ['reports'];
const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'Start (inclusive): YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time; default: 30 days before `to`' })),
  to: Type.Optional(Type.String({ description: 'End (exclusive), same forms; default: now. At most 366 days after `from`' })),
}, { additionalProperties: false });
const Instant = Type.String({ format: 'date-time' });
const Oldest = Type.Union([Instant, Type.Null()], { description: 'When the oldest one was created (null: none)' });

const ContactReportSchema = nameSchema('ContactReport', Type.Object({
  from: Instant,
  to: Instant,
  total_before: Type.Integer({ description: 'Contacts created before `from` (the growth line starts there)' }),
  groups: Type.Array(Type.Object({
    key: Type.String({ description: 'The UTC day' }),
    created: Type.Integer({ description: 'Contacts created that day' }),
    opted_out: Type.Integer({ description: 'Consents (per channel type) set to opted_out that day and still opted out' }),
  })),
  totals: Type.Object({ created: Type.Integer(), opted_out: Type.Integer() }),
}));

const DeliveryCounts = Type.Object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, Type.Integer()])));
const WebhookReportSchema = nameSchema('WebhookReport', Type.Object({
  from: Instant,
  to: Instant,
  groups: Type.Array(Type.Object({ key: Type.String({ description: 'The UTC day' }), total: Type.Integer(), by_status: DeliveryCounts })),
  totals: Type.Object({ total: Type.Integer(), by_status: DeliveryCounts }),
}));

const QueueReportSchema = nameSchema('QueueReport', Type.Object({
  messages: Type.Object({ waiting: Type.Integer({ description: 'Messages enqueued and not yet sent' }), oldest_created_at: Oldest }),
  webhook_deliveries: Type.Object({ pending: Type.Integer({ description: 'Deliveries whose first attempt or a retry is to come' }), oldest_created_at: Oldest }),
}));

/** `GET /v1/reports/contacts`, `/webhooks` and `/queue`: contacts growth and opt-outs, webhook health, the queue now. */
export function activityReportRoutes(app: App, deps: Deps): void {
  app.get('/v1/reports/contacts', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getContactReport', tags, querystring: RangeQuery, response: { 200: ContactReportSchema },
      summary: 'Contacts created and opt-outs per day in [from, to), with the number of contacts before `from`',
    },
  }, async (request) => contactReport(deps.db, request.auth.workspaceId, request.query));

  app.get('/v1/reports/webhooks', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getWebhookReport', tags, querystring: RangeQuery, response: { 200: WebhookReportSchema },
      summary: 'Webhook deliveries created per day in [from, to), by status (pending, succeeded, failed)',
    },
  }, async (request) => webhookReport(deps.db, request.auth.workspaceId, request.query));

  app.get('/v1/reports/queue', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getQueueReport', tags, response: { 200: QueueReportSchema },
      summary: 'The workspace\'s work waiting now: messages not yet sent and webhook deliveries pending, each with its oldest',
    },
  }, async (request) => queueReport(deps.db, request.auth.workspaceId));
}
