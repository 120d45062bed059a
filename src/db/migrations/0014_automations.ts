import type { Kysely } from 'kysely';

/**
 * Automations: definitions (`automations`, the current version's JSON mirrored there), every saved version
 * (`automation_versions`: runs keep the version they started on), runs (`automation_runs`: one row per contact going
 * through a version; `active_key` is set while the run is active and unique, so at most one active run exists per
 * automation, contact and — for per_correlation_key — correlation key) and the steps each run took (`automation_run_steps`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('automations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('trigger_event', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automations_workspace_created').on('automations').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('automations_trigger_event').on('automations').columns(['workspace_id', 'trigger_event', 'status']).execute();

  await db.schema.createTable('automation_versions')
    .addColumn('automation_id', 'text', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_versions_pk', ['automation_id', 'version'])
    .execute();

  await db.schema.createTable('automation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('automation_id', 'text', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('correlation_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_step', 'text')
    .addColumn('token', 'integer', (c) => c.notNull())
    .addColumn('resume_at', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('active_key', 'text')
    .addColumn('exit_reason', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('automation_runs_active_key').on('automation_runs').column('active_key').unique().execute();
  await db.schema.createIndex('automation_runs_automation').on('automation_runs').columns(['automation_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('automation_runs_contact').on('automation_runs').columns(['workspace_id', 'contact_id', 'status']).execute();

  await db.schema.createTable('automation_run_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('automation_runs.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_run_steps_run').on('automation_run_steps').columns(['run_id', 'id']).execute();
}

/** Drops the tables. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['automation_run_steps', 'automation_runs', 'automation_versions', 'automations']) await db.schema.dropTable(table).ifExists().execute();
}
