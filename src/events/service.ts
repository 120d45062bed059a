import type { Db } from '../db/connect.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { fanOutEvent } from '../webhooks/fanout.ts';
import { insertRows } from '../db/prepared.ts';

/** Every event type a webhook endpoint may subscribe to. */
export const EVENT_TYPES = [
  'message_created',
  'message_status_updated',
  'contact_created',
  'contact_updated',
  'contact_deleted',
  'contact_opted_in',
  'contact_opted_out',
  'message_opened',
  'link_clicked',
  'campaign_started',
  'campaign_completed',
] as const;

/** One of EVENT_TYPES. */
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Stores a domain event in `trx` and, in the same transaction, one delivery job per subscribed webhook endpoint
 * (the caller calls queue.notify() after commit). Returns the event id.
 */
export async function recordEvent(trx: Db, queue: JobQueue, workspaceId: string, type: EventType, payload: unknown): Promise<string> {
  const id = newId();
  await insertRows(trx, 'events', [{ id, workspace_id: workspaceId, type, payload: JSON.stringify(payload), created_at: nowIso() }]);
  await fanOutEvent(trx, queue, { id, workspace_id: workspaceId, type });
  return id;
}

/**
 * Stores many events of one type in `trx` with one multi-row insert, then fans each out to the subscribed webhook
 * endpoints (stopping at the first that no endpoint wants: they all share workspace and type). Returns their ids.
 */
export async function recordEvents(trx: Db, queue: JobQueue, workspaceId: string, type: EventType, payloads: unknown[]): Promise<string[]> {
  const at = nowIso();
  const rows = payloads.map((payload) => ({ id: newId(), workspace_id: workspaceId, type, payload: JSON.stringify(payload), created_at: at }));
  for (let i = 0; i < rows.length; i += 1000) await insertRows(trx, 'events', rows.slice(i, i + 1000));
  for (const row of rows) if ((await fanOutEvent(trx, queue, { id: row.id, workspace_id: workspaceId, type })) === 0) break;
  return rows.map((row) => row.id);
}
