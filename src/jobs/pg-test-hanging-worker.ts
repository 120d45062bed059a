import pg from 'pg';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../db/types.ts';
import { PgQueue } from './pg-queue.ts';
import { DEFAULT_LANE, PgRunners } from './pg-runner.ts';
import { LocalEventSignals } from './signals.ts';
import { EventEmitter } from 'node:events';

// A worker process for the crash test: runs the task `hang` (which never finishes) from the queue at argv[2]
// (database URL) / argv[3] (schema), prints "running" when it started, and waits to be killed.
const [url, schema] = process.argv.slice(2);
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => {});
pool.on('connect', (client) => client.on('error', () => {}));
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
const queue = new PgQueue(db, schema, new LocalEventSignals(new EventEmitter()));
const runners = new PgRunners({
  pool, queue, log, lanes: {}, concurrency: { [DEFAULT_LANE]: 1 }, sweepMs: 0,
  tasks: { hang: () => { process.stdout.write('running\n'); return new Promise(() => {}); } },
});
await runners.start();
