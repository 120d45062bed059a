import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { SharedWriteLock } from '../db/shared-write-lock.ts';
import { applyJobCounters, type CounterIncrement, type Metrics } from '../system/metrics.ts';
import type { SqliteQueue } from './sqlite-queue.ts';
import type { JobRunners } from '../worker-thread-shared.ts';

/** What the job thread starts from (structured-cloned: the config's secret key arrives as bytes). */
export interface ThreadData {
  config: Config;
  secretKey: Uint8Array;
  /** The process's SQLite write lock (SharedWriteLock), the thread being party JOB_PARTY. */
  lockBuffer: SharedArrayBuffer;
  /** Both threads' utilization (thread-load.ts, by party): the thread publishes its own and deals its webhook calls by both. */
  loadBuffer: SharedArrayBuffer;
  /** The lanes the thread runs (and whose locks it releases at its start): the API thread runs the others. */
  lanes: string[];
}

/** The API thread's and the job thread's numbers on the shared write lock. */
export const API_PARTY = 1;
export const JOB_PARTY = 2;
/** Each party's name in /metrics' `thread` label. */
export const THREAD_NAMES: Record<number, string> = { [API_PARTY]: 'api', [JOB_PARTY]: 'jobs' };

/** Messages from the API thread to the job thread: `start` comes first (the thread may have loaded before the store was open). */
export type ToThread = { type: 'start'; data: ThreadData } | { type: 'wake' } | { type: 'stop' };

/** Messages from the job thread to the API thread. */
export type ToHost = { type: 'wake' } | { type: 'counters'; batch: CounterIncrement[] } | { type: 'stopped' };

/** First wait before restarting a crashed job thread; it doubles with each crash that comes soon after, up to MAX. */
const RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
/** A thread that ran this long before crashing restarts after RESTART_MS again. */
const STABLE_MS = 60_000;
/**
 * The job thread's young generation at most, in MB. Left to V8 it grew to 134 MB during a 200,000-row import (and its
 * old space filled with what it promoted), which took the process's peak from ~415 to ~535 MB; capped, the same import
 * and the pipeline took no more CPU (docs/benchmarks.md, "The job thread by default").
 */
const JOB_THREAD_YOUNG_GENERATION_MB = 16;

/** The job thread's entry module. */
const THREAD_ENTRY = new URL('../worker-thread.ts', import.meta.url);

/** Whether startRuntime runs the job runners on a thread of their own: SQLite, role all, the thread asked for and the runners started. */
export function wantsJobThread(config: Pick<Config, 'databaseUrl' | 'role'>, options: { worker?: boolean; thread?: boolean }): boolean {
  return options.worker !== false && options.thread === true && !config.databaseUrl && config.role === 'all';
}

/** A job thread started before its host, loading its modules; null once taken or never started. */
let preloaded: { worker: Worker; exited: boolean } | null = null;

function newThread(entry: URL): Worker {
  return new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: JOB_THREAD_YOUNG_GENERATION_MB } });
}

/**
 * Starts the job thread now, so it loads its module graph (~0.5 s) on the other core while this thread opens the store
 * and builds the app; the ThreadRunners started later take it over and send it its data. It does not keep the
 * process alive, and one that fails to load before it is taken is replaced by a new one.
 */
export function preloadJobThread(): void {
  if (preloaded) return;
  const worker = newThread(THREAD_ENTRY);
  const entry = { worker, exited: false };
  worker.unref();
  // one that fails before it is taken is not taken: the host starts a new one, whose failure it logs
  worker.on('error', () => {});
  worker.once('exit', () => {
    entry.exited = true;
  });
  preloaded = entry;
}

/** The preloaded job thread, if one is loading and still alive (each is taken once). */
function takePreloaded(): Worker | null {
  const entry = preloaded;
  preloaded = null;
  if (!entry || entry.exited) return null;
  entry.worker.removeAllListeners();
  entry.worker.ref();
  return entry.worker;
}

/** Options of the job thread's host. */
export interface ThreadRunnersOptions {
  config: Config;
  secretKey: Buffer;
  /** The API thread's queue: its notify() wakes the thread's runners; the thread's signals wake its listeners (event streams). */
  queue: SqliteQueue;
  /** The API thread's metrics, which /metrics reads: the thread's job counters are added to them. */
  metrics: Metrics;
  log: FastifyBaseLogger;
  /** The write lock the API thread's store takes (SharedWriteLock.buffer(), the API as API_PARTY). */
  lockBuffer: SharedArrayBuffer;
  /** Where both threads publish their utilization by party (loadBuffer(), publishLoad): the thread deals its webhook calls by it. */
  loadBuffer: SharedArrayBuffer;
  /** The lanes the thread runs (JOB_THREAD_LANES). */
  lanes: readonly string[];
  /** The runners of the other lanes, on this (the API) thread: started with the thread, drained with it on stop(). */
  local?: JobRunners;
  /** The thread's entry module (tests may point at another). */
  entry?: URL;
}

