import type { Db } from '../db/connect.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { typeListCovers } from './types.ts';

/** An event as it was stored, as subscribers receive it (payload is the stored JSON text). */
export interface RecordedEvent {
  id: string;
  workspace_id: string;
  type: string;
  payload: string;
  created_at: string;
}

/** What recording an event needs: the queue its follow-up jobs go to, and the subscribers it is handed to. */
export interface EventBus {
  queue: JobQueue;
  subscribers: readonly EventSubscriber[];
}

/**
 * A listener of recorded events (webhooks first; automations and the inbox next): it declares the event types it
 * wants and is handed each batch of them in the transaction that recorded them, so what it writes commits with the event.
 */
export interface EventSubscriber {
  /** A short name for logs and docs (webhooks, automations …). */
  name: string;
  /** The event types it wants (`custom.*` for every custom event), or '*' for every type, present and future. */
  types: readonly string[] | '*';
  /** Runs in the events' transaction with the events of its types, in the order they were recorded. */
  handle(trx: Db, queue: JobQueue, workspaceId: string, events: RecordedEvent[]): Promise<void>;
}

/** True when a subscriber's declared types cover this event type. */
export function wants(subscriber: EventSubscriber, type: string): boolean {
  return subscriber.types === '*' || typeListCovers(subscriber.types, type);
}

/**
 * Hands recorded events of one workspace to every subscriber of the bus, in the bus's order, each with the events of
 * its types in the order they were recorded (a subscriber none of them concerns is not called). Runs in `trx`: a
 * subscriber that throws rolls back the events with everything else the transaction wrote.
 */
export async function handToSubscribers(trx: Db, bus: EventBus, workspaceId: string, events: RecordedEvent[]): Promise<void> {
  for (const subscriber of bus.subscribers) {
    const mine = subscriber.types === '*' ? events : events.filter((e) => wants(subscriber, e.type));
    if (mine.length > 0) await subscriber.handle(trx, bus.queue, workspaceId, mine);
  }
}
