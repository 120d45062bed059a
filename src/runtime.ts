import { sealPlaintextWebhookSecrets } from './webhooks/secrets.ts';
import pino from 'pino';
import type { Config } from './config.ts';
import { connectStore, type Store } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import { SqliteQueue } from './jobs/sqlite-queue.ts';
import type { JobQueue } from './jobs/queue.ts';
import { API_THREAD_LANES, buildDeps, JOB_THREAD_LANES, sqliteRunners, threadWebhookSlots, type JobRunners } from './worker-thread-shared.ts';
import { API_PARTY, JOB_PARTY, THREAD_NAMES, ThreadRunners, wantsJobThread } from './jobs/worker-thread-host.ts';
import { SharedWriteLock } from './db/shared-write-lock.ts';
import { loadBuffer, LOAD_WINDOW_MS, publishLoad, readLoad } from './jobs/thread-load.ts';
import { DEFAULT_LANE } from './jobs/queue.ts';
import { openJobQueue } from './jobs/open-queue.ts';
import { JOB_THREAD_WEBHOOK_LANE, WEBHOOK_LANE } from './webhooks/delivery-job.ts';
import { buildWorkerApp } from './system/worker-app.ts';
import { buildApp } from './app.ts';
import { buildTasks, taskLanes } from './modules.ts';
import { closeProviders } from './providers/index.ts';
import { bootstrap } from './bootstrap.ts';
import { loadSecretKey } from './lib/secret-box.ts';
import { applyServerLimits } from './system/server-limits.ts';
import { registerThreadLoadMetrics, registerWriteLockMetrics } from './system/metrics.ts';

export type { JobRunners };

