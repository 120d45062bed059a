import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Deps } from './deps.ts';
import { SecretBox } from './lib/secret-box.ts';
import { allSubscribers, buildTasks } from './modules.ts';
import { createMetrics, type Metrics } from './system/metrics.ts';
import { WEBHOOK_LANE } from './webhooks/delivery-job.ts';
import { DEFAULT_LANE, type JobQueue, type Task } from './jobs/queue.ts';
import type { SqliteQueue } from './jobs/sqlite-queue.ts';
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
}

/** The dependencies every domain's routes and tasks are built from, over an open store and its queue. */
export function buildDeps(parts: DepsParts): Deps {
  const { store, queue, config, log, secretKey } = parts;
  return {
    db: store.db, writer: store.writer, queue, subscribers: allSubscribers(), config,
    metrics: parts.metrics ?? createMetrics(), log, secrets: new SecretBox(secretKey),
  };
}

/** Every lane of the embedded store, in the order its runners start. */
export const ALL_LANES: readonly string[] = [DEFAULT_LANE, WEBHOOK_LANE];

/**
 * With the job thread on, the lanes the API thread runs: webhook calls (deliveries and automations' calls) wait on
 * HTTP and take little CPU, and their engine (per-endpoint slots, breakers) is the one the API's test event uses.
 */
export const API_THREAD_LANES: readonly string[] = [WEBHOOK_LANE];

/** With the job thread on, the lanes the job thread runs: every other one (message work and its throttle). */
export const JOB_THREAD_LANES: readonly string[] = ALL_LANES.filter((lane) => !API_THREAD_LANES.includes(lane));

/**
 * The embedded store's runners: one lane worker per lane of `lanes` (message work, webhook deliveries: neither
 * starves the other).
 */
export function sqliteRunners(deps: Deps, queue: SqliteQueue, lanes: readonly string[] = ALL_LANES, tasks: Record<string, Task> = buildTasks(deps)): Workers {
  const { config, log } = deps;
  const concurrency: Record<string, number> = { [DEFAULT_LANE]: config.workerConcurrency, [WEBHOOK_LANE]: config.webhookConcurrency };
  return new Workers(lanes.map((lane) => new Worker({ queue, tasks, lane, concurrency: concurrency[lane]!, log })));
}
