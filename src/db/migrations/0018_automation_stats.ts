import type { Kysely } from 'kysely';

/**
 * Automation statistics: `automation_step_counters` holds one counter per (automation, step, counter, UTC day, shard),
 * incremented with an upsert in the transaction of each run's move (engine.ts through automations/stats.ts), so reading
 * an automation's stats sums a few counter rows and never scans its runs. `step_id` is '' for the run counters
 * (started, completed, exited, failed, converted). `shard` spreads the increments of concurrent transactions over
 * several rows on PostgreSQL (the connection's backend pid modulo 16; always 0 on SQLite, which has one writer).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('automation_step_counters')
    .addColumn('automation_id', 'text', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('counter', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_step_counters_pk', ['automation_id', 'day', 'step_id', 'counter', 'shard'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('automation_step_counters').ifExists().execute();
}
