import type { Kysely } from 'kysely';

/**
 * Automation runs that wait for something (issue 11's waiting steps): `waiting_for` names what the run waits for
 * (`custom.<name>` for wait_for_event, `reply` for wait_for_reply, `webhook` while its webhook call is pending), null
 * otherwise; `wait_channel_id` is the channel a reply must come on (null: any). The index finds the runs an event
 * resumes by (workspace, waiting_for, contact) without a scan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('automation_runs').addColumn('waiting_for', 'text').execute();
  await db.schema.alterTable('automation_runs').addColumn('wait_channel_id', 'text').execute();
  await db.schema.createIndex('automation_runs_waiting').on('automation_runs').columns(['workspace_id', 'waiting_for', 'contact_id']).execute();
}

/** Drops the index and the columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('automation_runs_waiting').ifExists().execute();
  await db.schema.alterTable('automation_runs').dropColumn('wait_channel_id').execute();
  await db.schema.alterTable('automation_runs').dropColumn('waiting_for').execute();
}
