import type { Kysely } from 'kysely';

/**
 * Webhook endpoints get a payload `format`: `beckon` (the native event body) or `callbell` (Callbell's documented
 * payloads, for endpoints subscribed through /compat/callbell). Existing endpoints keep Beckon's format.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('format', 'text', (c) => c.notNull().defaultTo('beckon')).execute();
}

/** Drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('format').execute();
}
