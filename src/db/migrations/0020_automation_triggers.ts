import type { Kysely } from 'kysely';

/**
 * Automation triggers beyond api/event: an index to find a workspace's active automations of one trigger type (and
 * lookup key), and `automation_trigger_fires`, the starts a trigger makes once only (a date trigger's occurrence for a
 * contact, an event's date, a day's scan of contact dates): inserted if absent, so a job that runs twice starts nothing twice.
 * Workspaces get a default time zone (`time_zone`, null: UTC), the zone date triggers read dates in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('time_zone', 'text').execute();
  await db.schema.createIndex('automations_trigger_type').on('automations').columns(['workspace_id', 'trigger_type', 'status', 'trigger_event']).execute();
  await db.schema.createTable('automation_trigger_fires')
    .addColumn('automation_id', 'text', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('fire_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_trigger_fires_pk', ['automation_id', 'fire_key'])
    .execute();
}

/** Drops the table and the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('automation_trigger_fires').ifExists().execute();
  await db.schema.dropIndex('automations_trigger_type').ifExists().execute();
  await db.schema.alterTable('workspaces').dropColumn('time_zone').execute();
}
