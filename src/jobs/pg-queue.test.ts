import { test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/types.ts';
import type { Db } from '../db/connect.ts';
import { waitFor } from '../../test/helpers.ts';
import { RetryLater, type Task, type TaskContext } from './queue.ts';
import { installSilentAddJobs, PgQueue, SILENT_ADD_JOBS } from './pg-queue.ts';
import { sql } from 'kysely';
import { connectPostgres } from '../db/connect-pg.ts';
import { AFTER_COMMIT } from '../db/pg-pipeline.ts';
import { PgEventSignals } from './pg-signals.ts';
import { DEFAULT_LANE, migrateWorkerSchema, PgRunners } from './pg-runner.ts';
import { PoolMarker, sweepOrphanedJobs } from './pg-sweeper.ts';
import { createPgDatabase, pgUnavailable } from '../../test/pg-fresh.ts';

const skip = (await pgUnavailable()) ?? false;
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const SCHEMA = 'beckon_worker_test';

/** A fresh database with a Kysely handle, a graphile pool and a PgQueue, all closed after the test. */
async function setup(t: { after(fn: () => Promise<void>): void }) {
  const { url, drop } = await createPgDatabase('beckon_q');
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const dbPool = new pg.Pool({ connectionString: url, max: 4 });
  dbPool.on('error', () => {}); // an idle connection ended by the server: the pool replaces it
  const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dbPool }) });
  const queue = new PgQueue(db, SCHEMA, new PgEventSignals(url, log));
  const runnersToStop: PgRunners[] = [];
  t.after(async () => {
    for (const r of runnersToStop) await r.stop();
    await queue.signals.close();
    await db.destroy();
    await pool.end();
    await drop();
  });
  const runners = (tasks: Record<string, Task>, options: { lanes?: Record<string, string>; concurrency?: Record<string, number>; pollMs?: Record<string, number> } = {}) => {
    const r = new PgRunners({ pool, queue, tasks, lanes: options.lanes ?? {}, concurrency: options.concurrency ?? { [DEFAULT_LANE]: 4 }, log, sweepMs: 0, pollMs: options.pollMs });
    runnersToStop.push(r);
    return r;
  };
  await migrateWorkerSchema(pool, SCHEMA, log);
  return { url, pool, db, queue, runners };
}

async function jobRows(pool: pg.Pool) {
  const { rows } = await pool.query(`select t.identifier as task, j.payload, j.attempts, j.max_attempts, j.locked_by, j.last_error, j.key from ${SCHEMA}._private_jobs j join ${SCHEMA}._private_tasks t on t.id = j.task_id order by j.id`);
  return rows as { task: string; payload: unknown; attempts: number; max_attempts: number; locked_by: string | null; last_error: string | null; key: string | null }[];
}

test('a job enqueued in a rolled-back transaction never exists; a committed one runs once with its payload', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  await assert.rejects(db.transaction().execute(async (trx) => {
    await queue.enqueue(trx, 'record', { n: 1 });
    throw new Error('roll back');
  }), /roll back/);
  assert.deepEqual(await jobRows(pool), []);

  await db.transaction().execute((trx) => queue.enqueue(trx, 'record', { n: 2 }, { maxAttempts: 4 }));
  const rows = await jobRows(pool);
  assert.equal(rows.length, 1);
  assert.deepEqual({ ...rows[0], locked_by: null }, { task: 'record', payload: { n: 2 }, attempts: 0, max_attempts: 4, locked_by: null, last_error: null, key: null });
  assert.deepEqual(await queue.depth().then((d) => d.depth), 1);

  const calls: [unknown, TaskContext][] = [];
  await runners({ record: async (payload, context) => { calls.push([payload, context]); } }).start();
  await waitFor('the job to complete', async () => (await jobRows(pool)).length === 0);
  assert.deepEqual(calls, [[{ n: 2 }, { attempt: 1, maxAttempts: 4 }]]);
  assert.deepEqual(await queue.depth(), { depth: 0, oldestAgeSeconds: 0 });
});

