import { sql } from 'kysely';
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.ts';
import { AFTER_COMMIT } from '../db/pg-pipeline.ts';
import type { EventSignals, NewEventsListener } from './signals.ts';

/** The LISTEN/NOTIFY channel on which a committed event announces its workspace id. */
export const EVENTS_CHANNEL = 'beckon_events';

/**
 * Signals on PostgreSQL: `pg_notify('beckon_events', workspace_id)` sent right after the transaction recording the
 * event commits (AFTER_COMMIT: never on rollback, and never holding PostgreSQL's notify lock through the commit) and one dedicated connection per process that LISTENs,
 * opened on the first subscription and reopened when it drops (listeners then hear null: anything may be new).
 */
export class PgEventSignals implements EventSignals {
  private readonly databaseUrl: string;
  private readonly log: FastifyBaseLogger;
  private readonly listeners = new Set<NewEventsListener>();
  private readonly notified = new WeakMap<Db, Set<string>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  /** Listens with its own connection to `databaseUrl` (not one of the pool's). */
  constructor(databaseUrl: string, log: FastifyBaseLogger) {
    this.databaseUrl = databaseUrl;
    this.log = log;
  }

  async recorded(trx: Db, workspaceId: string): Promise<void> {
    // one notification per workspace and transaction is enough (PostgreSQL would fold duplicates anyway)
    if (trx.isTransaction) {
      let seen = this.notified.get(trx);
      if (!seen) this.notified.set(trx, seen = new Set());
      if (seen.has(workspaceId)) return;
      seen.add(workspaceId);
    }
    await sql`${sql.raw(AFTER_COMMIT)}select pg_notify(${EVENTS_CHANNEL}, ${workspaceId})`.execute(trx);
  }

  onNewEvents(listener: NewEventsListener): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.connecting) this.listen();
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the LISTEN connection is up (tests wait for it before writing). */
  async ready(): Promise<void> {
    if (!this.client && !this.connecting) this.listen();
    while (this.connecting) await this.connecting;
  }

  private listen(): void {
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'beckon-events-listener' });
      client.on('notification', (message) => this.emit(message.payload ?? null));
      client.on('error', (err) => {
        if (this.closed) return;
        this.log.warn({ err }, 'event signal connection lost; reconnecting (streams poll meanwhile)');
        this.client = null;
        void client.end().catch(() => {});
        setTimeout(() => { if (!this.closed && !this.connecting) this.listen(); }, 1000).unref();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        this.emit(null);
      } catch (err) {
        this.log.warn({ err }, 'cannot LISTEN for event signals; retrying in 1 s (streams poll meanwhile)');
        void client.end().catch(() => {});
        setTimeout(() => { if (!this.closed && !this.connecting) this.listen(); }, 1000).unref();
      }
    })().finally(() => { this.connecting = null; });
  }

  private emit(workspaceId: string | null): void {
    for (const listener of this.listeners) listener(workspaceId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.connecting) await this.connecting;
    const client = this.client;
    this.client = null;
    this.listeners.clear();
    await client?.end().catch(() => {});
  }
}
