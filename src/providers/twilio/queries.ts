import type { MessageDirection } from '../../db/enums.ts';
import type { Db } from '../../db/connect.ts';
import type { MessagesTable } from '../../db/types.ts';
import { prepared } from '../../db/prepared.ts';

/** The message of this channel with this Twilio SID and direction (SIDs are only trusted within their channel). */
export async function findMessageBySid(db: Db, channelId: string, direction: MessageDirection, sid: string): Promise<MessagesTable | undefined> {
  return (await messageBySid(db, sid, channelId, direction))[0];
}
const messageBySid = prepared((db, sid: string, channelId: string, direction: MessageDirection) =>
  db.selectFrom('messages').selectAll().where('provider_message_id', '=', sid).where('channel_id', '=', channelId).where('direction', '=', direction).limit(1));

/** The outbound message of this channel with this Beckon id. */
export async function findOutboundOnChannel(db: Db, channelId: string, messageId: string): Promise<MessagesTable | undefined> {
  return (await outboundOnChannel(db, messageId, channelId))[0];
}
const outboundOnChannel = prepared((db, messageId: string, channelId: string) =>
  db.selectFrom('messages').selectAll().where('id', '=', messageId).where('channel_id', '=', channelId).where('direction', '=', 'outbound'));