test('enqueueMany adds every job in one statement; a job with a future runAt waits', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  await db.transaction().execute((trx) => queue.enqueueMany(trx, [
    { task: 'record', payload: { n: 1 } },
    { task: 'record', payload: { n: 2 }, options: { maxAttempts: 3 } },
    { task: 'other', payload: ['x'] },
    { task: 'record', payload: { n: 3 }, options: { runAt: new Date(Date.now() + 3600_000) } },
  ]));
  const rows = await jobRows(pool);
  assert.deepEqual(rows.map((r) => JSON.stringify([r.task, r.payload, r.max_attempts])).sort(), [
    '["other",["x"],10]', '["record",{"n":1},10]', '["record",{"n":2},3]', '["record",{"n":3},10]']);
  assert.equal((await queue.depth()).depth, 4);

  const seen: unknown[] = [];
  await runners({ record: async (p) => { seen.push(p); }, other: async (p) => { seen.push(p); } }).start();
  await waitFor('the due jobs to complete', async () => (await jobRows(pool)).length === 1);
  assert.deepEqual(seen.map((p) => JSON.stringify(p)).sort(), ['["x"]', '{"n":1}', '{"n":2}']);
  assert.deepEqual((await jobRows(pool)).map((r) => r.payload), [{ n: 3 }]);
});

test('jobs of registered tasks are added by a plain insert, the same rows add_jobs writes; an unregistered task still goes through add_jobs', { skip }, async (t) => {
  const { url, db, pool, runners } = await setup(t);
  const viaFunction = new PgQueue(db, SCHEMA, new PgEventSignals(url, log)); // knows no task: add_jobs
  const jobs = (n: number) => [
    { task: 'record', payload: { n } },
    { task: 'record', payload: [n], options: { maxAttempts: 3, runAt: new Date('2030-01-02T03:04:05.678Z') } },
  ];
  try {
    await db.transaction().execute((trx) => viaFunction.enqueueMany(trx, jobs(1)));
    const registered = new PgQueue(db, SCHEMA, new PgEventSignals(url, log));
    t.after(() => registered.signals.close());
    await registered.registerTasks(['record', 'other']);
    assert.deepEqual((await pool.query(`select identifier from ${SCHEMA}._private_tasks order by identifier`)).rows.map((r) => r.identifier), ['other', 'record']);
    // without the function, the registered queue still adds its jobs, atomically with its transaction
    await pool.query(`alter function ${SCHEMA}.${SILENT_ADD_JOBS}(${SCHEMA}.job_spec[], boolean) rename to parked`);
    await assert.rejects(db.transaction().execute(async (trx) => {
      await registered.enqueueMany(trx, jobs(9));
      throw new Error('roll back');
    }), /roll back/);
    await db.transaction().execute((trx) => registered.enqueueMany(trx, jobs(2)));
    await assert.rejects(db.transaction().execute((trx) => registered.enqueue(trx, 'unknown', {})), /parked|beckon_add_jobs_silent/);
    // the queue that met 'record' unregistered read its id after that job committed: it no longer needs the function either
    await waitFor('the task ids to be read again', async () => {
      try {
        await db.transaction().execute((trx) => viaFunction.enqueue(trx, 'other', { n: 0 }));
        return true;
      } catch {
        return false;
      }
    });
    await pool.query(`alter function ${SCHEMA}.parked(${SCHEMA}.job_spec[], boolean) rename to ${SILENT_ADD_JOBS}`);
    const columns = 'task_id, payload::text, priority, run_at, attempts, max_attempts, key, locked_at, flags, job_queue_id, revision, last_error';
    const { rows } = await pool.query(`select ${columns} from ${SCHEMA}._private_jobs order by id`);
    assert.equal(rows.length, 5);
    const [a1, b1, a2, b2] = rows;
    assert.deepEqual({ ...a2, payload: null, run_at: null }, { ...a1, payload: null, run_at: null });
    assert.deepEqual({ ...b2, payload: null }, { ...b1, payload: null });
    assert.deepEqual(rows.map((r) => r.payload), ['{"n":1}', '[1]', '{"n":2}', '[2]', '{"n":0}']);
    assert.equal(b2.run_at.toISOString(), '2030-01-02T03:04:05.678Z');
    assert.deepEqual([b2.max_attempts, a2.max_attempts, a2.priority, a2.key, a2.flags, a2.job_queue_id], [3, 10, 0, null, null, null]);
    const seen: unknown[] = [];
    await runners({ record: async (p) => { seen.push(p); }, other: async (p) => { seen.push(p); } }).start();
    await waitFor('the due jobs to run', async () => seen.length === 3);
    assert.deepEqual(seen.map((p) => JSON.stringify(p)).sort(), ['{"n":0}', '{"n":1}', '{"n":2}']);
  } finally {
    await viaFunction.signals.close();
  }
});

