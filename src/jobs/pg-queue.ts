import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/connect.ts';
import { AFTER_COMMIT, PIPELINED } from '../db/pg-pipeline.ts';
import type { EnqueueOptions, JobQueue, JobView } from './queue.ts';
import type { EventSignals } from './signals.ts';

/** Attempts before a job is marked failed when the caller gives none (as on SQLite). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** Key of the payload wrapper a job rescheduled by RetryLater carries (the attempts already used before it). */
export const CARRY_KEY = 'beckon_carry';

/** A payload as stored for graphile-worker: plain for a fresh job, wrapped with the attempts used for a rescheduled one. */
export function wrapPayload(payload: unknown, attemptsUsed: number): unknown {
  const plain = payload ?? {};
  return attemptsUsed > 0 ? { [CARRY_KEY]: { attempts_used: attemptsUsed, payload: plain } } : plain;
}

/** The payload a task sees and the attempts used before this job (0 for a fresh job). */
export function unwrapPayload(stored: unknown): { payload: unknown; attemptsUsed: number } {
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    const carry = (stored as Record<string, unknown>)[CARRY_KEY] as { attempts_used?: unknown; payload?: unknown } | undefined;
    if (carry && Object.keys(stored).length === 1 && typeof carry.attempts_used === 'number') {
      return { payload: carry.payload, attemptsUsed: carry.attempts_used };
    }
  }
  return { payload: stored, attemptsUsed: 0 };
}

