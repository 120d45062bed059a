import type { Kysely } from 'kysely';

/** Webhooks: how an endpoint was created (api or Callbell's subscribe), one delivery per event and endpoint, and the delivery log's indexes. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('origin', 'text', (c) => c.notNull().defaultTo('api')).execute();
  await db.schema.createIndex('webhook_deliveries_event_endpoint').on('webhook_deliveries').columns(['event_id', 'endpoint_id']).unique().execute();
  await db.schema.createIndex('webhook_deliveries_endpoint_status').on('webhook_deliveries').columns(['endpoint_id', 'status', 'created_at', 'id']).execute();
}

/** Reverts 0003_webhooks. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_endpoint_status').ifExists().execute();
  await db.schema.dropIndex('webhook_deliveries_event_endpoint').ifExists().execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('origin').execute();
}
