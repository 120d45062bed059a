import { sql, type Kysely } from 'kysely';

/** Channels get their sealed secrets column and at most one default per type; templates get their table. */
export async function up(db: Kysely<any>): Promise<void> {
  // The secret config fields of a channel, as one AES-256-GCM sealed JSON object (lib/secret-box.ts); null when none.
  await db.schema.alterTable('channels').addColumn('secrets', 'text').execute();
  await db.schema.createIndex('channels_one_default').on('channels').columns(['workspace_id', 'type']).unique()
    .where(sql.ref('is_default'), '=', 1).execute();

  await db.schema.createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('channel_type', 'text', (c) => c.notNull())
    // set for a template that belongs to one channel (a WhatsApp Business Account's, synced from it)
    .addColumn('channel_id', 'text', (c) => c.references('channels.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('parameter_format', 'text', (c) => c.notNull())
    .addColumn('header', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('footer', 'text')
    .addColumn('buttons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('provider_template_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('templates_workspace_created').on('templates').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('templates_workspace_name').on('templates').columns(['workspace_id', 'name', 'language']).execute();
}

/** Drops what up() added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('templates').ifExists().execute();
  await db.schema.dropIndex('channels_one_default').ifExists().execute();
  await db.schema.alterTable('channels').dropColumn('secrets').execute();
}
