import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { connectSqlite, type Db } from '../db/connect.ts';
import { GroupCommitter } from '../db/group-commit.ts';
import { sqliteCommitCount } from '../db/sqlite-dialect.ts';
import { copyMigratedSqlite } from '../../test/store-templates.ts';
import { sqliteOnly, waitFor } from '../../test/helpers.ts';
import type { Task, TaskContext } from './queue.ts';
import { SqliteQueue, type Dealer } from './sqlite-queue.ts';
import { Worker } from './worker.ts';

/** A dealer that gives `lanes` a job each in turn. */
function roundRobin(lanes: readonly string[]): Dealer {
  let dealt = 0;
  return () => lanes[dealt++ % lanes.length]!;
}

const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

/** A migrated SQLite store with its group committer and queue; `runner` starts a default-lane worker stopped after the test. */
async function setup(t: { after(fn: () => Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-queue-'));
  await copyMigratedSqlite(dir);
  const db = connectSqlite(dir);
  const writer = new GroupCommitter(db);
  const queue = new SqliteQueue(db, writer, { marker: 'markers' });
  const workers: Worker[] = [];
  t.after(async () => {
    for (const w of workers) await w.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const runner = (tasks: Record<string, Task>, concurrency = 4) => {
    const worker = new Worker({ queue, tasks, concurrency, log, pollMs: 20 });
    workers.push(worker);
    worker.start();
    return worker;
  };
  const rows = () => db.selectFrom('jobs').select(['id', 'task', 'attempts', 'locked_until', 'failed_at', 'last_error']).orderBy('id').execute();
  const enqueue = async (task: string, payload: unknown, options?: { maxAttempts?: number }) => {
    await writer.run((trx) => queue.enqueue(trx, task as never, payload as never, options));
    queue.notify();
  };
  return { db, writer, queue, runner, rows, enqueue };
}

/** Records a marker (a job of a lane nobody runs) in `trx`: the task's own write. */
async function mark(queue: SqliteQueue, trx: Db, n: number): Promise<void> {
  await queue.enqueue(trx, 'marker' as never, { n } as never);
}

test('a task\'s completeIn deletes its job in its last write transaction: gone when that commits, never run again after a crash there', sqliteOnly, async (t) => {
  const { writer, queue, runner, rows, enqueue } = await setup(t);
  const seen: string[] = [];
  let crash = true;
  // the "crash": the task never returns after its commit, as if the process died right there
  let wake = (): void => {};
  const hang = new Promise<void>((resolve) => (wake = resolve));
  await enqueue('work', { n: 1 });
  runner({
    work: async (_payload, context: TaskContext) => {
      await writer.run(async (trx) => {
        await mark(queue, trx, 1);
        await context.completeIn!(trx);
      });
      seen.push(`after commit: ${(await rows()).map((r) => r.task).join(',')}`);
      if (crash) await hang;
    },
  });
  await waitFor('the task to commit', async () => seen.length === 1);
  assert.deepEqual(seen, ['after commit: marker'], 'the job row went in the commit of the task\'s write');
  // a restart: a new runner after every lock is released finds nothing to run
  crash = false;
  await queue.releaseAll();
  runner({ work: async () => { seen.push('ran again'); } });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(seen, ['after commit: marker']);
  wake(); // lets the first runner stop
});

test('a task whose completeIn unit rolls back and throws is retried as before; one that never calls it is completed by the runner', sqliteOnly, async (t) => {
  const { writer, queue, runner, rows, enqueue } = await setup(t);
  await enqueue('rollback', {});
  await enqueue('plain', {});
  let plain = 0;
  runner({
    rollback: async (_payload, context) => {
      await writer.run(async (trx) => {
        await mark(queue, trx, 2);
        await context.completeIn?.(trx);
        throw new Error('boom after the hook');
      });
    },
    plain: async () => { plain++; },
  });
  await waitFor('the plain job to be deleted and the other rescheduled', async () => {
    const r = await rows();
    return r.length === 1 && r[0].last_error !== null ? r : null;
  });
  const [job] = await rows();
  assert.equal(job.task, 'rollback');
  assert.equal(job.last_error, 'boom after the hook');
  assert.equal(job.attempts, 1);
  assert.equal(job.locked_until, null);
  assert.equal(plain, 1);
});

test('attempts still count: a job that fails every time ends failed after max_attempts', sqliteOnly, async (t) => {
  const { db, runner, rows, enqueue } = await setup(t);
  await enqueue('fails', {}, { maxAttempts: 3 });
  const attempts: number[] = [];
  runner({ fails: async (_payload, context) => { attempts.push(context.attempt); throw new Error(`failure ${context.attempt}`); } });
  await waitFor('the job to fail for good', async () => {
    // skip the backoff: make a rescheduled job due again
    await db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('failed_at', 'is', null).where('locked_until', 'is', null).execute();
    return (await rows())[0]?.failed_at !== null;
  });
  const [job] = await rows();
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.equal(job.attempts, 3);
  assert.equal(job.last_error, 'failure 3');
});

test('a claim takes no commit round of its own: a job whose task writes once costs one commit (claim, write and deletion)', sqliteOnly, async (t) => {
  const { writer, queue, runner, rows, enqueue } = await setup(t);
  await enqueue('once', {});
  let done = false;
  const before = sqliteCommitCount();
  runner({
    once: async (_payload, context) => {
      await writer.run(async (trx) => {
        await mark(queue, trx, 3);
        await context.completeIn?.(trx);
      });
      done = true;
    },
  });
  await waitFor('the job to run', async () => done);
  await waitFor('the job row to go', async () => (await rows()).every((r) => r.task === 'marker'));
  assert.equal(sqliteCommitCount() - before, 1);
});

test('claim reads due jobs without waiting for a commit, skips the ones its runner holds, and commits their lock and attempt', sqliteOnly, async (t) => {
  const { queue, rows, enqueue } = await setup(t);
  await enqueue('a', {});
  await enqueue('b', {});
  const first = await queue.claim('default', 1, 60_000);
  assert.deepEqual(first.jobs.map((j) => [j.task, j.attempts]), [['a', 1]]);
  // before the lock commits, the runner's next claim skips what it holds
  const second = await queue.claim('default', 5, 60_000, new Set(first.jobs.map((j) => j.id)));
  assert.deepEqual(second.jobs.map((j) => j.task), ['b']);
  await Promise.all([first.locked, second.locked]);
  const locked = await rows();
  assert.deepEqual(locked.map((r) => [r.task, r.attempts, r.locked_until !== null]), [['a', 1, true], ['b', 1, true]]);
  assert.deepEqual((await queue.claim('default', 5, 60_000)).jobs, []);
});

test('a spread lane\'s jobs are dealt round-robin over its lanes, across calls; refile moves a lane\'s jobs into another', sqliteOnly, async (t) => {
  const { db, writer } = await setup(t);
  const queue = new SqliteQueue(db, writer, { call: 'calls', other: 'others' }, { calls: roundRobin(['calls', 'calls-b']) });
  await writer.run(async (trx) => {
    await queue.enqueue(trx, 'call' as never, { n: 1 } as never);
    await queue.enqueueMany(trx, [2, 3, 4].map((n) => ({ task: 'call', payload: { n } })) as never);
    await queue.enqueue(trx, 'other' as never, { n: 5 } as never);
    await queue.enqueue(trx, 'plain' as never, { n: 6 } as never);
  });
  const lanes = async () => (await db.selectFrom('jobs').select(['lane', 'payload']).orderBy('id').execute()).map((r) => `${JSON.parse(r.payload).n}:${r.lane}`);
  assert.deepEqual(await lanes(), ['1:calls', '2:calls-b', '3:calls', '4:calls-b', '5:others', '6:default']);
  await queue.refile('calls-b', 'calls');
  assert.deepEqual(await lanes(), ['1:calls', '2:calls', '3:calls', '4:calls', '5:others', '6:default']);
});
