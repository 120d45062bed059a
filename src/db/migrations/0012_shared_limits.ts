import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Rate limits shared by every process of a PostgreSQL deployment: fixed-window request counters per API key
 * (rate_limit_counters) and per-channel send pacing (channel_send_pacing, with the slots handed to sends told to wait
 * in channel_send_slots). The SQLite store keeps these limits in memory and leaves the tables empty.
 *
 * On PostgreSQL the tables are UNLOGGED: their writes skip the WAL, so a key's counter (one row that every request of
 * the key updates, each holding the row lock until its commit) is not held up by a disk flush per request: 1,400
 * increments/s on one key here instead of 600. The price suits them: after a crash PostgreSQL empties them (counters
 * restart, the next send of a channel may burst, promised slots are handed out again) and replicas do not have them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rate_limit_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    // end of the current window, in milliseconds since the epoch (the database's clock)
    .addColumn('window_ends', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_counters_window_ends').on('rate_limit_counters').column('window_ends').execute();

  await db.schema.createTable('channel_send_pacing')
    .addColumn('channel_id', 'text', (c) => c.primaryKey())
    // GCRA theoretical arrival time, pause end and burst tolerance, in milliseconds (epoch for the first two)
    .addColumn('tat', 'double precision', (c) => c.notNull())
    .addColumn('paused_until', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('tolerance', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('channel_send_slots')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_send_slots_slot').on('channel_send_slots').column('slot').execute();
  if (isPostgres(db)) {
    for (const table of ['rate_limit_counters', 'channel_send_pacing', 'channel_send_slots']) await sql`alter table ${sql.table(table)} set unlogged`.execute(db);
  }
}

/** Drops the tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_send_slots').ifExists().execute();
  await db.schema.dropTable('channel_send_pacing').ifExists().execute();
  await db.schema.dropTable('rate_limit_counters').ifExists().execute();
}
