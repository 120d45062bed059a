import { EventEmitter } from 'node:events';
import { CompiledQuery } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Writer } from '../db/group-commit.ts';
import { DEFAULT_LANE, type EnqueueOptions, type JobQueue, type JobView } from './queue.ts';
import { nowIso } from '../lib/time.ts';
import { insertRows, prepared } from '../db/prepared.ts';
import { LocalEventSignals } from './signals.ts';

const DEFAULT_MAX_ATTEMPTS = 10;

/** A claimed job row. */
export interface ClaimedJob {
  id: number;
  task: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

export { DEFAULT_LANE };

/** Picks the lane of the next job of a spread lane (SqliteQueue's `spread`; the job thread's is thread-load.ts's dealByLoad). */
export type Dealer = () => string;

function row(lane: string, task: string, payload: unknown, options: EnqueueOptions = {}) {
  const now = nowIso();
  return {
    task,
    lane,
    payload: JSON.stringify(payload ?? {}),
    run_at: options.runAt ? options.runAt.toISOString() : now,
    attempts: 0,
    max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    created_at: now,
  };
}

const dueJobs = prepared((db, lane: string, now: string, limit: number) => db.selectFrom('jobs')
  .select(['id', 'task', 'payload', 'attempts', 'max_attempts'])
  .where('lane', '=', lane).where('failed_at', 'is', null).where('run_at', '<=', now)
  .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
  .orderBy('run_at').orderBy('id').limit(limit));
// one SQL text for any number of jobs (their ids as a JSON array), so it is prepared once
const LOCK_JOBS = 'UPDATE jobs SET locked_until = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))';
const deleteJob = prepared((db, id: number) => db.deleteFrom('jobs').where('id', '=', id));

/** The embedded queue: a jobs table in the same SQLite file as the data it follows from. */
export class SqliteQueue implements JobQueue {
  readonly wake = new EventEmitter();
  readonly signals = new LocalEventSignals(this.wake);
  /**
   * Called by notify() after the local wake: with the job runners on a thread of their own, it carries the signal to
   * the other thread, whose side emits `wake` there (not notify(), so a signal crosses once).
   */
  relay: (() => void) | null = null;
  private readonly db: Db;
  private readonly writer: Writer;
  private readonly lanes: Record<string, string>;
  private readonly spread: Record<string, Dealer>;
  private completed: number[] = [];
  private flushing: Promise<void> | null = null;

  /**
   * `lanes` maps task names to their lane; unlisted tasks go to the default lane. `spread` deals the jobs of a lane
   * over several lanes, each run by a runner of its own (the job thread's webhook calls, over the two threads).
   */
  constructor(db: Db, writer: Writer, lanes: Record<string, string> = {}, spread: Record<string, Dealer> = {}) {
    this.db = db;
    this.writer = writer;
    this.lanes = lanes;
    this.spread = spread;
  }

  /** The lane a new job of `task` goes to. */
  private laneOf(task: string): string {
    const lane = this.lanes[task] ?? DEFAULT_LANE;
    const deal = this.spread[lane];
    return deal ? deal() : lane;
  }

  async enqueue(trx: Db, task: string, payload: unknown, options?: EnqueueOptions): Promise<void> {
    await insertRows(trx, 'jobs', [row(this.laneOf(task), task, payload, options)]);
  }

  async enqueueMany(trx: Db, jobs: { task: string; payload: unknown; options?: EnqueueOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await insertRows(trx, 'jobs', jobs.map((j) => row(this.laneOf(j.task), j.task, j.payload, j.options)));
  }

  async removeJobs(trx: Db, task: string, payload: unknown): Promise<void> {
    const now = nowIso();
    await trx.deleteFrom('jobs').where('task', '=', task).where('payload', '=', JSON.stringify(payload ?? {}))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).execute();
  }

  notify(): void {
    this.wake.emit('wake');
    this.relay?.();
  }

