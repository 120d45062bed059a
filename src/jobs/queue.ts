import type { Db } from '../db/connect.ts';
import type { EventSignals } from './signals.ts';

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
  enqueue(trx: Db, task: string, payload: unknown, options?: EnqueueOptions): Promise<void>;
  /** Adds many jobs in `trx` with one statement. */
  enqueueMany(trx: Db, jobs: { task: string; payload: unknown; options?: EnqueueOptions }[]): Promise<void>;
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
}

/** The code that runs one kind of job; throwing retries it with backoff. */
export type Task = (payload: any, context: TaskContext) => Promise<void>;

/** Thrown by a task to run again after `delayMs` without counting a failed attempt (rate limits, busy endpoints). */
export class RetryLater extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, reason = 'retry later') {
    super(reason);
    this.delayMs = delayMs;
  }
}
