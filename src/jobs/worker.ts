import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.ts';
import { RetryLater, type Task } from './queue.ts';
import { DEFAULT_LANE, type ClaimedJob, type SqliteQueue } from './sqlite-queue.ts';

/** Options for the job worker loop. */
export interface WorkerOptions {
  queue: SqliteQueue;
  tasks: Record<string, Task>;
  /** The lane this worker claims from (see SqliteQueue's lane map). */
  lane?: string;
  concurrency: number;
  log: FastifyBaseLogger;
  /** How often to look for due jobs when nothing woke the worker (ms). */
  pollMs?: number;
  /** How long a claimed job stays locked before another claim may take it (ms). */
  leaseMs?: number;
}

/** Backoff after the n-th failed attempt: 2^n seconds, at most an hour, with ±20% jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(3600, 2 ** attempt) * 1000;
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** The loop that claims jobs and runs their tasks, at most `concurrency` at a time. */
export class Worker {
  private readonly options: Required<WorkerOptions>;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  /** Completions of finished jobs not committed yet: they no longer hold a slot (the job stays locked until then). */
  private completing = new Set<Promise<void>>();
  /** Jobs this runner claimed whose outcome may not be committed yet as the next claim reads: that claim skips them. */
  private readonly taken = new Set<number>();
  /** Jobs whose outcome committed: they leave `taken` when the next claim starts (a read begun before would see them). */
  private settled: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private looping: Promise<void> | null = null;
  private again = false;
  /** While jobs are running, claim only when at least this many slots are free (fewer, larger claims). */
  private readonly claimBatch: number;

  constructor(options: WorkerOptions) {
    this.options = { pollMs: 250, leaseMs: 60_000, lane: DEFAULT_LANE, ...options };
    this.claimBatch = Math.max(1, Math.floor(this.options.concurrency / 4));
  }

  /** Starts claiming jobs. */
  start(): void {
    this.running = true;
    this.options.queue.wake.on('wake', this.kick);
    this.kick();
  }

  /** Stops claiming, waits for in-flight jobs to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.options.queue.wake.off('wake', this.kick);
    if (this.timer) clearTimeout(this.timer);
    // a claim under way may still hand back jobs: wait for it, then for every job it started
    while (this.looping || this.inFlight.size > 0 || this.completing.size > 0) await Promise.allSettled([this.looping, ...this.inFlight, ...this.completing]);
  }

  private kick = (): void => {
    if (!this.running) return;
    if (this.looping) {
      this.again = true;
      return;
    }
    // kicks that arrive while a loop runs set `again`; the loop handles them, or this picks up the ones it missed
    this.looping = this.loop().finally(() => {
      this.looping = null;
      if (this.again) this.kick();
    });
  };

  private async loop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    do {
      this.again = false;
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0 || !this.running) break;
      if (this.inFlight.size > 0 && free < this.claimBatch) break;
      let jobs: ClaimedJob[] = [];
      for (const id of this.settled) this.taken.delete(id);
      this.settled = [];
      try {
        const claimed = await this.options.queue.claim(this.options.lane, free, this.options.leaseMs, this.taken);
        jobs = claimed.jobs;
        claimed.locked.catch((err: unknown) => this.options.log.error({ err, jobs: jobs.map((j) => j.id) }, 'could not record the claim of jobs; they run without their attempt counted'));
      } catch (err) {
        this.options.log.error({ err }, 'job claim failed');
      }
      for (const job of jobs) this.taken.add(job.id);
      for (const job of jobs) this.track(this.run(job));
      if (jobs.length === free) this.again = true;
    } while (this.again && this.running);
    if (this.running) this.timer = setTimeout(this.kick, this.options.pollMs);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => {
      this.inFlight.delete(promise);
      this.kick();
    });
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { queue, tasks, log } = this.options;
    const task = tasks[job.task];
    let completedIn = false;
    const completeIn = async (trx: Db): Promise<void> => {
      await queue.completeIn(trx, job.id);
      completedIn = true;
    };
    try {
      if (!task) throw new Error(`no task named ${job.task}`);
      await task(JSON.parse(job.payload), { attempt: job.attempts, maxAttempts: job.max_attempts, completeIn });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      try {
        if (err instanceof RetryLater) {
          await queue.reschedule(job.id, new Date(Date.now() + err.delayMs), message, false);
        } else if (job.attempts >= job.max_attempts) {
          log.error({ err, job: job.id, task: job.task }, 'job failed for good');
          await queue.fail(job.id, message);
        } else {
          log.warn({ err, job: job.id, task: job.task, attempt: job.attempts }, 'job failed, will retry');
          await queue.reschedule(job.id, new Date(Date.now() + backoffMs(job.attempts)), message, true);
        }
      } catch (storeErr) {
        log.error({ err: storeErr, job: job.id }, 'could not record job outcome; the lease will expire and it will run again');
      }
      this.settled.push(job.id);
      return;
    }
    // the task deleted its job in its last write transaction, which committed before the task returned
    if (completedIn) this.settled.push(job.id);
    else this.complete(job.id);
  }

  /**
   * Deletes a finished job in the next group commit without holding its slot until then: the job stays locked (its
   * lease) until the delete commits, so no claim takes it again; a crash before that runs it again, as before.
   */
  private complete(id: number): void {
    const done = this.options.queue.complete(id).catch((err: unknown) => {
      this.options.log.error({ err, job: id }, 'could not record job completion; the lease will expire and it will run again');
    });
    this.completing.add(done);
    void done.finally(() => {
      this.completing.delete(done);
      this.settled.push(id);
    });
  }
}

/** Several lane workers started and stopped together. */
export class Workers {
  private readonly workers: Worker[];

  constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /** Starts every lane's worker. */
  start(): void {
    for (const worker of this.workers) worker.start();
  }

  /** Stops every lane's worker and waits for their in-flight jobs. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}
