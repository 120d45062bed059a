import type { Db } from '../db/connect.ts';
import type { WebhookDeliveriesTable } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { EventSubscriber } from '../events/subscribers.ts';
import { typeListCovers } from '../events/types.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import * as q from './queries.ts';
import { DELIVER_WEBHOOK_TASK } from './delivery-job.ts';
import { deliveryParts } from './formats.ts';

export { DELIVER_WEBHOOK_TASK } from './delivery-job.ts';

/** Subscribing to this matches every event type, present and future. */
export const ALL_EVENTS = '*';

/** True when an endpoint's subscription list covers this event type (`*` every type, `custom.*` every custom event). */
export function subscribes(events: string[], type: string): boolean {
  return events.includes(ALL_EVENTS) || typeListCovers(events, type);
}

type Subscription = { id: string; origin: q.EnabledEndpoint['origin']; format: q.EnabledEndpoint['format']; events: string[] };
const parsed = new WeakMap<readonly q.EnabledEndpoint[], Subscription[]>();

/** The endpoints with their event lists parsed, once per list read (the SQLite store keeps the same list until an endpoint changes). */
function subscriptionsOf(endpoints: readonly q.EnabledEndpoint[]): Subscription[] {
  let list = parsed.get(endpoints);
  if (!list) parsed.set(endpoints, (list = endpoints.map((e) => ({ id: e.id, origin: e.origin, format: e.format, events: parseJson<string[]>(e.events, []) }))));
  return list;
}

/**
 * Creates, in the events' own transaction, one pending delivery and one deliver_webhook job per enabled endpoint of
 * the workspace subscribed to each event's type (one endpoint lookup, multi-row inserts, in the events' order), or one
 * per part when the endpoint's format sends the event as several bodies (formats.ts); returns how many. Events no
 * endpoint wants cost one indexed read.
 */
export async function fanOutEvents(trx: Db, queue: JobQueue, workspaceId: string, events: { id: string; type: string; payload?: string }[]): Promise<number> {
  const endpoints = subscriptionsOf(await q.enabledEndpoints(trx, workspaceId));
  if (endpoints.length === 0 || events.length === 0) return 0;
  const now = new Date().toISOString();
  const rows: WebhookDeliveriesTable[] = [];
  for (const event of events) {
    for (const e of endpoints) {
      if (!subscribes(e.events, event.type)) continue;
      const parts = deliveryParts(e.origin, e.format, event);
      for (let part = 0; part < parts; part++) {
        rows.push({
          id: newId(), workspace_id: workspaceId, endpoint_id: e.id, event_id: event.id, event_type: event.type, part, status: 'pending',
          attempt_count: 0, next_attempt_at: now, last_status_code: null, last_error: null, created_at: now, updated_at: now,
        });
      }
    }
  }
  if (rows.length === 0) return 0;
  await q.insertDeliveries(trx, rows);
  await queue.enqueueMany(trx, rows.map((r) => ({ task: DELIVER_WEBHOOK_TASK, payload: { delivery_id: r.id, endpoint_id: r.endpoint_id, attempt: 1, retry: 0 } })));
  return rows.length;
}

/** Webhooks as an event subscriber: every event type, filtered per endpoint by fanOutEvents (one endpoint lookup per batch). */
export const webhookSubscriber: EventSubscriber = {
  name: 'webhooks',
  types: ALL_EVENTS,
  async handle(trx, queue, workspaceId, events) {
    await fanOutEvents(trx, queue, workspaceId, events);
  },
};
