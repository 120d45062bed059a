import type { Db } from '../db/connect.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { insertRows } from '../db/prepared.ts';
import { handToSubscribers, type EventBus, type RecordedEvent } from './subscribers.ts';
import type { CustomEventType, EventType } from './types.ts';

export { EVENT_TYPES, type EventType } from './types.ts';

/**
 * Stores a domain event in `trx` and, in the same transaction, hands it to the bus's subscribers of its type (webhooks:
 * one delivery job per subscribed endpoint) and raises the new-events signal (sent on commit; the caller also calls
 * queue.notify() after commit). Returns the event id.
 */
export async function recordEvent(trx: Db, bus: EventBus, workspaceId: string, type: EventType, payload: unknown): Promise<string> {
  const [id] = await recordEvents(trx, bus, workspaceId, [{ type, payload, created_at: nowIso() }]);
  return id;
}

/** An event to record with recordEvents: its type, its payload and when it happened. */
export interface NewEvent {
  /** The id to store it under (a new UUID v7 when absent), for a caller that writes rows naming the event in the same transaction. */
  id?: string;
  type: EventType | CustomEventType;
  payload: unknown;
  created_at: string;
}

/** recordEvent for many events of one workspace at once, in order (multi-row inserts, one call per subscriber, one signal); returns their ids. */
export async function recordEvents(trx: Db, bus: EventBus, workspaceId: string, events: NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows: RecordedEvent[] = events.map((e) => ({ id: e.id ?? newId(), workspace_id: workspaceId, type: e.type, payload: JSON.stringify(e.payload), created_at: e.created_at }));
  await insertRows(trx, 'events', rows);
  await handToSubscribers(trx, bus, workspaceId, rows);
  await bus.queue.signals.recorded(trx, workspaceId);
  return rows.map((r) => r.id);
}
