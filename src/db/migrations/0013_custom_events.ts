import type { Kysely } from 'kysely';

/**
 * Custom events (POST /v1/events): one row per event, keyed by the id of its row in `events` (which webhooks, the
 * feed and the stream read, and the retention purge deletes). This table is the contact's record of what it did, kept
 * with the contact (deleted with it) and indexed for segment conditions ("did order_placed at least N times within D
 * days": workspace, contact, name, occurred_at) and for the contact's history (workspace, contact, created_at, id).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('custom_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('correlation_key', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_events_contact_name').on('custom_events').columns(['workspace_id', 'contact_id', 'name', 'occurred_at']).execute();
  await db.schema.createIndex('custom_events_contact_created').on('custom_events').columns(['workspace_id', 'contact_id', 'created_at', 'id']).execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('custom_events').ifExists().execute();
}
