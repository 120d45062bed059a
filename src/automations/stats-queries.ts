import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isPostgres } from '../db/dialect.ts';

/** One increment of a counter: the step ('' for the run counters), the counter's name and by how much. */
export interface CounterIncrement {
  stepId: string;
  counter: string;
  by: number;
}

/** How many rows each counter is spread over on PostgreSQL (by the connection's backend pid): concurrent transactions rarely wait on one row. */
const PG_SHARDS = 16;

/**
 * Adds `increments` to an automation's counters of `day` in `trx`, in one upsert (insert … on conflict do update set
 * value = value + excluded.value), the keys merged and sorted so that two transactions lock rows in the same order.
 * On PostgreSQL each connection writes its own shard of each counter (pg_backend_pid() % 16).
 */
export async function addCounters(trx: Db, automationId: string, day: string, increments: CounterIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  const merged = new Map<string, CounterIncrement>();
  for (const i of increments) {
    const key = `${i.stepId}\u0000${i.counter}`;
    const seen = merged.get(key);
    if (seen) seen.by += i.by;
    else merged.set(key, { ...i });
  }
  const keys = [...merged.keys()].sort();
  const shard = isPostgres(trx) ? sql<number>`pg_backend_pid() % ${sql.lit(PG_SHARDS)}` : 0;
  await trx.insertInto('automation_step_counters')
    .values(keys.map((k) => {
      const i = merged.get(k)!;
      return { automation_id: automationId, step_id: i.stepId, counter: i.counter, day, shard, value: i.by };
    }))
    .onConflict((oc) => oc.columns(['automation_id', 'day', 'step_id', 'counter', 'shard'])
      .doUpdateSet((eb) => ({ value: eb(eb.ref('automation_step_counters.value'), '+', eb.ref('excluded.value')) })))
    .execute();
}

/** One counter of an automation summed over its shards: all-time when `day` is null, else for that UTC day. */
export interface CounterSum {
  step_id: string;
  counter: string;
  day: string;
  value: number;
}

/** Every counter of an automation summed over its shards, by step, counter and UTC day (a few rows per step and day: never its runs). */
export async function counterSums(db: Db, automationId: string): Promise<CounterSum[]> {
  const rows = await db.selectFrom('automation_step_counters')
    .select(['step_id', 'counter', 'day', (eb) => eb.fn.sum<number | string>('value').as('value')])
    .where('automation_id', '=', automationId)
    .groupBy(['step_id', 'counter', 'day'])
    .orderBy('day').orderBy('step_id').orderBy('counter')
    .execute();
  return rows.map((r) => ({ step_id: r.step_id, counter: r.counter, day: r.day, value: Number(r.value) }));
}
