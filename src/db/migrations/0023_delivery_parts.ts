import type { Kysely } from 'kysely';

/**
 * A webhook delivery gets a `part`: an event one format sends as several bodies (Callbell's team_membership_updated,
 * one per user added or removed) makes one delivery per part to such an endpoint, each attempted and logged on its own.
 * Every other delivery is part 0; one delivery per event, endpoint and part.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('part', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.dropIndex('webhook_deliveries_event_endpoint').execute();
  await db.schema.createIndex('webhook_deliveries_event_endpoint').on('webhook_deliveries').columns(['event_id', 'endpoint_id', 'part']).unique().execute();
}

/** Keeps part 0 of every event and endpoint, then drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('part', '<>', 0).execute();
  await db.schema.dropIndex('webhook_deliveries_event_endpoint').execute();
  await db.schema.createIndex('webhook_deliveries_event_endpoint').on('webhook_deliveries').columns(['event_id', 'endpoint_id']).unique().execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('part').execute();
}