/** A running Beckon: its app (not yet listening), worker and dependencies. */
export interface Runtime {
  /** The HTTP app: the whole API (roles api and all) or only /healthz, /readyz and /metrics (role worker). */
  app: App;
  deps: Deps;
  /**
   * The job runners: one for message work, one for webhook deliveries (so neither can starve the other); idle in role
   * api. With `thread` on the embedded store, a ThreadRunners running message work on a worker thread of its own,
   * started in the background (startRuntime returns while the thread still loads, and the jobs accepted meanwhile wait
   * for it), and the webhook calls on this thread.
   */
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

/** How startRuntime runs: its logger, whether it starts the job runners, and whether on a thread of their own. */
export interface RuntimeOptions {
  logger?: pino.Logger;
  /** false: build the runners but do not start them (tests start them, or not at all). */
  worker?: boolean;
  /**
   * On SQLite with role all, run the job runners on a worker thread with their own connections (`beckon start` with
   * BECKON_WORKER_THREAD, on by default); in-process callers (tests, scripts) keep them on this thread, where they can reach them.
   */
  thread?: boolean;
}

/** Opens the store, migrates, bootstraps the default workspace, builds the app and starts the worker. */
export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.logger ?? pino({ level: config.logLevel });
  const secretKey = loadSecretKey(config.secretKey, config.dataDir);
  if (secretKey.created) log.info({ path: secretKey.source }, 'generated the key that encrypts channel secrets: back it up with the store (or set BECKON_SECRET_KEY)');
  if (secretKey.exposed) log.warn({ path: secretKey.source }, 'the secret key file is readable by other users: chmod 600 it');
  const threaded = wantsJobThread(config, options);
  // the API thread and the job thread take turns on the SQLite write lock without blocking their event loops
  const lockBuffer = threaded ? SharedWriteLock.buffer() : null;
  const store = await connectStore(config, { writeLock: lockBuffer ? new SharedWriteLock(lockBuffer, API_PARTY) : undefined });
  const { db, writer } = store;
  // Processes starting together against one PostgreSQL migrate and bootstrap one at a time.
  const { createdKey, adminLink } = await store.withStartupLock(async () => {
    await migrateToLatest(db);
    return bootstrap(db, config);
  });
  // On PostgreSQL the queue is graphile-worker's (its own pool: fetching jobs never waits behind the API's queries);
  // pg and graphile-worker are loaded only then.
  const pg = store.kind === 'postgres' ? (await import('pg')).default : null;
  const jobPool = pg ? new pg.Pool({ connectionString: store.databaseUrl!, max: config.databasePoolSize }) : null;
  jobPool?.on('error', (err) => log.warn({ err }, 'job queue connection lost; the pool replaces it'));
  jobPool?.on('connect', (client) => client.on('error', (err) => log.warn({ err }, 'job queue connection error')));
  const lanes = taskLanes();
  const queue = await openJobQueue(store, config.workerSchema, log, lanes, jobPool);
  const deps: Deps = buildDeps({ store, queue, config, log, secretKey: secretKey.key, webhookSlots: lockBuffer ? threadWebhookSlots(config) : undefined });
  if (lockBuffer) {
    registerWriteLockMetrics(deps.metrics, () => SharedWriteLock.usage(lockBuffer).map((use, i) => ({ thread: THREAD_NAMES[i + 1]!, ...use })));
  }
  // PostgreSQL: the runners' tasks (built once), each with its row in graphile-worker's tasks table and its id known,
  // so jobs are added by a plain INSERT (jobs/pg-queue.ts)
  const pgTasks = queue instanceof SqliteQueue ? null : buildTasks(deps);
  if (!(queue instanceof SqliteQueue)) await queue.registerTasks(Object.keys(pgTasks!));
  const sealed = await sealPlaintextWebhookSecrets(db, deps.secrets);
  if (sealed > 0) log.info({ endpoints: sealed }, 'sealed webhook signing secrets stored in plaintext');
  const app = config.role === 'worker' ? await buildWorkerApp(deps) : await buildApp(deps);
  applyServerLimits(app.server, config);
  const runJobs = options.worker !== false && config.role !== 'api';
  // with the job thread on, both threads publish how busy they are: the job thread gives this one fewer of its webhook
  // calls while this one is the busier (thread-load.ts); it counts as busy until its first window ends, as it starts
  const loads = lockBuffer ? loadBuffer() : null;
  const stopPublishing = loads ? publishLoad(loads, API_PARTY, 1) : () => {};
  if (loads) registerThreadLoadMetrics(deps.metrics, LOAD_WINDOW_MS, () => [API_PARTY, JOB_PARTY].map((party) => ({ thread: THREAD_NAMES[party]!, utilization: readLoad(loads, party) })));
  const worker: JobRunners = !(queue instanceof SqliteQueue)
    ? new (await import('./jobs/pg-runner.ts')).PgRunners({
      pool: jobPool!, queue, tasks: pgTasks!, lanes, log,
      concurrency: { [DEFAULT_LANE]: config.workerConcurrency, [WEBHOOK_LANE]: config.webhookConcurrency },
      // each idle worker polls for jobs that became due: ~32 queries/s for messages (paced sends come back on time),
      // ~26/s for the many webhook workers, whose retries wait seconds to hours anyway
      pollMs: { [DEFAULT_LANE]: 1000, [WEBHOOK_LANE]: 5000 },
    })
    : lockBuffer
      ? new ThreadRunners({ config, secretKey: secretKey.key, queue, metrics: deps.metrics, log, lockBuffer, loadBuffer: loads!, lanes: JOB_THREAD_LANES, local: sqliteRunners(deps, queue, API_THREAD_LANES) })
      : sqliteRunners(deps, queue);
  if (runJobs) {
    // one process owns the embedded store: at its start every lock is an orphan (released before any runner starts;
    // a restarted job thread releases its own lanes' only)
    if (queue instanceof SqliteQueue) {
      await queue.releaseAll();
      // on one thread, the webhook calls an earlier run's job thread left in its lane join this thread's webhook lane
      if (!lockBuffer) await queue.refile(JOB_THREAD_WEBHOOK_LANE, WEBHOOK_LANE);
    }
    try {
      await worker.start();
    } catch (err) {
      stopPublishing();
      await app.close();
      await queue.signals.close();
      await closeProviders(deps);
      await store.close();
      throw err;
    }
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
      stopPublishing();
      await queue.signals.close();
      await jobPool?.end();
      await closeProviders(deps);
      await store.close();
    },
  };
}
