import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Deps } from './deps.ts';
import { SecretBox } from './lib/secret-box.ts';
import { allSubscribers, buildTasks } from './modules.ts';
import { createMetrics, type Metrics } from './system/metrics.ts';
import { WEBHOOK_LANE } from './webhooks/delivery-job.ts';
import type { JobQueue, Task } from './jobs/queue.ts';
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

/** The embedded store's runners: one lane worker for message work, one for webhook deliveries (neither starves the other). */
export function sqliteRunners(deps: Deps, queue: SqliteQueue, tasks: Record<string, Task> = buildTasks(deps)): Workers {
  const { config, log } = deps;
  return new Workers([
    new Worker({ queue, tasks, concurrency: config.workerConcurrency, log }),
    new Worker({ queue, tasks, lane: WEBHOOK_LANE, concurrency: config.webhookConcurrency, log }),
  ]);
}
