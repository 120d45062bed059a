import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Deps } from './deps.ts';
import { SecretBox } from './lib/secret-box.ts';
import { allSubscribers, buildTasks } from './modules.ts';
import { createMetrics, type Metrics } from './system/metrics.ts';
import { JOB_THREAD_WEBHOOK_LANE, WEBHOOK_LANE } from './webhooks/delivery-job.ts';
import { DEFAULT_LANE, type JobQueue, type Task } from './jobs/queue.ts';
import type { Dealer, SqliteQueue } from './jobs/sqlite-queue.ts';
import { dealByLoad, readLoad } from './jobs/thread-load.ts';
import { API_PARTY, JOB_PARTY } from './jobs/worker-thread-host.ts';
import { Worker, Workers } from './jobs/worker.ts';

/** The job runners of a process (or of its job thread), started and stopped together. */
export interface JobRunners {
  /** Starts taking jobs. */
  start(): void | Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** What startRuntime and the job thread both wire their dependencies from. */
export interface DepsParts {
  store: Store;
  queue: JobQueue;
  config: Config;
  log: FastifyBaseLogger;
  /** The key that seals channel secrets (loaded once, by the main thread). */
  secretKey: Buffer;
  metrics?: Metrics;
  /** With the job thread on, the webhook calls this thread makes at once (threadWebhookSlots); absent, BECKON_WEBHOOK_CONCURRENCY. */
  webhookSlots?: number;
}

/** The dependencies every domain's routes and tasks are built from, over an open store and its queue. */
export function buildDeps(parts: DepsParts): Deps {
  const { store, queue, config, log, secretKey } = parts;
  return {
    db: store.db, writer: store.writer, queue, subscribers: allSubscribers(), config,
    metrics: parts.metrics ?? createMetrics(), log, secrets: new SecretBox(secretKey), webhookSlots: parts.webhookSlots,
  };
}

/** Every lane of the embedded store's runners on one thread, in the order they start. */
export const ALL_LANES: readonly string[] = [DEFAULT_LANE, WEBHOOK_LANE];

/**
 * With the job thread on, the lanes the API thread runs: the webhook calls (deliveries and automations' calls) of the
 * events it records, and half of the job thread's; their engine (per-endpoint slots, breakers) is also the one the
 * API's test event uses.
 */
export const API_THREAD_LANES: readonly string[] = [WEBHOOK_LANE];

/** With the job thread on, the lanes the job thread runs: message work and its throttle, and its half of its webhook calls. */
export const JOB_THREAD_LANES: readonly string[] = [DEFAULT_LANE, JOB_THREAD_WEBHOOK_LANE];

/**
 * How the job thread's queue deals its webhook calls: over the API thread's webhook lane and its own, half to each
 * unless the API thread is the busier thread (the threads' utilization, published into `loads` by party).
 */
export function jobThreadSpread(loads: SharedArrayBuffer): Record<string, Dealer> {
  return { [WEBHOOK_LANE]: dealByLoad(WEBHOOK_LANE, JOB_THREAD_WEBHOOK_LANE, () => readLoad(loads, API_PARTY), () => readLoad(loads, JOB_PARTY)) };
}

/** With the job thread on, the webhook calls each thread makes at once: half of the process's (BECKON_WEBHOOK_CONCURRENCY). */
export function threadWebhookSlots(config: Config): number {
  return Math.max(1, Math.ceil(config.webhookConcurrency / 2));
}

/**
 * The embedded store's runners: one lane worker per lane of `lanes` (message work, webhook deliveries: neither
 * starves the other).
 */
export function sqliteRunners(deps: Deps, queue: SqliteQueue, lanes: readonly string[] = ALL_LANES, tasks: Record<string, Task> = buildTasks(deps)): Workers {
  const { config, log } = deps;
  const concurrency = (lane: string) => (lane === DEFAULT_LANE ? config.workerConcurrency : deps.webhookSlots ?? config.webhookConcurrency);
  return new Workers(lanes.map((lane) => new Worker({ queue, tasks, lane, concurrency: concurrency(lane), log })));
}
