import type { Db } from '../../db/connect.ts';
import { prepared } from '../../db/prepared.ts';

/** The id of the inbound message a channel already recorded under this provider message id (a webhook retry), if any. */
export async function findInboundId(db: Db, channelId: string, providerMessageId: string): Promise<string | undefined> {
  return (await inboundId(db, channelId, providerMessageId))[0]?.id;
}
const inboundId = prepared((db, channelId: string, providerMessageId: string) =>
  db.selectFrom('messages').select('id').where('provider_message_id', '=', providerMessageId).where('channel_id', '=', channelId)
    .where('direction', '=', 'inbound').limit(1));

/** The id of the outbound message a channel sent under this provider message id (the wamid), if any. */
export async function findOutboundId(db: Db, channelId: string, providerMessageId: string): Promise<string | undefined> {
  return (await outboundId(db, channelId, providerMessageId))[0]?.id;
}
const outboundId = prepared((db, channelId: string, providerMessageId: string) =>
  db.selectFrom('messages').select('id').where('provider_message_id', '=', providerMessageId).where('channel_id', '=', channelId)
    .where('direction', '=', 'outbound').limit(1));

/** One of a channel's outbound messages by its Beckon id (Meta echoes it as biz_opaque_callback_data), if any. */
export async function findOutboundById(db: Db, channelId: string, id: string): Promise<{ id: string; provider_message_id: string | null } | undefined> {
  return (await outboundById(db, channelId, id))[0];
}
const outboundById = prepared((db, channelId: string, id: string) =>
  db.selectFrom('messages').select(['id', 'provider_message_id']).where('id', '=', id).where('channel_id', '=', channelId)
    .where('direction', '=', 'outbound').limit(1));