test('RetryLater runs the job again without counting an attempt', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  const contexts: TaskContext[] = [];
  await runners({
    paced: async (payload: { n: number }, context) => {
      contexts.push(context);
      assert.deepEqual(payload, { n: 7 });
      if (contexts.length <= 3) throw new RetryLater(0, 'not yet');
    },
  }).start();
  await db.transaction().execute((trx) => queue.enqueue(trx, 'paced', { n: 7 }, { maxAttempts: 1 }));
  await waitFor('the fourth run', async () => contexts.length === 4 && (await jobRows(pool)).length === 0);
  assert.deepEqual(contexts, Array(4).fill({ attempt: 1, maxAttempts: 1 }));
});

test('a failing job retries with backoff, keeps its attempt count across RetryLater, and fails for good at maxAttempts', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  const contexts: TaskContext[] = [];
  await runners({
    flaky: async (_payload, context) => {
      contexts.push(context);
      if (contexts.length === 2) throw new RetryLater(0, 'busy');
      throw new Error(`boom ${contexts.length}`);
    },
  }).start();
  await db.transaction().execute((trx) => queue.enqueue(trx, 'flaky', { id: 'a' }, { maxAttempts: 3 }));
  // skip graphile-worker's backoff (e^attempts seconds) after each failure so the test runs quickly
  const failedAt = async (n: number) => waitFor(`failure ${n}`, async () => {
    const rows = await jobRows(pool);
    return rows.length === 1 && rows[0].locked_by === null && rows[0].last_error === `boom ${n}` && rows[0];
  });
  await failedAt(1);
  await pool.query(`update ${SCHEMA}._private_jobs set run_at = now()`);
  await failedAt(3);
  await pool.query(`update ${SCHEMA}._private_jobs set run_at = now()`);
  const last = await failedAt(4);
  assert.deepEqual(contexts, [
    { attempt: 1, maxAttempts: 3 },
    { attempt: 2, maxAttempts: 3 },
    { attempt: 2, maxAttempts: 3 },
    { attempt: 3, maxAttempts: 3 },
  ]);
  // the rescheduled job carries the attempt used before it; it is now failed for good and not runnable
  assert.equal(last.attempts, last.max_attempts);
  assert.deepEqual(last.payload, { beckon_carry: { attempts_used: 1, payload: { id: 'a' } } });
  const [view] = await queue.jobs('flaky');
  assert.deepEqual({ ...view, runAt: '', createdAt: '' }, { task: 'flaky', payload: { id: 'a' }, attempts: 3, maxAttempts: 3, runAt: '', createdAt: '', lastError: 'boom 4', failed: true });
  assert.deepEqual(await queue.jobs('other'), []);
  assert.deepEqual(await queue.depth(), { depth: 0, oldestAgeSeconds: 0 });
});

test('lanes run independently: a blocked webhook lane does not hold back message jobs', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => { release = resolve; });
  const delivering: unknown[] = [];
  const sent: unknown[] = [];
  await runners({
    deliver_webhook: async (p) => { delivering.push(p); await blocked; },
    send_message: async (p) => { sent.push(p); },
  }, { lanes: { deliver_webhook: 'webhooks' }, concurrency: { [DEFAULT_LANE]: 2, webhooks: 1 } }).start();
  try {
    // first block the webhook lane, then send: the messages must all go while it stays blocked
    await db.transaction().execute((trx) => queue.enqueueMany(trx, [
      { task: 'deliver_webhook', payload: { d: 1 } },
      { task: 'deliver_webhook', payload: { d: 2 } },
    ]));
    await waitFor('the webhook lane blocked on its first delivery', async () => delivering.length === 1);
    await db.transaction().execute((trx) => queue.enqueueMany(trx, [1, 2, 3, 4, 5].map((m) => ({ task: 'send_message', payload: { m } }))));
    await waitFor('every message job', async () => sent.length === 5);
    assert.equal(delivering.length, 1, 'the webhook lane runs one at a time and is still blocked');
    assert.equal((await jobRows(pool)).filter((r) => r.task === 'deliver_webhook').length, 2);
  } finally {
    release(); // also when an assertion failed: stop() in the teardown waits for the running job
  }
  await waitFor('both deliveries', async () => (await jobRows(pool)).length === 0);
  assert.equal(delivering.length, 2);
});

