import pg from 'pg';
import { sealPlaintextWebhookSecrets } from './webhooks/secrets.ts';
import pino from 'pino';
import type { Config } from './config.ts';
import { connectStore, type Store } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import { SqliteQueue } from './jobs/sqlite-queue.ts';
import { Worker, Workers } from './jobs/worker.ts';
import type { JobQueue } from './jobs/queue.ts';
import { PgQueue } from './jobs/pg-queue.ts';
import { DEFAULT_LANE, PgRunners } from './jobs/pg-runner.ts';
import { openJobQueue } from './jobs/open-queue.ts';
import { WEBHOOK_LANE } from './webhooks/delivery-job.ts';
import { buildWorkerApp } from './system/worker-app.ts';
import { buildApp } from './app.ts';
import { allSubscribers, buildTasks, taskLanes } from './modules.ts';
import { closeProviders } from './providers/index.ts';
import { createMetrics } from './system/metrics.ts';
import { bootstrap } from './bootstrap.ts';
import { loadSecretKey, SecretBox } from './lib/secret-box.ts';
import { applyServerLimits } from './system/server-limits.ts';

/** The job runners of a process, started and stopped together. */
export interface JobRunners {
  /** Starts taking jobs. */
  start(): void | Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** A running Beckon: its app (not yet listening), worker and dependencies. */
export interface Runtime {
  /** The HTTP app: the whole API (roles api and all) or only /healthz, /readyz and /metrics (role worker). */
  app: App;
  deps: Deps;
  /** The job runners: one for message work, one for webhook deliveries (so neither can starve the other); idle in role api. */
  worker: JobRunners;
  queue: JobQueue;
  /** The open store (its kind, and on PostgreSQL its pool and URL). */
  store: Store;
  /** The admin key created on first start (null when the store already existed or a bootstrap key was given). */
  createdKey: string | null;
  /** The one-time link that creates and signs in the first admin user, issued on first start (null otherwise, or with BECKON_BOOTSTRAP_ADMIN_EMAIL). */
  adminLink: string | null;
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
  const { createdKey, adminLink } = await store.withStartupLock(async () => {
    await migrateToLatest(db);
    return bootstrap(db, config);
  });
  // On PostgreSQL the queue is graphile-worker's (its own pool: fetching jobs never waits behind the API's queries).
  const jobPool = store.kind === 'postgres' ? new pg.Pool({ connectionString: store.databaseUrl!, max: config.databasePoolSize }) : null;
  jobPool?.on('error', (err) => log.warn({ err }, 'job queue connection lost; the pool replaces it'));
  jobPool?.on('connect', (client) => client.on('error', (err) => log.warn({ err }, 'job queue connection error')));
  const lanes = taskLanes();
  const queue = await openJobQueue(store, config.workerSchema, log, lanes, jobPool);
  const deps: Deps = { db, writer, queue, subscribers: allSubscribers(), config, metrics: createMetrics(), log, secrets: new SecretBox(secretKey.key) };
  const sealed = await sealPlaintextWebhookSecrets(db, deps.secrets);
  if (sealed > 0) log.info({ endpoints: sealed }, 'sealed webhook signing secrets stored in plaintext');
  const app = config.role === 'worker' ? await buildWorkerApp(deps) : await buildApp(deps);
  applyServerLimits(app.server, config);
  const tasks = buildTasks(deps);
  const worker: JobRunners = queue instanceof PgQueue
    ? new PgRunners({
      pool: jobPool!, queue, tasks, lanes, log,
      concurrency: { [DEFAULT_LANE]: config.workerConcurrency, [WEBHOOK_LANE]: config.webhookConcurrency },
      // each idle worker polls for jobs that became due: ~32 queries/s for messages (paced sends come back on time),
      // ~26/s for the many webhook workers, whose retries wait seconds to hours anyway
      pollMs: { [DEFAULT_LANE]: 1000, [WEBHOOK_LANE]: 5000 },
    })
    : new Workers([
      new Worker({ queue, tasks, concurrency: config.workerConcurrency, log }),
      new Worker({ queue, tasks, lane: WEBHOOK_LANE, concurrency: config.webhookConcurrency, log }),
    ]);
  if (options.worker !== false && config.role !== 'api') {
    if (queue instanceof SqliteQueue) await queue.releaseAll();
    await worker.start();
  }
  let stopped = false;
  return {
    app, deps, worker, queue, store, createdKey, adminLink,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets would hold close() open for the keep-alive timeout (72 s): close each one as soon as it is idle.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close().finally(() => clearInterval(reaper));
      await worker.stop();
      await queue.signals.close();
      await jobPool?.end();
      await closeProviders(deps);
      await store.close();
    },
  };
}