  /**
   * Takes up to `limit` due jobs of a lane, oldest first, with no commit round before they start: the due rows are read
   * on the read connection (no write lock), skipping `taken` (the lane's runner holds those in memory: in embedded mode
   * one runner owns each lane, and releaseAll runs at start), and their lock and attempt are written by a group-commit
   * unit submitted at once (`locked`). The jobs' own writes are submitted after it, so the attempt is durable no later
   * than a job's first write, and within one commit round of its start. Each job's `attempts` is the one it runs as.
   */
  async claim(lane: string, limit: number, leaseMs: number, taken: ReadonlySet<number> = new Set()): Promise<{ jobs: ClaimedJob[]; locked: Promise<void> }> {
    const now = nowIso();
    const rows = await dueJobs(this.db, lane, now, limit + taken.size);
    const jobs = (taken.size === 0 ? rows : rows.filter((r) => !taken.has(r.id))).slice(0, limit);
    if (jobs.length === 0) return { jobs, locked: Promise.resolve() };
    for (const job of jobs) job.attempts += 1;
    const until = new Date(Date.now() + leaseMs).toISOString();
    const ids = JSON.stringify(jobs.map((j) => j.id));
    const locked = this.writer.run(async (trx) => {
      await trx.executeQuery(CompiledQuery.raw(LOCK_JOBS, [until, ids]));
    });
    return { jobs, locked };
  }

  /** Deletes job `id` in `trx`, the transaction of its task's last write: the job is gone exactly when that commits. */
  async completeIn(trx: Db, id: number): Promise<void> {
    await deleteJob(trx, id);
  }

  /** Removes a finished job; completions arriving together are deleted by one statement in one group commit. */
  complete(id: number): Promise<void> {
    this.completed.push(id);
    this.flushing ??= this.writer.run(async (trx) => {
      const ids = this.completed;
      this.completed = [];
      this.flushing = null;
      for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('jobs').where('id', 'in', ids.slice(i, i + 500)).execute();
    });
    return this.flushing;
  }

  /** Schedules a job to run again at `runAt`; `countAttempt` false gives back the attempt the claim took. */
  async reschedule(id: number, runAt: Date, error: string | null, countAttempt: boolean): Promise<void> {
    await this.writer.run((trx) => trx.updateTable('jobs')
      .set((eb) => ({
        run_at: runAt.toISOString(),
        locked_until: null,
        last_error: error,
        attempts: countAttempt ? eb.ref('attempts') : eb('attempts', '-', 1),
      }))
      .where('id', '=', id).execute());
  }

  /** Marks a job failed for good; it stays in the table for inspection. */
  async fail(id: number, error: string): Promise<void> {
    await this.writer.run((trx) => trx.updateTable('jobs').set({ failed_at: nowIso(), locked_until: null, last_error: error }).where('id', '=', id).execute());
  }

  /**
   * Releases the locks of `lanes` (every lane when not given): in embedded mode one process owns the queue, each lane
   * run by one runner (on the API thread or the job thread), so at the process's start every lock is an orphan, and
   * when the job thread restarts so are its lanes' (never the lanes the API thread runs on).
   */
  async releaseAll(lanes?: readonly string[]): Promise<void> {
    if (lanes?.length === 0) return;
    let query = this.db.updateTable('jobs').set({ locked_until: null }).where('locked_until', 'is not', null);
    if (lanes) query = query.where('lane', 'in', lanes);
    await query.execute();
  }

  /** Moves the jobs of lane `from` into lane `into` (the runners of `from` are not running). */
  async refile(from: string, into: string): Promise<void> {
    await this.db.updateTable('jobs').set({ lane: into }).where('lane', '=', from).execute();
  }

  /** The jobs of `task` (every task when not given), oldest first. */
  async jobs(task?: string): Promise<JobView[]> {
    let query = this.db.selectFrom('jobs').selectAll().orderBy('id');
    if (task !== undefined) query = query.where('task', '=', task);
    return (await query.execute()).map((r) => ({
      task: r.task, payload: JSON.parse(r.payload), attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at,
      createdAt: r.created_at, lastError: r.last_error, failed: r.failed_at !== null,
    }));
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
