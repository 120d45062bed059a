import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { GroupCommitter } from '../db/group-commit.ts';
import type { EnqueueOptions, JobQueue } from './queue.ts';
import { nowIso } from '../lib/time.ts';

const DEFAULT_MAX_ATTEMPTS = 10;

/** A claimed job row. */
export interface ClaimedJob {
  id: number;
  task: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

function row(task: string, payload: unknown, options: EnqueueOptions = {}) {
  const now = nowIso();
  return {
    task,
    payload: JSON.stringify(payload ?? {}),
    run_at: options.runAt ? options.runAt.toISOString() : now,
    attempts: 0,
    max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    created_at: now,
  };
}

/** The embedded queue: a jobs table in the same SQLite file as the data it follows from. */
export class SqliteQueue implements JobQueue {
  readonly wake = new EventEmitter();
  private readonly db: Db;
  private readonly writer: GroupCommitter;

  constructor(db: Db, writer: GroupCommitter) {
    this.db = db;
    this.writer = writer;
  }

  async enqueue(trx: Db, task: string, payload: unknown, options?: EnqueueOptions): Promise<void> {
    await trx.insertInto('jobs').values(row(task, payload, options)).execute();
  }

  async enqueueMany(trx: Db, jobs: { task: string; payload: unknown; options?: EnqueueOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await trx.insertInto('jobs').values(jobs.map((j) => row(j.task, j.payload, j.options))).execute();
  }

  notify(): void {
    this.wake.emit('wake');
  }

  /** Locks up to `limit` due jobs for `leaseMs` and returns them, oldest first. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    const now = nowIso();
    const until = new Date(Date.now() + leaseMs).toISOString();
    const result = await sql<ClaimedJob>`
      UPDATE jobs SET locked_until = ${until}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM jobs
        WHERE failed_at IS NULL AND run_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
        ORDER BY run_at, id LIMIT ${limit}
      )
      RETURNING id, task, payload, attempts, max_attempts`.execute(this.db);
    return result.rows;
  }

  /** Removes a finished job (group-committed with other concurrent writes). */
  async complete(id: number): Promise<void> {
    await this.writer.run((trx) => trx.deleteFrom('jobs').where('id', '=', id).execute());
  }

  /** Schedules a job to run again at `runAt`; `countAttempt` false gives back the attempt the claim took. */
  async reschedule(id: number, runAt: Date, error: string | null, countAttempt: boolean): Promise<void> {
    await this.db.updateTable('jobs')
      .set((eb) => ({
        run_at: runAt.toISOString(),
        locked_until: null,
        last_error: error,
        attempts: countAttempt ? eb.ref('attempts') : eb('attempts', '-', 1),
      }))
      .where('id', '=', id).execute();
  }

  /** Marks a job failed for good; it stays in the table for inspection. */
  async fail(id: number, error: string): Promise<void> {
    await this.db.updateTable('jobs').set({ failed_at: nowIso(), locked_until: null, last_error: error }).where('id', '=', id).execute();
  }

  /** Releases every lock: in embedded mode one process owns the queue, so locks left by a crash are orphans. */
  async releaseAll(): Promise<void> {
    await this.db.updateTable('jobs').set({ locked_until: null }).where('locked_until', 'is not', null).execute();
  }

  /** Number of runnable jobs and the age in seconds of the oldest one. */
  async depth(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const r = await this.db.selectFrom('jobs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('run_at').as('oldest')])
      .where('failed_at', 'is', null).executeTakeFirstOrThrow();
    const oldest = r.oldest ? Math.max(0, (Date.now() - Date.parse(String(r.oldest))) / 1000) : 0;
    return { depth: Number(r.n), oldestAgeSeconds: oldest };
  }
}
