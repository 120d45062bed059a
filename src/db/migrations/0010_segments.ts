import type { Kysely } from 'kysely';

/** Creates segments (static lists and dynamic rule trees), the members of static lists, and an index for activity rules. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('rules', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segments_workspace_created').on('segments').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema.createTable('segment_contacts')
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_contacts_pk', ['segment_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('segment_contacts_contact').on('segment_contacts').columns(['contact_id']).execute();
  // Segment rules on recent activity (last_inbound_at within_days / after) become a range scan instead of a full scan.
  await db.schema.createIndex('contacts_workspace_last_inbound').on('contacts').columns(['workspace_id', 'last_inbound_at']).execute();
}

/** Drops the segment tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_workspace_last_inbound').ifExists().execute();
  await db.schema.dropTable('segment_contacts').execute();
  await db.schema.dropTable('segments').execute();
}
