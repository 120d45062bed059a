import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { Writer } from './db/group-commit.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { EventSubscriber } from './events/subscribers.ts';
import type { Metrics } from './system/metrics.ts';
import type { SecretBox } from './lib/secret-box.ts';

/** What every domain's routes and tasks are built from; wired once in runtime.ts. */
export interface Deps {
  db: Db;
  /** Runs a unit of writes in a transaction (on SQLite shared with concurrent units: one durable commit for many); use it on hot paths. */
  writer: Writer;
  queue: JobQueue;
  /** Every module's event subscribers (webhooks …), handed each recorded event of their types in its transaction; with `queue` this is the EventBus recordEvent takes. */
  subscribers: readonly EventSubscriber[];
  config: Config;
  metrics: Metrics;
  log: FastifyBaseLogger;
  /** Seals and opens channel secrets (AES-256-GCM, key from BECKON_SECRET_KEY or the data directory's secret.key). */
  secrets: SecretBox;
  /** The webhook calls this thread makes at once (its webhook lanes' slots) when not config.webhookConcurrency: the job thread and the API thread each make half. */
  webhookSlots?: number;
}
