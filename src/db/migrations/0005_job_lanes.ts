import type { Kysely } from 'kysely';

/** Gives every job a lane (default | webhooks) so webhook deliveries and message work are claimed by separate worker pools. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('lane', 'text', (c) => c.notNull().defaultTo('default')).execute();
  await db.schema.dropIndex('jobs_runnable').execute();
  await db.schema.createIndex('jobs_lane_runnable').on('jobs').columns(['lane', 'failed_at', 'run_at']).execute();
}

/** Removes the lane column and restores the single runnable index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_lane_runnable').execute();
  await db.schema.alterTable('jobs').dropColumn('lane').execute();
  await db.schema.createIndex('jobs_runnable').on('jobs').columns(['failed_at', 'run_at']).execute();
}
