import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Store } from './db/connect.ts';
import { PgQueue } from './jobs/pg-queue.ts';
import { migrateWorkerSchema } from './jobs/pg-runner.ts';
import { PgEventSignals } from './jobs/pg-signals.ts';
import { SqliteQueue } from './jobs/sqlite-queue.ts';
import { DELIVER_WEBHOOK_TASK } from './webhooks/engine.ts';

/** The lane of webhook delivery jobs. */
export const WEBHOOK_LANE = 'webhooks';

/** Tasks that run in a lane of their own (its own workers), so a backlog there never starves message work. */
export const JOB_LANES: Record<string, string> = { [DELIVER_WEBHOOK_TASK]: WEBHOOK_LANE };

/**
 * The store's job queue: graphile-worker's on PostgreSQL (its schema installed through `pool`, under its own advisory
 * lock, since every process enqueues), the jobs table on SQLite. Close it with `queue.signals.close()`.
 */
export async function openJobQueue(store: Store, workerSchema: string, log: FastifyBaseLogger, pool: pg.Pool | null = store.pool): Promise<PgQueue | SqliteQueue> {
  if (store.kind === 'postgres') {
    await migrateWorkerSchema(pool!, workerSchema, log);
    return new PgQueue(store.db, workerSchema, new PgEventSignals(store.databaseUrl!, log));
  }
  return new SqliteQueue(store.db, store.writer, JOB_LANES);
}