test('stop() waits for the running job to finish and completes it', { skip }, async (t) => {
  const { db, pool, queue, runners } = await setup(t);
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => { release = resolve; });
  let started = false;
  let finished = false;
  const r = runners({ slow: async () => { started = true; await blocked; finished = true; } });
  await r.start();
  await db.transaction().execute((trx) => queue.enqueue(trx, 'slow', {}));
  await waitFor('the job to start', async () => started);
  const stopping = r.stop();
  let stopped = false;
  void stopping.then(() => { stopped = true; });
  const [running] = await jobRows(pool);
  assert.notEqual(running.locked_by, null, 'the job is still running');
  assert.equal(stopped, false, 'stop waits for the running job');
  release();
  await stopping;
  assert.equal(finished, true);
  assert.deepEqual(await jobRows(pool), []);
});

test('graphile-worker schema migration is safe when several processes start at once', { skip }, async (t) => {
  const { url, drop } = await createPgDatabase('beckon_q');
  const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: url, max: 2 }).on('error', () => {}).on('connect', (client) => client.on('error', () => {})));
  t.after(async () => { for (const p of pools) await p.end(); await drop(); });
  await Promise.all(pools.map((p) => migrateWorkerSchema(p, 'concurrent_worker', log)));
  const { rows } = await pools[0].query('select max(id) as id from concurrent_worker.migrations');
  assert.ok(Number(rows[0].id) >= 20, `migrated to ${rows[0].id}`);
});

test('the sweeper releases jobs locked by a pool whose process is gone, not those of a live pool', { skip }, async (t) => {
  const { db, pool, queue } = await setup(t);
  await db.transaction().execute((trx) => queue.enqueueMany(trx, [{ task: 'a', payload: { n: 1 } }, { task: 'a', payload: { n: 2 } }, { task: 'a', payload: { n: 3 } }]));
  const marker = await PoolMarker.open(pool, 'pool-alive', log);
  await pool.query(`update ${SCHEMA}._private_jobs set attempts = 1, locked_at = now() - interval '5 minutes',
    locked_by = case payload->>'n' when '1' then 'pool-dead' when '2' then 'pool-alive' else 'pool-recent' end`);
  await pool.query(`update ${SCHEMA}._private_jobs set locked_at = now() where locked_by = 'pool-recent'`);
  assert.equal(await sweepOrphanedJobs(pool, SCHEMA), 1);
  await marker.close();
  const rows = await jobRows(pool);
  assert.deepEqual(rows.map((r) => [(r.payload as { n: number }).n, r.locked_by, r.attempts]), [[1, null, 1], [2, 'pool-alive', 1], [3, 'pool-recent', 1]]);
});

test('a job running in a worker process killed with SIGKILL is released by the sweeper and runs again elsewhere', { skip }, async (t) => {
  const { url, db, pool, queue, runners } = await setup(t);
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/jobs/pg-test-hanging-worker.ts', url, SCHEMA], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited; });
  const running = new Promise((resolve) => child.stdout.on('data', (chunk) => { if (String(chunk).includes('running')) resolve(true); }));
  await db.transaction().execute((trx) => queue.enqueue(trx, 'hang', { n: 1 }, { maxAttempts: 5 }));
  await running;
  const [locked] = await jobRows(pool);
  assert.notEqual(locked.locked_by, null);
  assert.equal(await sweepOrphanedJobs(pool, SCHEMA, 0), 0, 'a live process keeps its jobs');

  child.kill('SIGKILL');
  await exited;
  await waitFor('the dead pool\'s marker connection to go', async () => (await sweepOrphanedJobs(pool, SCHEMA, 0)) === 1);
  const contexts: TaskContext[] = [];
  await runners({ hang: async (_payload, context) => { contexts.push(context); } }).start();
  await waitFor('the job to run again and complete', async () => (await jobRows(pool)).length === 0);
  assert.deepEqual(contexts, [{ attempt: 2, maxAttempts: 5 }], 'the attempt cut short by the crash stays counted');
});

