import type { Kysely } from 'kysely';

/** Stores the content type of an idempotent answer (replayed as sent) and indexes rows by age for the 24 h cleanup. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('response_type', 'text').execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}

/** Removes the column and index added by up(). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_created').ifExists().execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('response_type').execute();
}
