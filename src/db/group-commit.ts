import { CompiledQuery } from 'kysely';
import type { Db } from './connect.ts';
import { executeCompiled } from './prepared.ts';

const SAVEPOINT = CompiledQuery.raw('SAVEPOINT unit');
const RELEASE = CompiledQuery.raw('RELEASE unit');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO unit');

/** Runs units of writes atomically; callers don't know whether units share a commit (SQLite) or not (PostgreSQL). */
export interface Writer {
  /** Runs `work` in a transaction (possibly shared with other concurrent units); resolves after the commit. */
  run<T>(work: (trx: Db) => Promise<T>): Promise<T>;
}

interface Unit<T> {
  work: (trx: Db) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs concurrent units of work in shared transactions (group commit): every unit submitted while a
 * commit is in progress joins the next one, so many requests pay for one durable commit. Each unit runs
 * inside its own savepoint: a unit that throws rolls back alone and rejects; the others commit.
 */
export class GroupCommitter implements Writer {
  private readonly db: Db;
  private readonly maxBatch: number;
  private pending: Unit<any>[] = [];
  private running = false;

  constructor(db: Db, maxBatch = 512) {
    this.db = db;
    this.maxBatch = maxBatch;
  }

  /** Runs `work` in a transaction shared with other concurrent units; resolves after the commit. */
  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      await this.commit(batch);
      // Units resolved by a commit may submit the next ones from their continuations (a job's completion claims the
      // next jobs…): on SQLite all of it runs in microtasks, so without this turn of the event loop the loop could go
      // on for seconds while timers and HTTP requests wait.
      if (this.pending.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.running = false;
  }

  private async commit(batch: Unit<any>[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const unit of batch) {
          await executeCompiled(trx, SAVEPOINT);
          try {
            const value = await unit.work(trx);
            await executeCompiled(trx, RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await executeCompiled(trx, ROLLBACK_TO);
            await executeCompiled(trx, RELEASE);
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    batch.forEach((unit, i) => (outcomes[i].ok ? unit.resolve(outcomes[i].value) : unit.reject(outcomes[i].value)));
  }
}

// Serialization failure and deadlock: the transaction was rolled back whole and can run again.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 5;

/**
 * The PostgreSQL writer: each unit runs in its own transaction on the pool (concurrent units commit in parallel, the
 * server groups their WAL flushes). A unit rolled back by a deadlock or serialization failure runs again, up to 5 times.
 */
export class TransactionWriter implements Writer {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Runs `work` in a transaction of its own; resolves after the commit. */
  async run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(work);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (attempt >= MAX_TRIES || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 10));
      }
    }
  }
}
