import type { DeliveryStatus } from '../db/enums.ts';
import type { Selectable } from 'kysely';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import { pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { DELIVER_WEBHOOK_TASK, type DeliveryEngine, type DeliveryJob } from './engine.ts';
import { TEST_EVENT_TYPE, type DELIVERY_STATUSES } from './schema.ts';
import { decodeCursor } from '../lib/cursor.ts';
import * as q from './queries.ts';

/** One HTTP attempt as the API shows it. */
export interface AttemptView {
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: string;
}

/** A delivery as the API shows it, with its attempts in order. */
export interface DeliveryView {
  uuid: string;
  webhook_uuid: string;
  event_uuid: string;
  event_type: string;
  status: (typeof DELIVERY_STATUSES)[number];
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  attempts: AttemptView[];
}

function attemptView(row: Selectable<WebhookAttemptsTable>): AttemptView {
  return { attempt: row.attempt, status_code: row.status_code, latency_ms: row.latency_ms, response_excerpt: row.response_excerpt, error: row.error, created_at: row.created_at };
}

/** Maps a delivery row and its attempts to the API view. */
export function deliveryView(row: WebhookDeliveriesTable, attempts: Selectable<WebhookAttemptsTable>[]): DeliveryView {
  return {
    uuid: row.id, webhook_uuid: row.endpoint_id, event_uuid: row.event_id, event_type: row.event_type, status: row.status as DeliveryView['status'],
    attempt_count: row.attempt_count, next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    last_status_code: row.last_status_code, last_error: row.last_error, created_at: row.created_at, updated_at: row.updated_at,
    attempts: attempts.filter((a) => a.delivery_id === row.id).map(attemptView),
  };
}

/** A page of an endpoint's deliveries, newest first, each with its attempts; 404 when the endpoint is not the workspace's. */
export async function listDeliveries(deps: Deps, workspaceId: string, endpointId: string, options: { limit: number; cursor?: string; status?: DeliveryStatus }): Promise<{ deliveries: DeliveryView[]; next_cursor: string | null }> {
  const cursor = decodeCursor(options.cursor);
  if (!(await q.findEndpoint(deps.db, workspaceId, endpointId))) throw notFound('webhook');
  const rows = await q.listDeliveries(deps.db, workspaceId, endpointId, options.limit, options.status, cursor);
  const page = pageOf(rows, options.limit, (r) => r.created_at);
  const attempts = await q.attemptsOf(deps.db, page.items.map((r) => r.id));
  return { deliveries: page.items.map((r) => deliveryView(r, attempts)), next_cursor: page.next_cursor };
}

/** One delivery of the workspace with its attempts, or 404. */
export async function getDelivery(deps: Deps, workspaceId: string, id: string): Promise<DeliveryView> {
  const row = await q.findDelivery(deps.db, workspaceId, id);
  if (!row) throw notFound('delivery');
  return deliveryView(row, await q.attemptsOf(deps.db, [row.id]));
}

/** Queues a finished (failed or succeeded) delivery for a new attempt now, restarting the retry schedule; 409 when it is pending or its endpoint is disabled. */
export async function retryDelivery(deps: Deps, workspaceId: string, id: string): Promise<DeliveryView> {
  await deps.writer.run(async (trx) => {
    const row = await q.findDelivery(trx, workspaceId, id);
    if (!row) throw notFound('delivery');
    if (row.status === 'pending') throw new AppError(409, 'delivery_not_retryable', `the delivery is pending: its next attempt is due at ${row.next_attempt_at}`);
    const endpoint = await q.findEndpoint(trx, workspaceId, row.endpoint_id);
    if (!endpoint || endpoint.enabled !== 1) throw new AppError(409, 'delivery_not_retryable', `the webhook is disabled (${endpoint?.disabled_reason ?? 'deleted'}); enable it first`);
    const now = new Date().toISOString();
    await q.updateDelivery(trx, row.id, { status: 'pending', next_attempt_at: now, updated_at: now });
    await deps.queue.enqueue(trx, DELIVER_WEBHOOK_TASK, { delivery_id: row.id, endpoint_id: row.endpoint_id, attempt: row.attempt_count + 1, retry: 0 } satisfies DeliveryJob);
  });
  deps.queue.notify();
  return getDelivery(deps, workspaceId, id);
}

/**
 * Sends a `webhook_test` event to one endpoint (even a disabled one, for its first attempt), waits for that attempt,
 * and returns the delivery; failures are retried on the usual schedule while the endpoint is enabled.
 */
export async function sendTestEvent(deps: Deps, engine: DeliveryEngine, workspaceId: string, endpointId: string): Promise<DeliveryView> {
  const endpoint = await q.findEndpoint(deps.db, workspaceId, endpointId);
  if (!endpoint) throw notFound('webhook');
  const now = new Date().toISOString();
  const eventId = newId();
  const deliveryId = newId();
  const payload = { webhook_uuid: endpoint.id, message: 'This is a test event sent by POST /v1/webhooks/:uuid/test.' };
  await deps.writer.run(async (trx) => {
    await q.insertEvent(trx, { id: eventId, workspace_id: workspaceId, type: TEST_EVENT_TYPE, payload: JSON.stringify(payload), created_at: now });
    await q.insertDeliveries(trx, [{
      id: deliveryId, workspace_id: workspaceId, endpoint_id: endpoint.id, event_id: eventId, event_type: TEST_EVENT_TYPE, part: 0, status: 'pending',
      attempt_count: 0, next_attempt_at: now, last_status_code: null, last_error: null, created_at: now, updated_at: now,
    }]);
  });
  const job: DeliveryJob = { delivery_id: deliveryId, endpoint_id: endpoint.id, attempt: 1, retry: 0, force: true };
  if ((await engine.attempt(job)).run === 'busy') {
    await deps.writer.run((trx) => deps.queue.enqueue(trx, DELIVER_WEBHOOK_TASK, job));
    deps.queue.notify();
  }
  return getDelivery(deps, workspaceId, deliveryId);
}