test('jobs are added without a NOTIFY inside the transaction and announced after its commit: a runner that never polls runs them at once', { skip }, async (t) => {
  const { url, pool, runners } = await setup(t);
  // Beckon's own handle: transactions pipelined, AFTER_COMMIT statements sent after the commit
  const store = connectPostgres(url, 2);
  const listener = new pg.Client({ connectionString: url });
  try {
    await silentAddJobsAnnouncedAfterCommit(url, pool, store.db, listener, runners);
  } finally {
    await listener.end().catch(() => {});
    await store.db.destroy();
  }
});

async function silentAddJobsAnnouncedAfterCommit(url: string, pool: pg.Pool, db: Db, listener: pg.Client, runners: (tasks: Record<string, Task>, options: { pollMs?: Record<string, number> }) => PgRunners) {
  const queue = new PgQueue(db, SCHEMA, new PgEventSignals(url, log));
  const silent = await pool.query(`select p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1 and p.proname = any($2) order by p.proname`, [SCHEMA, ['add_jobs', SILENT_ADD_JOBS]]);
  assert.deepEqual(silent.rows.map((r) => /pg_notify/.test(r.prosrc)), [true, false], 'graphile-worker\'s add_jobs notifies, the silent copy does not');
  assert.equal(silent.rows[0].prosrc.replace(/^[ \t]*perform pg_notify\('jobs:insert'[^\n]*\n/m, ''), silent.rows[1].prosrc, 'the copy is add_jobs less its NOTIFY');
  const client = await pool.connect();
  try {
    await installSilentAddJobs(client, SCHEMA); // installing again is harmless
  } finally {
    client.release();
  }

  await listener.connect();
  const seenAtNotification: number[] = [];
  listener.on('notification', (message) => {
    if (message.channel === 'jobs:insert') void jobRows(pool).then((rows) => seenAtNotification.push(JSON.parse(message.payload!).count + rows.length * 100));
  });
  await listener.query('LISTEN "jobs:insert"');
  const ran: unknown[] = [];
  await runners({ record: async (payload) => { ran.push(payload); await new Promise((r) => setTimeout(r, 200)); } }, { pollMs: { [DEFAULT_LANE]: 3_600_000 } }).start();
  await new Promise((r) => setTimeout(r, 500)); // the runner's first poll has found nothing
  await db.transaction().execute((trx) => queue.enqueueMany(trx, [{ task: 'record', payload: { n: 1 } }, { task: 'record', payload: { n: 2 } }]));
  await waitFor('both jobs to run on the notification', async () => ran.length === 2, 10_000);
  assert.deepEqual(ran.map((p) => (p as { n: number }).n).sort(), [1, 2]);
  // the notification counted two jobs and came when both were committed (and not yet completed: each takes 200 ms)
  await waitFor('the notification', async () => seenAtNotification.length === 1);
  assert.equal(seenAtNotification[0], 202);
}

test('a notification that fails after the commit does not fail the committed transaction', { skip }, async (t) => {
  const { url, pool } = await setup(t);
  const store = connectPostgres(url, 2);
  const queue = new PgQueue(store.db, SCHEMA, new PgEventSignals(url, log));
  try {
    await store.db.transaction().execute(async (trx) => {
      await queue.enqueue(trx, 'record', { n: 1 });
      await sql`${sql.raw(AFTER_COMMIT)}select pg_notify('beckon_test', ${'x'.repeat(9000)})`.execute(trx); // over NOTIFY's 8,000-byte payload limit
    });
  } finally {
    await store.db.destroy();
  }
  assert.deepEqual((await jobRows(pool)).map((r) => r.payload), [{ n: 1 }]);
  await assert.rejects(pool.query(`select pg_notify('beckon_test', repeat('x', 9000))`), /payload string too long/); // the same notification fails on its own
});
