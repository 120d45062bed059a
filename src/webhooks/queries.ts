import { sql } from 'kysely';
import type { DeliveryStatus, EndpointOrigin, WebhookFormat } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { EventsTable, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { insertRows, prepared } from '../db/prepared.ts';
import { pipelined } from '../db/pg-pipeline.ts';
import { isPostgres } from '../db/dialect.ts';
import { rowCache } from '../db/sqlite-generations.ts';

/** Columns of an endpoint that may change after creation. */
export type EndpointChanges = Partial<Omit<WebhookEndpointsTable, 'id' | 'workspace_id' | 'created_at'>>;

/** Inserts an endpoint. */
export async function insertEndpoint(db: Db, row: WebhookEndpointsTable): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

/** A page (limit + 1 rows) of a workspace's endpoints, newest first, after the cursor. */
export async function listEndpoints(db: Db, workspaceId: string, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Finds one of a workspace's endpoints. */
export async function findEndpoint(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The endpoint Callbell's subscribe created in a workspace (the oldest, should there be several). */
export async function findSubscribeEndpoint(db: Db, workspaceId: string, origin: EndpointOrigin) {
  return db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).where('origin', '=', origin)
    .orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

/** Writes an endpoint's changed columns. */
export async function updateEndpoint(db: Db, workspaceId: string, id: string, changes: EndpointChanges): Promise<void> {
  await db.updateTable('webhook_endpoints').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes one endpoint (its deliveries and attempts go with it); returns how many rows went. */
export async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<number> {
  const r = await db.deleteFrom('webhook_endpoints').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes every endpoint of a workspace created with this origin; returns how many went. */
export async function deleteEndpointsByOrigin(db: Db, workspaceId: string, origin: EndpointOrigin): Promise<number> {
  const r = await db.deleteFrom('webhook_endpoints').where('workspace_id', '=', workspaceId).where('origin', '=', origin).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Sets failing_since on an endpoint unless it is already failing. */
export async function markEndpointFailing(db: Db, id: string, at: string): Promise<void> {
  await endpointFailing(db, at, id);
}

/** Clears failing_since after a success. */
export async function markEndpointHealthy(db: Db, id: string): Promise<void> {
  await endpointHealthy(db, id);
}
const endpointFailing = prepared((db, at: string, id: string) =>
  pipelined(db.updateTable('webhook_endpoints').set({ failing_since: at }).where('id', '=', id).where('failing_since', 'is', null)));
const endpointHealthy = prepared((db, id: string) =>
  pipelined(db.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', id).where('failing_since', 'is not', null)));

/** Disables an endpoint with a reason. */
export async function disableEndpoint(db: Db, id: string, reason: string, at: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ enabled: 0, disabled_reason: reason, disabled_at: at, updated_at: at }).where('id', '=', id).execute();
}

/** Fails every pending delivery of an endpoint (it was disabled); their queued jobs then find nothing to do. */
export async function failPendingDeliveries(db: Db, endpointId: string, error: string, at: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, last_error: error, updated_at: at })
    .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
}

/** An enabled endpoint as the fan-out reads it. */
export interface EnabledEndpoint {
  id: string;
  events: string;
  origin: EndpointOrigin;
  format: WebhookFormat;
}

const primed = new WeakMap<Db, { workspaceId: string; endpoints: EnabledEndpoint[] }>();

/**
 * Hands a transaction the workspace's enabled endpoints read just before it began, in the same statement as the rest of
 * what its caller needed (the send on PostgreSQL): its fan-out then reads nothing. The read is as fresh as one made
 * first thing in the transaction (read committed).
 */
export function primeEnabledEndpoints(trx: Db, workspaceId: string, endpoints: EnabledEndpoint[]): void {
  primed.set(trx, { workspaceId, endpoints });
}

/**
 * The workspace's enabled endpoints (the fan-out filters them by event type); on SQLite kept in memory until an endpoint
 * changes (db/sqlite-generations.ts): every event of every transaction asks.
 */
export async function enabledEndpoints(db: Db, workspaceId: string): Promise<readonly EnabledEndpoint[]> {
  const given = primed.get(db);
  if (given && given.workspaceId === workspaceId) return given.endpoints;
  return (await cachedEnabled(db, workspaceId, () => enabledOf(db, workspaceId) as Promise<EnabledEndpoint[]>))!;
}
const cachedEnabled = rowCache<readonly EnabledEndpoint[]>('webhook_endpoints');
const enabledOf = prepared((db, workspaceId: string) =>
  db.selectFrom('webhook_endpoints').select(['id', 'events', 'origin', 'format']).where('workspace_id', '=', workspaceId).where('enabled', '=', 1));

/** Inserts an event that is not fanned out (the test event of one endpoint). */
export async function insertEvent(db: Db, row: EventsTable): Promise<void> {
  await db.insertInto('events').values(row).execute();
}

/** Inserts deliveries. */
export async function insertDeliveries(db: Db, rows: WebhookDeliveriesTable[]): Promise<void> {
  await insertRows(db, 'webhook_deliveries', rows);
}

/** Finds one of a workspace's deliveries. */
export async function findDelivery(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Finds a delivery by id alone (the worker's view). */
export async function findDeliveryById(db: Db, id: string) {
  return (await deliveryById(db, id))[0];
}
const deliveryById = prepared((db, id: string) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id));

/**
 * What one attempt needs: the delivery, its endpoint's URL, state and secrets, and its event; undefined when the
 * delivery or its endpoint is gone. PostgreSQL reads it in one statement (one round trip); SQLite reads the delivery
 * with its event and takes the endpoint from memory (read again after any committed write to an endpoint, by either
 * thread: db/sqlite-generations.ts), so the attempt's read is two index lookups instead of three.
 */
export async function loadAttempt(db: Db, deliveryId: string): Promise<AttemptRow | undefined> {
  if (isPostgres(db)) return (await attemptOf(db, deliveryId))[0];
  const delivery = (await deliveryEventOf(db, deliveryId))[0];
  if (!delivery) return undefined;
  const endpoint = await cachedEndpoint(db, delivery.endpoint_id, async () => (await attemptEndpointOf(db, delivery.endpoint_id))[0]);
  return endpoint && { ...delivery, ...endpoint };
}
const DELIVERY_COLUMNS = ['d.id', 'd.workspace_id', 'd.status', 'd.attempt_count', 'd.endpoint_id', 'd.part'] as const;
const EVENT_COLUMNS = ['ev.id as event_id', 'ev.type as event_type', 'ev.payload as event_payload', 'ev.created_at as event_created_at'] as const;
const ENDPOINT_COLUMNS = ['url', 'format', 'enabled', 'disabled_reason', 'secret', 'previous_secret', 'previous_secret_expires_at', 'origin'] as const;
const attemptOf = prepared((db, deliveryId: string) =>
  db.selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .select([...DELIVERY_COLUMNS, ...ENDPOINT_COLUMNS.map((c) => `e.${c}` as const), ...EVENT_COLUMNS])
    .where('d.id', '=', deliveryId));
const deliveryEventOf = prepared((db, deliveryId: string) =>
  db.selectFrom('webhook_deliveries as d').innerJoin('events as ev', 'ev.id', 'd.event_id').select([...DELIVERY_COLUMNS, ...EVENT_COLUMNS]).where('d.id', '=', deliveryId));
const attemptEndpointOf = prepared((db, id: string) => db.selectFrom('webhook_endpoints').select([...ENDPOINT_COLUMNS]).where('id', '=', id));
const cachedEndpoint = rowCache<Pick<WebhookEndpointsTable, (typeof ENDPOINT_COLUMNS)[number]>>('webhook_endpoints');

/** A delivery as an attempt reads it: the delivery's state, its endpoint's and its event's. */
export type AttemptRow = NonNullable<Awaited<ReturnType<typeof attemptOf>>[number]>;

/** Finds an endpoint by id alone (the worker's view). */
export async function findEndpointById(db: Db, id: string) {
  return (await endpointById(db, id))[0];
}
const endpointById = prepared((db, id: string) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id));

/** A page (limit + 1 rows) of an endpoint's deliveries, newest first, optionally of one status, after the cursor. */
export async function listDeliveries(db: Db, workspaceId: string, endpointId: string, limit: number, status?: DeliveryStatus, cursor?: Cursor) {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('endpoint_id', '=', endpointId);
  if (status) query = query.where('status', '=', status);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Every attempt of these deliveries, in attempt order. */
export async function attemptsOf(db: Db, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('delivery_id').orderBy('attempt').orderBy('id').execute();
}

/** Records attempts in one statement. */
export async function insertAttempts(db: Db, rows: Omit<WebhookAttemptsTable, 'id'>[]): Promise<void> {
  await insertRows(db, 'webhook_attempts', rows);
}

/** Writes a delivery's changed columns (pipelined in a PostgreSQL transaction: sent with its next statement or its commit). */
export async function updateDelivery(db: Db, id: string, changes: Partial<Omit<WebhookDeliveriesTable, 'id' | 'workspace_id' | 'endpoint_id' | 'event_id'>>): Promise<void> {
  await db.executeQuery(pipelined(db.updateTable('webhook_deliveries').set(changes).where('id', '=', id)));
}

/**
 * Records a successful attempt on a delivery still at `attemptCount` attempts (succeeded if still pending; a delivery
 * failed meanwhile keeps its status), in one statement; false when it moved on or is gone (the attempt was stale).
 */
export async function recordDeliverySuccess(db: Db, id: string, attemptCount: number, statusCode: number | null, at: string): Promise<boolean> {
  return (await deliverySuccess(db, attemptCount + 1, statusCode, at, id, attemptCount)).length === 1;
}
const deliverySuccess = prepared((db, attempts: number, statusCode: number | null, at: string, id: string, before: number) =>
  db.updateTable('webhook_deliveries').set((eb) => ({
    attempt_count: attempts, last_status_code: statusCode, last_error: null, updated_at: at,
    status: eb.case().when('status', '=', 'pending').then(sql.lit<DeliveryStatus>('succeeded')).else(eb.ref('status')).end(),
    next_attempt_at: eb.case().when('status', '=', 'pending').then(null).else(eb.ref('next_attempt_at')).end(),
  })).where('id', '=', id).where('attempt_count', '=', before).returning('id'));

/** A delivery by id with its endpoint's state (failing_since, enabled), in one read; undefined when either is gone. */
export async function findDeliveryWithEndpoint(db: Db, id: string) {
  return (await deliveryWithEndpoint(db, id))[0];
}
const deliveryWithEndpoint = prepared((db, id: string) =>
  db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id').selectAll('d')
    .select(['e.failing_since as endpoint_failing_since', 'e.enabled as endpoint_enabled']).where('d.id', '=', id));
