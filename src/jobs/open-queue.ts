import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Store } from '../db/connect.ts';
import type { PgQueue } from './pg-queue.ts';
import { SqliteQueue } from './sqlite-queue.ts';

/**
 * The store's job queue: graphile-worker's on PostgreSQL (its schema installed through `pool`, under its own advisory
 * lock, since every process enqueues), the jobs table on SQLite, which files each job in its task's lane (`lanes`:
 * taskLanes() of modules.ts). Close it with `queue.signals.close()`. The PostgreSQL modules (pg, graphile-worker) are
 * loaded only on PostgreSQL.
 */
export async function openJobQueue(store: Store, workerSchema: string, log: FastifyBaseLogger, lanes: Record<string, string>, pool: pg.Pool | null = store.pool): Promise<PgQueue | SqliteQueue> {
  if (store.kind === 'postgres') {
    const [{ PgQueue }, { migrateWorkerSchema }, { PgEventSignals }] = await Promise.all([import('./pg-queue.ts'), import('./pg-runner.ts'), import('./pg-signals.ts')]);
    await migrateWorkerSchema(pool!, workerSchema, log);
    return new PgQueue(store.db, workerSchema, new PgEventSignals(store.databaseUrl!, log));
  }
  return new SqliteQueue(store.db, store.writer, lanes);
}
