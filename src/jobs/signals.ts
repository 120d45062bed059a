import type { EventEmitter } from 'node:events';
import type { Db } from '../db/connect.ts';

/** Called when events were committed: with their workspace id, or null when any workspace may have new events. */
export type NewEventsListener = (workspaceId: string | null) => void;

/** The signal that new events were committed, across every process sharing the store (live event streams wake on it). */
export interface EventSignals {
  /** Called in the transaction that records an event of `workspaceId`; the signal goes out when it commits. */
  recorded(trx: Db, workspaceId: string): Promise<void>;
  /** Calls `listener` whenever events are committed, by this process or another; returns the unsubscribe function. */
  onNewEvents(listener: NewEventsListener): () => void;
  /** Stops listening (shutdown). */
  close(): Promise<void>;
}

/**
 * Signals of the embedded store: one process owns it, and every writer of events calls queue.notify() after commit,
 * so the queue's local wake is the signal (without a workspace).
 */
export class LocalEventSignals implements EventSignals {
  private readonly wake: EventEmitter;

  /** `wake` is the SQLite queue's emitter, fired by notify(). */
  constructor(wake: EventEmitter) {
    this.wake = wake;
  }

  async recorded(): Promise<void> {}

  onNewEvents(listener: NewEventsListener): () => void {
    const onWake = () => listener(null);
    this.wake.on('wake', onWake);
    return () => this.wake.off('wake', onWake);
  }

  async close(): Promise<void> {}
}
