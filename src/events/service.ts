import type { Db } from '../db/connect.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { fanOutEvents } from '../webhooks/fanout.ts';
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
 * and the new-events signal (sent on commit; the caller also calls queue.notify() after commit). Returns the event id.
 */
export async function recordEvent(trx: Db, queue: JobQueue, workspaceId: string, type: EventType, payload: unknown): Promise<string> {
  const [id] = await recordEvents(trx, queue, workspaceId, [{ type, payload, created_at: nowIso() }]);
  return id;
}

/** An event to record with recordEvents: its type, its payload and when it happened. */
export interface NewEvent {
  type: EventType;
  payload: unknown;
  created_at: string;
}

/** recordEvent for many events of one workspace at once, in order (multi-row inserts, one endpoint lookup, one signal); returns their ids. */
export async function recordEvents(trx: Db, queue: JobQueue, workspaceId: string, events: NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => ({ id: newId(), workspace_id: workspaceId, type: e.type, payload: JSON.stringify(e.payload), created_at: e.created_at }));
  await insertRows(trx, 'events', rows);
  await fanOutEvents(trx, queue, workspaceId, rows);
  await queue.signals.recorded(trx, workspaceId);
  return rows.map((r) => r.id);
}
