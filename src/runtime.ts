import pino from 'pino';
import type { Config } from './config.ts';
import { connectStore, type Store } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import { SqliteQueue } from './jobs/sqlite-queue.ts';
import { Worker, Workers } from './jobs/worker.ts';
import { DELIVER_WEBHOOK_TASK } from './webhooks/engine.ts';
import { buildApp } from './app.ts';
import { buildTasks } from './tasks.ts';
import { closeProviders } from './providers/index.ts';
import { createMetrics } from './system/metrics.ts';
import { bootstrap } from './bootstrap.ts';
import { loadSecretKey, SecretBox } from './lib/secret-box.ts';

/** The lane of webhook delivery jobs. */
export const WEBHOOK_LANE = 'webhooks';

/** A running Beckon: its app (not yet listening), worker and dependencies. */
export interface Runtime {
  app: App;
  deps: Deps;
  /** The job workers: one for message work, one for webhook deliveries (so neither can starve the other). */
  worker: Workers;
  queue: SqliteQueue;
  /** The open store (its kind, and on PostgreSQL its pool and URL). */
  store: Store;
  /** The admin key created on first start (null when the store already existed or a bootstrap key was given). */
  createdKey: string | null;
  /** Stops taking work, drains in-flight jobs and requests, closes the store. */
  stop(): Promise<void>;
}

/** Opens the store, migrates, bootstraps the default workspace, builds the app and starts the worker. */
export async function startRuntime(config: Config, options: { logger?: pino.Logger; worker?: boolean } = {}): Promise<Runtime> {
  const log = options.logger ?? pino({ level: config.logLevel });
  const secretKey = loadSecretKey(config.secretKey, config.dataDir);
  if (secretKey.created) log.info({ path: secretKey.source }, 'generated the key that encrypts channel secrets: back it up with the store (or set BECKON_SECRET_KEY)');
  if (secretKey.exposed) log.warn({ path: secretKey.source }, 'the secret key file is readable by other users: chmod 600 it');
  const store = connectStore(config);
  const { db, writer } = store;
  // Processes starting together against one PostgreSQL migrate and bootstrap one at a time.
  const { createdKey } = await store.withStartupLock(async () => {
    await migrateToLatest(db);
    return bootstrap(db, config.bootstrapKey);
  });
  // TODO(pg-queue): on PostgreSQL (store.kind === 'postgres') take the queue from src/jobs/pg-queue.ts (graphile-worker);
  // until then the jobs-table queue below also runs on PostgreSQL (one process only).
  const queue = new SqliteQueue(db, writer, { [DELIVER_WEBHOOK_TASK]: WEBHOOK_LANE });
  const deps: Deps = { db, writer, queue, config, metrics: createMetrics(), log, secrets: new SecretBox(secretKey.key) };
  const app = await buildApp(deps);
  const tasks = buildTasks(deps);
  const worker = new Workers([
    new Worker({ queue, tasks, concurrency: config.workerConcurrency, log }),
    new Worker({ queue, tasks, lane: WEBHOOK_LANE, concurrency: config.webhookConcurrency, log }),
  ]);
  if (options.worker !== false) {
    await queue.releaseAll();
    worker.start();
  }
  let stopped = false;
  return {
    app, deps, worker, queue, store, createdKey,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets would hold close() open for the keep-alive timeout (72 s): close each one as soon as it is idle.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close().finally(() => clearInterval(reaper));
      await worker.stop();
      await closeProviders(deps);
      await store.close();
    },
  };
}
