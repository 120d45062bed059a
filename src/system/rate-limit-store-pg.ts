import { sql } from 'kysely';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/connect.ts';

/** How often a process deletes counters whose window ended long ago (each process does; the DELETE is idempotent). */
export const COUNTER_CLEANUP_MS = 60_000;

/** A counter is deleted this long after its window ended. */
const COUNTER_GRACE_MS = 60_000;

/** The database's clock in milliseconds: every process counts windows by one clock, whatever the skew between machines. */
const NOW_MS = sql<string>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** Result handed back to @fastify/rate-limit: requests counted in the window (this one included) and ms until it ends. */
export interface CounterState {
  current: number;
  ttl: number;
}

/**
 * Counts one request for `key` in a fixed window of `windowMs`, in one atomic statement: the first request (or the
 * first after the window ended) starts a window at 1; later ones add 1. Concurrent requests from any number of
 * processes serialize on the row, so no two see the same count.
 */
export async function incrementCounter(db: Db, key: string, windowMs: number): Promise<CounterState> {
  const row = await db.insertInto('rate_limit_counters')
    .values({ key, count: 1, window_ends: sql`${NOW_MS} + ${windowMs}` })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      count: sql`case when rate_limit_counters.window_ends <= ${NOW_MS} then 1 else rate_limit_counters.count + 1 end`,
      window_ends: sql`case when rate_limit_counters.window_ends <= ${NOW_MS} then ${NOW_MS} + ${windowMs} else rate_limit_counters.window_ends end`,
    }))
    .returning(['count', 'window_ends', NOW_MS.as('now')])
    .executeTakeFirstOrThrow();
  return { current: Number(row.count), ttl: Math.max(0, Number(row.window_ends) - Number(row.now)) };
}

/** Deletes counters whose window ended more than a minute ago; returns how many. */
export async function deleteExpiredCounters(db: Db): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counters').where('window_ends', '<', sql<number>`${NOW_MS} - ${COUNTER_GRACE_MS}`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * A @fastify/rate-limit store class counting in PostgreSQL, so a key's limit holds across every API process sharing
 * the database. `stop` ends the periodic cleanup (call it when the app closes).
 */
export function pgRateLimitStore(db: Db): { Store: FastifyRateLimitStoreCtor; stop(): void } {
  const timer = setInterval(() => {
    deleteExpiredCounters(db).catch(() => {}); // a failed sweep is retried at the next tick
  }, COUNTER_CLEANUP_MS);
  timer.unref();

  class PgStore implements FastifyRateLimitStore {
    prefix: string;
    constructor(_options: unknown, prefix = '') {
      this.prefix = prefix;
    }
    incr(key: string, callback: (error: Error | null, result?: CounterState) => void, timeWindow: number): void {
      incrementCounter(db, this.prefix + key, timeWindow).then((state) => callback(null, state), (err: Error) => callback(err));
    }
    child(routeOptions: { path?: string; prefix?: string; routeInfo?: { method?: unknown; url?: string } }): FastifyRateLimitStore {
      const route = routeOptions.routeInfo?.url ?? routeOptions.path ?? '';
      return new PgStore(undefined, `${this.prefix}${String(routeOptions.routeInfo?.method ?? '')}${route}:`);
    }
  }
  return { Store: PgStore as unknown as FastifyRateLimitStoreCtor, stop: () => clearInterval(timer) };
}
