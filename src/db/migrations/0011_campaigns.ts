import type { Kysely } from 'kysely';

/** Creates campaigns, their frozen audiences (recipients), their tracked links and the engagement log (opens, clicks, unsubscribes); tags messages with their campaign. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('segment_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('exclude_segment_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('subject', 'text')
    .addColumn('content', 'text')
    .addColumn('template_id', 'text')
    .addColumn('template_values', 'text')
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('send_at', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('audience_frozen_at', 'text')
    .addColumn('started_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_workspace_created').on('campaigns').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('campaigns_status_send_at').on('campaigns').columns(['status', 'send_at']).execute();

  await db.schema.createTable('campaign_recipients')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('message_id', 'text')
    .addColumn('processed_at', 'text')
    .addPrimaryKeyConstraint('campaign_recipients_pk', ['campaign_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('campaign_recipients_position').on('campaign_recipients').columns(['campaign_id', 'position']).unique().execute();
  await db.schema.createIndex('campaign_recipients_contact').on('campaign_recipients').columns(['contact_id']).execute();

  await db.schema.createTable('campaign_links')
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_links_pk', ['campaign_id', 'id'])
    .execute();
  await db.schema.createIndex('campaign_links_url').on('campaign_links').columns(['campaign_id', 'url']).unique().execute();

  await db.schema.createTable('engagements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('link_id', 'integer')
    .addColumn('url', 'text')
    .addColumn('machine', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('engagements_campaign').on('engagements').columns(['campaign_id', 'type', 'created_at']).execute();
  await db.schema.createIndex('engagements_contact').on('engagements').columns(['contact_id', 'created_at']).execute();
  await db.schema.createIndex('engagements_message').on('engagements').columns(['message_id', 'type']).execute();

  await db.schema.alterTable('messages').addColumn('campaign_id', 'text').execute();
  await db.schema.createIndex('messages_campaign').on('messages').columns(['campaign_id', 'status']).execute();
}

/** Drops the campaign tables and the messages' campaign column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_campaign').ifExists().execute();
  await db.schema.alterTable('messages').dropColumn('campaign_id').execute();
  await db.schema.dropTable('engagements').execute();
  await db.schema.dropTable('campaign_links').execute();
  await db.schema.dropTable('campaign_recipients').execute();
  await db.schema.dropTable('campaigns').execute();
}
