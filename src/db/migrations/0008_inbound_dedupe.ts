import { sql, type Kysely } from 'kysely';

/**
 * One inbound message per provider message id and channel: a provider webhook delivered twice (Meta and Twilio
 * retry until they get a 200) can never record the same customer message twice, even when both copies race.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_inbound_provider_id').on('messages').columns(['channel_id', 'provider_message_id']).unique()
    .where(sql.ref('direction'), '=', 'inbound').execute();
}

/** Drops the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_inbound_provider_id').ifExists().execute();
}