/**
 * The job runners of the embedded store split over two threads, so the API and the jobs use two cores: `lanes` on a
 * worker thread of their own, the others (`local`, the webhook calls) on this thread beside the API. start() returns
 * while the thread loads; stop() drains the local runners and asks the thread to drain its in-flight jobs, and waits
 * for both. A thread that dies unasked (an uncaught error) is logged and started again: the jobs it held are in the
 * jobs table, and the new thread releases the locks of its lanes (not of the local runners' jobs, still running) and
 * runs them again, while the API keeps accepting. Wake signals cross both ways: a job committed here wakes the
 * thread's runners, one committed there wakes the local ones.
 */
export class ThreadRunners implements JobRunners {
  private readonly options: ThreadRunnersOptions;
  private worker: Worker | null = null;
  private stopping = false;
  private restartMs = RESTART_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** How many times the thread was started (tests and logs). */
  generation = 0;

  constructor(options: ThreadRunnersOptions) {
    this.options = options;
  }

  /**
   * Starts the thread without waiting for it: its module graph takes about a second to load on the other core, while
   * the API already serves (the jobs it accepts meanwhile wait in the jobs table). A thread that fails to start, or
   * dies later, is logged and started again.
   */
  async start(): Promise<void> {
    this.options.queue.relay = this.relay;
    this.spawn();
    await this.options.local?.start();
  }

  /** Drains the local runners and asks the thread to finish its in-flight jobs and exit; waits for both. A pending restart is cancelled. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.options.queue.relay = null;
    clearTimeout(this.restartTimer);
    this.worker?.postMessage({ type: 'stop' } satisfies ToThread);
    await Promise.all([this.exited, this.options.local?.stop()]);
  }

  /** The running thread (null between a crash and its restart). */
  get thread(): Worker | null {
    return this.worker;
  }

  private relaying = false;
  /** The API thread's notify(): one wake message per turn, however many commits asked for it. */
  private relay = (): void => {
    if (this.relaying) return;
    this.relaying = true;
    queueMicrotask(() => {
      this.relaying = false;
      this.worker?.postMessage({ type: 'wake' } satisfies ToThread);
    });
  };

  /** Starts a thread; when it exits unasked (at start or later) it is started again after a backoff. */
  private spawn(): void {
    const { config, secretKey, queue, metrics, log } = this.options;
    const data: ThreadData = { config: { ...config, secretKey: config.secretKey ? new Uint8Array(config.secretKey) : undefined } as unknown as Config, secretKey: new Uint8Array(secretKey), lockBuffer: this.options.lockBuffer, loadBuffer: this.options.loadBuffer, lanes: [...this.options.lanes] };
    const worker = (this.options.entry ? null : takePreloaded()) ?? newThread(this.options.entry ?? THREAD_ENTRY);
    worker.postMessage({ type: 'start', data } satisfies ToThread);
    const startedAt = Date.now();
    this.worker = worker;
    this.generation++;
    this.exited = new Promise<void>((resolveExit) => {
      worker.on('message', (message: ToHost) => {
        if (message.type === 'wake') queue.wake.emit('wake');
        else if (message.type === 'counters') applyJobCounters(metrics, message.batch);
        else if (message.type === 'stopped') void worker.terminate();
      });
      worker.on('error', (err) => log.error({ err }, 'the job thread failed'));
      worker.once('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        // a thread that died mid-transaction (SQLite rolled it back) must not keep the API waiting for the lock
        SharedWriteLock.releaseParty(this.options.lockBuffer, JOB_PARTY);
        resolveExit();
        if (this.stopping) return;
        // died unasked: start it again, sooner when it had been running for a while
        this.restartMs = Date.now() - startedAt >= STABLE_MS ? RESTART_MS : Math.min(MAX_RESTART_MS, this.restartMs * 2);
        log.error({ code, restartInMs: this.restartMs }, 'the job thread stopped unexpectedly; restarting it (its jobs stay queued and run again)');
        this.restartTimer = setTimeout(() => {
          if (!this.stopping) this.spawn();
        }, this.restartMs);
      });
    });
  }
}
