import type { Kysely } from 'kysely';

/**
 * Send-time rules: the last inbound message per (contact, channel), which opens the WhatsApp 24-hour customer
 * service window, and the message columns of template and email sends (the resolved template, subject, html).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('contact_channel_windows')
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('last_inbound_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_channel_windows_pk', ['contact_id', 'channel_id'])
    .execute();
  // One ALTER per column: SQLite accepts a single ADD COLUMN per statement.
  await db.schema.alterTable('messages').addColumn('template', 'text').execute();
  await db.schema.alterTable('messages').addColumn('subject', 'text').execute();
  await db.schema.alterTable('messages').addColumn('html', 'text').execute();
}

/** Drops what up() added. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['html', 'subject', 'template']) await db.schema.alterTable('messages').dropColumn(column).execute();
  await db.schema.dropTable('contact_channel_windows').ifExists().execute();
}