function spec(task: string, payload: unknown, options: EnqueueOptions = {}) {
  return {
    identifier: task,
    payload: wrapPayload(payload, 0),
    run_at: (options.runAt ?? new Date()).toISOString(),
    max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

/** graphile-worker's `add_jobs` without its NOTIFY (installed by installSilentAddJobs): jobs are announced after commit. */
export const SILENT_ADD_JOBS = 'beckon_add_jobs_silent';

/** How often, at most, a process re-reads the task ids after enqueueing a task it did not know. */
const TASKS_REFRESH_MS = 1000;

/**
 * The queue on PostgreSQL: graphile-worker's jobs table in its own schema. Jobs are added through the caller's
 * transaction, so they commit with the change or vanish with its rollback; graphile-worker's LISTENers in every
 * process are woken by a `jobs:insert` notification sent after the commit (AFTER_COMMIT), never from inside it.
 *
 * Jobs of tasks whose row in graphile-worker's tasks table this process has read are added by one plain INSERT
 * (what `add_jobs` does for specs without a job key, queue, priority or flags, which Beckon never sets): the
 * function's PL/pgSQL, its four statements planned again on every call and its job-key UPDATE, which scanned the
 * whole jobs table (its cost grew with the backlog), cost the server about three times the insert per send. A task
 * not read yet (its first jobs in a fresh database) goes through SILENT_ADD_JOBS, which creates its row; the ids are
 * then read again (committed rows only, so a rolled-back first job never makes an id known).
 */
export class PgQueue implements JobQueue {
  readonly schema: string;
  readonly signals: EventSignals;
  private readonly db: Db;
  private taskIds = new Map<string, number>();
  private refreshing: Promise<void> | null = null;
  private refreshedAt = 0;

  /** `db` reads the queue depth; `schema` is graphile-worker's schema; `signals` are the store's (PgEventSignals). */
  constructor(db: Db, schema: string, signals: EventSignals) {
    this.db = db;
    this.schema = schema;
    this.signals = signals;
  }

  async enqueue(trx: Db, task: string, payload: unknown, options?: EnqueueOptions): Promise<void> {
    await this.enqueueMany(trx, [{ task, payload, options }]);
  }

  async removeJobs(trx: Db, task: string, payload: unknown): Promise<void> {
    await sql`delete from ${sql.id(this.schema, '_private_jobs')} where locked_at is null and payload::jsonb = ${JSON.stringify(payload ?? {})}::jsonb
      and task_id = (select id from ${sql.id(this.schema, '_private_tasks')} where identifier = ${task})`.execute(trx);
  }

  async enqueueMany(trx: Db, jobs: { task: string; payload: unknown; options?: EnqueueOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    const ids = jobs.map((j) => this.taskIds.get(j.task));
    if (ids.every((id) => id !== undefined)) {
      const rows = JSON.stringify(jobs.map((j, i) => ({ task_id: ids[i], ...spec(j.task, j.payload, j.options) })));
      await sql`${sql.raw(PIPELINED)}insert into ${sql.id(this.schema, '_private_jobs')} (task_id, payload, run_at, max_attempts)
        select s.task_id, s.payload, s.run_at, s.max_attempts from json_to_recordset(${rows}::json) as s(task_id int, payload json, run_at timestamptz, max_attempts smallint)`.execute(trx);
    } else {
      const specs = JSON.stringify(jobs.map((j) => spec(j.task, j.payload, j.options)));
      try {
        await sql`${sql.raw(PIPELINED)}select ${sql.id(this.schema, SILENT_ADD_JOBS)}(array(
          select s from json_populate_recordset(null::${sql.id(this.schema, 'job_spec')}, ${specs}::json) s))`.execute(trx);
      } finally {
        // read again whether or not this add succeeds: a read that ran before an earlier add committed missed its task
        this.refreshTaskIds();
      }
    }
    await sql`${sql.raw(AFTER_COMMIT)}select pg_notify('jobs:insert', ${JSON.stringify({ r: Math.random(), count: jobs.length })})`.execute(trx);
  }

  /** Reads the ids of the tasks that exist (committed), at most once per TASKS_REFRESH_MS, in the background. */
  private refreshTaskIds(): void {
    if (this.refreshing || Date.now() - this.refreshedAt < TASKS_REFRESH_MS) return;
    this.refreshedAt = Date.now();
    this.refreshing = this.loadTaskIds().catch(() => {}).finally(() => { this.refreshing = null; });
  }

  /**
   * Creates the rows of `tasks` that do not exist yet (at start-up: every task the process can enqueue) and reads the
   * ids of every task, in one statement, so that enqueueMany adds their jobs with the plain INSERT from the first one.
   */
  async registerTasks(tasks: string[]): Promise<void> {
    const table = sql.id(this.schema, '_private_tasks');
    const { rows } = await sql<{ id: number; identifier: string }>`with added as (
        insert into ${table} (identifier) select t from unnest(${tasks}::text[]) t
        where not exists (select 1 from ${table} e where e.identifier = t) on conflict do nothing returning id, identifier)
      select id, identifier from ${table} union all select id, identifier from added`.execute(this.db);
    this.taskIds = new Map(rows.map((r) => [r.identifier, Number(r.id)]));
  }

  /** Reads the ids of the tasks that exist now (committed rows). */
  private async loadTaskIds(): Promise<void> {
    const { rows } = await sql<{ id: number; identifier: string }>`select id, identifier from ${sql.id(this.schema, '_private_tasks')}`.execute(this.db);
    this.taskIds = new Map(rows.map((r) => [r.identifier, Number(r.id)]));
  }

  /** Nothing to do: enqueue announces its jobs to graphile-worker's LISTENing runners (in every process) after commit. */
  notify(): void {}

  /** Runnable jobs (waiting or running, not failed for good) and the age in seconds of the oldest one's run_at. */
  async depth(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const { rows } = await sql<{ n: string | number; age: string | number | null }>`
      select count(*) as n, extract(epoch from now() - min(run_at)) as age
      from ${sql.id(this.schema, '_private_jobs')} where attempts < max_attempts or locked_at is not null`.execute(this.db);
    const age = rows[0]?.age == null ? 0 : Math.max(0, Number(rows[0].age));
    return { depth: Number(rows[0]?.n ?? 0), oldestAgeSeconds: age };
  }

  /** The jobs of `task` (every task when not given), in the order they were added; attempts include those carried over by RetryLater. */
  async jobs(task?: string): Promise<JobView[]> {
    const { rows } = await sql<{ task: string; payload: unknown; attempts: number; max_attempts: number; run_at: Date; created_at: Date; last_error: string | null; locked: boolean }>`
      select t.identifier as task, j.payload, j.attempts, j.max_attempts, j.run_at, j.created_at, j.last_error, j.locked_at is not null as locked
      from ${sql.id(this.schema, '_private_jobs')} j join ${sql.id(this.schema, '_private_tasks')} t on t.id = j.task_id
      where ${task === undefined ? sql`true` : sql`t.identifier = ${task}`} order by j.id`.execute(this.db);
    return rows.map((r) => {
      const { payload, attemptsUsed } = unwrapPayload(r.payload);
      return {
        task: r.task, payload, attempts: attemptsUsed + r.attempts, maxAttempts: attemptsUsed + r.max_attempts,
        runAt: new Date(r.run_at).toISOString(), createdAt: new Date(r.created_at).toISOString(), lastError: r.last_error,
        failed: r.attempts >= r.max_attempts && !r.locked,
      };
    });
  }

  /** Adds a job through a plain pg client (outside any Kysely transaction): used to reschedule a RetryLater job. */
  async addWithClient(client: pg.PoolClient | pg.Client, job: { task: string; payload: unknown; runAt: Date; maxAttempts: number; jobKey: string }): Promise<void> {
    await client.query(`select ${quoteIdent(this.schema)}.add_job($1::text, $2::json, run_at => $3::timestamptz, max_attempts => $4::int, job_key => $5::text)`,
      [job.task, JSON.stringify(job.payload), job.runAt.toISOString(), job.maxAttempts, job.jobKey]);
  }
}

/** Quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Installs SILENT_ADD_JOBS in graphile-worker's `schema`: its own `add_jobs`, as its installed version defines it, with
 * the `jobs:insert` NOTIFY left out. Run after graphile-worker's migrations, under their lock.
 */
export async function installSilentAddJobs(client: pg.PoolClient | pg.Client, schema: string): Promise<void> {
  const source = `${quoteIdent(schema)}.add_jobs(${quoteIdent(schema)}.job_spec[], boolean)`;
  const { rows } = await client.query<{ def: string }>('select pg_get_functiondef($1::regprocedure) as def', [source]);
  const definition = rows[0].def;
  const notify = /^[ \t]*perform pg_notify\('jobs:insert'[^\n]*\n/gm;
  const silent = definition.replace(notify, '');
  const renamed = silent.replace(/^(CREATE OR REPLACE FUNCTION [^(]*?)add_jobs\(/, `$1${SILENT_ADD_JOBS}(`);
  if ((definition.match(notify) ?? []).length !== 1 || renamed === silent) {
    throw new Error(`graphile-worker's ${schema}.add_jobs is not the shape Beckon expects (one jobs:insert NOTIFY); cannot install ${SILENT_ADD_JOBS}`);
  }
  await client.query(renamed);
}
