import type { Kysely } from 'kysely';

/** Adds the message columns the messages domain reads without joins (channel type, address, template fields) and the sandbox provider's own send log. */
export async function up(db: Kysely<any>): Promise<void> {
  // One ALTER per column: SQLite accepts a single ADD COLUMN per statement.
  await db.schema.alterTable('messages').addColumn('channel_type', 'text').execute();
  await db.schema.alterTable('messages').addColumn('address', 'text').execute();
  await db.schema.alterTable('messages').addColumn('template_uuid', 'text').execute();
  await db.schema.alterTable('messages').addColumn('template_values', 'text').execute();
  await db.schema.alterTable('messages').addColumn('optin_contact', 'integer').execute();
  await db.schema.createIndex('messages_workspace_contact').on('messages').columns(['workspace_id', 'contact_id', 'created_at', 'id']).execute();

  // The sandbox provider's memory: what an outside provider would keep on its side (one row per idempotency key).
  await db.schema.createTable('sandbox_sends')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('provider_message_id', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops what up() added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sandbox_sends').ifExists().execute();
  await db.schema.dropIndex('messages_workspace_contact').ifExists().execute();
  for (const column of ['optin_contact', 'template_values', 'template_uuid', 'address', 'channel_type']) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
