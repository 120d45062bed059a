import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import { invalidField } from '../errors.ts';
import type { Cursor } from '../lib/cursor.ts';
import { ALL_CUSTOM_EVENTS, eventBody, isCustomEventType } from './types.ts';
import * as q from './queries.ts';

/** Tunables of the event stream: heartbeat comment period, fallback poll period (writes this process was not told of), rows read per query. */
export const STREAM_SETTINGS = { heartbeatMs: 15_000, pollMs: 2_000, batch: 500 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a stream starts: after the event named by Last-Event-ID (an event purged since is placed by its UUID v7 time),
 * or after the workspace's newest event when none is given; 400 naming `field` for an id that is not an event id.
 */
export async function startPosition(db: Db, workspaceId: string, lastEventId: string | undefined, field: string): Promise<Cursor> {
  if (lastEventId === undefined || lastEventId.trim() === '') return (await q.latestPosition(db, workspaceId)) ?? { at: '', id: '' };
  const id = lastEventId.trim().toLowerCase();
  const match = UUID.exec(id);
  if (!match || match[1] !== '7') throw invalidField(field, 'is not an event id (the id: of an event this stream sent)');
  const stored = await q.positionOf(db, workspaceId, id);
  if (stored) return stored;
  return { at: new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toISOString(), id };
}

/** One Server-Sent Events frame: id = event id, event = type, data = the webhook body. */
export function sseFrame(row: q.EventRow): string {
  return `id: ${row.id}\nevent: ${row.type}\ndata: ${eventBody(row)}\n\n`;
}

/** One open stream: sends the workspace's events after its position, whenever it is kicked. */
class Subscriber {
  private running = false;
  private dirty = false;
  private ended = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly db: Db;
  private readonly log: FastifyBaseLogger;
  readonly workspaceId: string;
  private readonly types: ReadonlySet<string>;
  private readonly res: ServerResponse;
  private position: Cursor;
  readonly done: Promise<void>;

  constructor(db: Db, log: FastifyBaseLogger, workspaceId: string, types: readonly string[], res: ServerResponse, position: Cursor, onEnd: () => void) {
    this.db = db;
    this.log = log;
    this.workspaceId = workspaceId;
    this.types = new Set(types);
    this.res = res;
    this.position = position;
    this.heartbeat = setInterval(() => { if (!res.writableNeedDrain) res.write(': heartbeat\n\n'); }, STREAM_SETTINGS.heartbeatMs);
    this.done = new Promise((resolve) => res.once('close', () => {
      this.ended = true;
      clearInterval(this.heartbeat);
      onEnd();
      resolve();
    }));
  }

  /** Asks for a read of new events (coalesced: at most one read runs, and one more follows if kicked meanwhile). */
  kick(): void {
    this.dirty = true;
    if (!this.running && !this.ended) void this.pump();
  }

  /** Ends the response (shutdown). */
  end(): void {
    if (!this.ended) this.res.end();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty && !this.ended) {
        this.dirty = false;
        const rows = await q.eventsAfter(this.db, this.workspaceId, this.position, STREAM_SETTINGS.batch);
        for (const row of rows) {
          if (this.ended) return;
          this.position = { at: row.created_at, id: row.id };
          if ((this.types.has(row.type) || (isCustomEventType(row.type) && this.types.has(ALL_CUSTOM_EVENTS))) && !this.res.write(sseFrame(row))) await this.drained();
        }
        if (rows.length === STREAM_SETTINGS.batch) this.dirty = true;
      }
    } catch (err) {
      if (!this.ended) {
        this.log.warn({ err }, 'event stream read failed; closing the stream (the client resumes with Last-Event-ID)');
        this.res.end();
      }
    } finally {
      this.running = false;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { this.res.off('drain', done); this.res.off('close', done); resolve(); };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}

/**
 * The open event streams of one app. New events are found by reading the events table after each stream's
 * (created_at, id) position when the queue's event signal fires (SQLite: this process notified after commit;
 * PostgreSQL: a NOTIFY from any process, naming the workspace), and every STREAM_SETTINGS.pollMs as a fallback;
 * no event is held in memory.
 */
export class EventStreams {
  private readonly subscribers = new Set<Subscriber>();
  private readonly deps: Deps;
  private unsubscribe: (() => void) | null = null;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(deps: Deps) {
    this.deps = deps;
    this.unsubscribe = deps.queue.signals.onNewEvents((workspaceId) => this.signal(workspaceId));
  }

  /** Number of open streams. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Kicks the open streams of `workspaceId` (every stream when not given) to read what was committed since their position. */
  signal(workspaceId: string | null = null): void {
    for (const s of this.subscribers) if (workspaceId === null || s.workspaceId === workspaceId) s.kick();
  }

  /** Takes over the reply and streams the workspace's events of `types` after `position` until the client leaves or the app closes. */
  async open(reply: FastifyReply, workspaceId: string, types: readonly string[], position: Cursor): Promise<void> {
    if (this.closed) throw new Error('the event streams are closed');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const subscriber = new Subscriber(this.deps.db, this.deps.log, workspaceId, types, res, position, () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.poll) {
        clearInterval(this.poll);
        this.poll = undefined;
      }
    });
    this.subscribers.add(subscriber);
    if (!this.poll) {
      this.poll = setInterval(() => this.signal(), STREAM_SETTINGS.pollMs);
      this.poll.unref();
    }
    subscriber.kick();
    await subscriber.done;
  }

  /** Ends every open stream and stops listening (app shutdown). */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    for (const s of [...this.subscribers]) s.end();
  }
}

const byDeps = new WeakMap<Deps, EventStreams>();

/** The one EventStreams of these deps (created on first use): the routes open streams on it; a writer may signal() it. */
export function eventStreams(deps: Deps): EventStreams {
  let streams = byDeps.get(deps);
  if (!streams) {
    streams = new EventStreams(deps);
    byDeps.set(deps, streams);
  }
  return streams;
}
