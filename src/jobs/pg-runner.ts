import { EventEmitter } from 'node:events';
import pg from 'pg';
import { Logger, run, runMigrations, type Runner, type Task as GraphileTask, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { FastifyBaseLogger } from 'fastify';
import { DEFAULT_LANE, RetryLater, type Task } from './queue.ts';
import { installSilentAddJobs, PgQueue, unwrapPayload, wrapPayload } from './pg-queue.ts';
import { PoolMarker, sweepOrphanedJobs } from './pg-sweeper.ts';

export { DEFAULT_LANE };

/** Options of the graphile-worker runners of one process. */
export interface PgRunnersOptions {
  /** The pool graphile-worker fetches and completes jobs with (tasks use their own Db). */
  pool: pg.Pool;
  queue: PgQueue;
  tasks: Record<string, Task>;
  /** Task name → lane; unlisted tasks run in DEFAULT_LANE. */
  lanes: Record<string, string>;
  /** Jobs each lane runs at once, by lane name. */
  concurrency: Record<string, number>;
  log: FastifyBaseLogger;
  /**
   * How often each idle worker of a lane looks for jobs that became due (run_at in the future when added); new jobs
   * are announced by NOTIFY. By lane name; default 1000 ms. An idle lane costs concurrency / pollMs queries a second.
   */
  pollMs?: Record<string, number>;
  /** How often jobs locked by a dead process are released (ms; default 5000; 0 disables). */
  sweepMs?: number;
}

/** Maps graphile-worker's log levels onto pino's (its per-job info lines become debug). */
function graphileLogger(log: FastifyBaseLogger): Logger {
  return new Logger(() => (level, message, meta) => {
    const fields = { ...meta, component: 'graphile-worker' };
    if (level === 'error') log.error(fields, message);
    // runners share a small pool on purpose: fetching and completing jobs is brief, tasks use the store's pool
    else if (level === 'warning' && message.startsWith('WARNING: having maxPoolSize')) log.debug(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.debug(fields, message);
    else log.trace(fields, message);
  });
}

/**
 * Wraps a Beckon task for graphile-worker: the attempt and max attempts count the attempts of the jobs it was
 * rescheduled from; RetryLater adds a fresh job (same payload, run_at = now + delay, the remaining attempts,
 * job_key `retry:<first job id>`) and completes this one, so no failed attempt is counted; any other throw
 * is a failed attempt retried with graphile-worker's backoff (exp(attempts) seconds) until max attempts.
 */
export function graphileTask(name: string, task: Task, queue: PgQueue): GraphileTask {
  return async (stored, helpers) => {
    const { job } = helpers;
    const { payload, attemptsUsed } = unwrapPayload(stored);
    const context = { attempt: attemptsUsed + job.attempts, maxAttempts: attemptsUsed + job.max_attempts };
    try {
      await task(payload, context);
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
      const used = context.attempt - 1;
      await helpers.withPgClient((client) => queue.addWithClient(client, {
        task: name,
        payload: wrapPayload(payload, used),
        runAt: new Date(Date.now() + err.delayMs),
        maxAttempts: context.maxAttempts - used,
        jobKey: job.key ?? `retry:${job.id}`,
      }));
    }
  };
}

/** Installs or upgrades graphile-worker's schema (and Beckon's silent add_jobs beside it) under an advisory lock, so processes starting together migrate one at a time. */
export async function migrateWorkerSchema(pool: pg.Pool, schema: string, log: FastifyBaseLogger): Promise<void> {
  const client = await pool.connect();
  const lockKey = `beckon:worker-schema:${schema}`;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await runMigrations({ pgPool: pool, schema, logger: graphileLogger(log) });
      await installSilentAddJobs(client, schema);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    client.release();
  }
}

/**
 * The job runners of one process on PostgreSQL: one graphile-worker runner per lane, each fetching only its
 * lane's tasks with its own concurrency, so a backlog in one lane never holds back the other.
 */
export class PgRunners {
  private readonly options: PgRunnersOptions;
  private runners: Runner[] = [];
  private markers: PoolMarker[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private starting: Promise<void> | null = null;

  constructor(options: PgRunnersOptions) {
    this.options = options;
  }

  /** Task names by lane (every lane named in `concurrency` gets a list, maybe empty). */
  laneTasks(): Map<string, TaskList> {
    const { tasks, lanes, queue, concurrency } = this.options;
    const byLane = new Map<string, TaskList>(Object.keys(concurrency).map((lane) => [lane, {}]));
    for (const [name, task] of Object.entries(tasks)) {
      const lane = lanes[name] ?? DEFAULT_LANE;
      let list = byLane.get(lane);
      if (!list) byLane.set(lane, list = {});
      list[name] = graphileTask(name, task, queue);
    }
    return byLane;
  }

  /** Starts a runner per lane and the sweeper of dead processes' jobs (graphile-worker's schema is migrated at start-up: migrateWorkerSchema). */
  start(): Promise<void> {
    this.starting ??= this.startRunners();
    return this.starting;
  }

  private async startRunners(): Promise<void> {
    const { pool, queue, log, concurrency } = this.options;
    for (const [lane, taskList] of this.laneTasks()) {
      if (Object.keys(taskList).length === 0) continue;
      const events: WorkerEvents = new EventEmitter();
      const created = new Promise<string>((resolve) => events.once('pool:create', ({ workerPool }) => resolve(workerPool.id)));
      const slots = concurrency[lane] ?? 1;
      const runner = await run({
        pgPool: pool,
        schema: queue.schema,
        concurrency: slots,
        taskList,
        noHandleSignals: true,
        pollInterval: this.options.pollMs?.[lane] ?? 1000,
        logger: graphileLogger(log.child({ lane })),
        events,
        // completions and failures of one tick go out in one statement, and shutdown waits for the last of them
        // (unbatched, graphile-worker does not await a completion before the worker counts as released); jobs are
        // claimed in batches of the lane's concurrency (one query locks them all; the sweeper frees those of a
        // process that dies, a stopping one gives back those it has not started)
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0, ...(slots > 1 ? { localQueue: { size: slots } } : {}) } },
      });
      this.runners.push(runner);
      this.markers.push(await PoolMarker.open(pool, await created, log));
    }
    const sweepMs = this.options.sweepMs ?? 5_000;
    if (sweepMs > 0) {
      this.sweeper = setInterval(() => {
        sweepOrphanedJobs(pool, queue.schema).then((n) => {
          if (n > 0) log.warn({ jobs: n }, 'released jobs locked by a worker process that is gone; they run again');
        }, (err) => log.warn({ err }, 'could not sweep orphaned jobs'));
      }, sweepMs);
      this.sweeper.unref();
    }
  }

  /** Stops fetching jobs and waits for the running ones to finish (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => {});
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners = [];
    await Promise.all(this.markers.map((marker) => marker.close()));
    this.markers = [];
  }
}
