import type { Db } from '../db/connect.ts';
import type { Writer } from '../db/group-commit.ts';
import type { AttemptResult } from './deliver.ts';
import type { DeliveryJob } from './delivery-job.ts';
import * as q from './queries.ts';

/** A delivery attempt's row in webhook_attempts. */
export function attemptRow(job: DeliveryJob, sentAt: Date, result: AttemptResult) {
  return {
    delivery_id: job.delivery_id, attempt: job.attempt, status_code: result.statusCode, latency_ms: result.latencyMs,
    response_excerpt: result.excerpt, error: result.error, created_at: sentAt.toISOString(),
  };
}

/** A successful attempt to record, with its job's hook that ends the job in the same transaction (embedded queue). */
export interface Success {
  job: DeliveryJob;
  sentAt: Date;
  result: AttemptResult;
  completeIn?: (trx: Db) => Promise<void>;
}

interface Waiting extends Success {
  resolve: (recorded: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Records the successful attempts that finish together in one unit of writes: each delivery's compare-and-set update
 * (no read first), their attempt rows in one insert, each endpoint marked healthy once, and their jobs ended in the
 * same transaction. One unit instead of one per attempt: the write lock is held for far fewer statements per delivery.
 */
export class SuccessRecorder {
  private readonly writer: Writer;
  private pending: Waiting[] = [];
  private flushing = false;

  constructor(writer: Writer) {
    this.writer = writer;
  }

  /** Records a successful attempt; resolves after its commit to true, or to false when the attempt was stale (the delivery moved on or is gone). */
  record(success: Success): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ...success, resolve, reject });
      if (this.flushing) return;
      this.flushing = true;
      void this.flush();
    });
  }

  /** Takes what is pending: attempts that succeed after this go to the next unit. */
  private take(): Waiting[] {
    const batch = this.pending;
    this.pending = [];
    this.flushing = false;
    return batch;
  }

  private async flush(): Promise<void> {
    // taken when the unit starts, not when it was submitted, so attempts finishing while a commit runs join it; taken
    // once, because a PostgreSQL unit rolled back by a deadlock runs again
    let batch: Waiting[] | null = null;
    try {
      const recorded = await this.writer.run((trx) => recordSuccesses(trx, (batch ??= this.take())));
      batch!.forEach((s, i) => s.resolve(recorded[i]));
    } catch (error) {
      for (const s of (batch ??= this.take())) s.reject(error);
    }
  }
}

/** Writes the successes in `trx`; answers, per success, whether it was recorded (false: stale). */
async function recordSuccesses(trx: Db, batch: Success[]): Promise<boolean[]> {
  const at = new Date().toISOString();
  const recorded: boolean[] = [];
  for (const s of batch) recorded.push(await q.recordDeliverySuccess(trx, s.job.delivery_id, s.job.attempt - 1, s.result.statusCode, at));
  const fresh = batch.filter((_, i) => recorded[i]);
  await q.insertAttempts(trx, fresh.map((s) => attemptRow(s.job, s.sentAt, s.result)));
  const endpoints = new Set<string>();
  for (const s of fresh) endpoints.add(s.job.endpoint_id ?? (await q.findDeliveryById(trx, s.job.delivery_id)).endpoint_id);
  for (const id of endpoints) await q.markEndpointHealthy(trx, id);
  // a stale attempt's job is over too
  for (const s of batch) await s.completeIn?.(trx);
  return recorded;
}
