import type { Db } from '../db/connect.ts';
import type { EventSignals } from './signals.ts';

/**
 * The task table's types: each task name tied to its payload type. Empty here; every domain adds its tasks where it
 * defines them (`declare module '../jobs/queue.ts' { interface TaskPayloads { send_message: SendMessagePayload } }`).
 */
export interface TaskPayloads {}

/** The name of a task of the table. */
export type TaskName = keyof TaskPayloads;

/** The lane of tasks that declare none: message work (sends, status callbacks, campaigns, imports). */
export const DEFAULT_LANE = 'default';

/** A name that is not one of the table's: jobs of ad-hoc tasks (tests, tools), whose payload is not checked. */
export type AdHocTaskName<T extends string> = T extends TaskName ? never : T;

/** Options for one enqueued job. */
export interface EnqueueOptions {
  /** Earliest time the job may run (default now). */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 10). */
  maxAttempts?: number;
}

/** A queued job as inspection shows it (tests, operators), the same on every store. */
export interface JobView {
  task: string;
  payload: unknown;
  /** Failed attempts so far plus the running one (RetryLater does not count). */
  attempts: number;
  maxAttempts: number;
  /** ISO time the job may run at. */
  runAt: string;
  /** ISO time the job (or, after RetryLater, its latest copy) was added. */
  createdAt: string;
  lastError: string | null;
  /** True once it failed maxAttempts times: it stays for inspection and never runs again. */
  failed: boolean;
}

/** The queue port: jobs are enqueued inside the caller's transaction so they commit with the change. */
export interface JobQueue {
  /** Adds a job in `trx`; it becomes visible to workers when `trx` commits. */
  enqueue<K extends TaskName>(trx: Db, task: K, payload: TaskPayloads[K], options?: EnqueueOptions): Promise<void>;
  /** Adds a job of an ad-hoc task, not one of the table's (tests, tools). */
  enqueue<T extends string>(trx: Db, task: AdHocTaskName<T>, payload: unknown, options?: EnqueueOptions): Promise<void>;
  /** Adds many jobs of the table's tasks in `trx` with one statement. */
  enqueueMany(trx: Db, jobs: JobToEnqueue[]): Promise<void>;
  /**
   * Removes in `trx` the pending jobs of a table task whose payload is exactly `payload` (a cancelled wait): a job
   * already running is left to finish (its task must find nothing to do).
   */
  removeJobs<K extends TaskName>(trx: Db, task: K, payload: TaskPayloads[K]): Promise<void>;
  /** Tells local workers that new work may be ready (call after commit). */
  notify(): void;
  /** Number of runnable (not failed) jobs and the age in seconds of the oldest one, for /metrics. */
  depth(): Promise<{ depth: number; oldestAgeSeconds: number }>;
  /** The queue's jobs of `task` (every task when not given), in the order they were added: for tests and inspection. */
  jobs(task?: string): Promise<JobView[]>;
  /** The signal that new events were committed (in this process or, on PostgreSQL, any other): live streams wake on it. */
  readonly signals: EventSignals;
}

/** Context handed to a task alongside its payload. */
export interface TaskContext {
  /** 1 for the first run of the job, 2 for its first retry, and so on. */
  attempt: number;
  maxAttempts: number;
  /**
   * Embedded queue only: deletes the job in `trx`, to be called in the task's last write transaction, after its last
   * write (so nothing in that unit can throw after it). The job then ends exactly when that transaction commits and the
   * runner skips its separate completion; a task whose writes roll back throws, and the job is retried as before.
   */
  completeIn?: (trx: Db) => Promise<void>;
}

/** A job to enqueue: a task of the table with its payload. */
export type JobToEnqueue = { [K in TaskName]: { task: K; payload: TaskPayloads[K]; options?: EnqueueOptions } }[TaskName];

/** The code that runs one kind of job, as the runners hold it (payload as stored); throwing retries it with backoff. */
export type Task = (payload: any, context: TaskContext) => Promise<void>;

/** The code that runs the task `K`, typed by its payload. */
export type TaskRun<K extends TaskName> = (payload: TaskPayloads[K], context: TaskContext) => Promise<void>;

/** A module's tasks by name, each typed by its payload (what `Module.tasks` builds). */
export type TaskTable = { [K in TaskName]?: TaskRun<K> };

/** The tasks `K` by name, each typed by its payload: what a domain's task builder returns. */
export type TasksOf<K extends TaskName> = { [P in K]: TaskRun<P> };

/** Lanes of a module's tasks that do not run in DEFAULT_LANE (a lane has its own workers, so its backlog starves no other). */
export type TaskLanes = { [K in TaskName]?: string };

/** Thrown by a task to run again after `delayMs` without counting a failed attempt (rate limits, busy endpoints). */
export class RetryLater extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, reason = 'retry later') {
    super(reason);
    this.delayMs = delayMs;
  }
}
