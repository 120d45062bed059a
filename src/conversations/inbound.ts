import type { Db } from '../db/connect.ts';
import type { ChannelType } from '../db/enums.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { EventBus, EventSubscriber, RecordedEvent } from '../events/subscribers.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { autoAssignOnOpen } from './assignment.ts';
import { cancelSnooze, recordConversationEvents, statusEvents } from './lifecycle.ts';
import * as q from './queries.ts';

/** What the subscriber reads from a message_created payload (the message's view). */
interface MessagePayload {
  direction?: string;
  channel?: string | null;
  channel_uuid?: string;
  contact?: { uuid?: string };
  created_at?: string;
}

/**
 * Files one inbound message into its thread in `trx`: opens the contact's conversation on the channel (event
 * conversation_opened), or reopens a resolved or snoozed one (conversation_status_updated + conversation_opened,
 * round-robin when it has an auto-assign team and no assignee), and counts the message (the readers' unread counter,
 * waiting_since when the customer was not already waiting, the window's start, the list's order).
 */
export async function fileInbound(trx: Db, bus: EventBus, workspaceId: string, message: { contactId: string; channelId: string; channelType: ChannelType; at: string }): Promise<void> {
  const { contactId, channelId, channelType, at } = message;
  const row = await q.findByContactChannel(trx, workspaceId, contactId, channelId);
  if (!row) {
    const id = newId();
    await q.insertConversation(trx, {
      id, workspace_id: workspaceId, contact_id: contactId, channel_id: channelId, channel_type: channelType, status: 'open', assignee_id: null,
      team_id: null, priority: 'none', funnel_stage_id: null, bot_status: null, inbound_count: 1, waiting_since: at, first_response_at: null,
      resolved_at: null, last_inbound_at: at, last_message_at: at, snoozed_until: null, created_at: at, updated_at: at,
    });
    await recordConversationEvents(trx, bus, workspaceId, id, [{ type: 'conversation_opened', extra: { reopened: false } }]);
    return;
  }
  const comesBack = row.status === 'resolved' || row.status === 'snoozed';
  const changes = { waiting_since: row.waiting_since ?? at, last_inbound_at: at, last_message_at: at, updated_at: at };
  if (!comesBack) {
    await q.countInbound(trx, row.id, changes);
    return;
  }
  await cancelSnooze(trx, bus, row);
  await q.countInbound(trx, row.id, { ...changes, status: 'open', resolved_at: null, snoozed_until: null });
  await recordConversationEvents(trx, bus, workspaceId, row.id, statusEvents(row.status, 'open'));
  await autoAssignOnOpen(trx, bus, { ...row, status: 'open' }, at);
}

/**
 * The inbox's event subscriber: every inbound message_created files the message into its conversation, in the
 * message's transaction (a few indexed statements). `subscribers` gives the bus its own events go to.
 */
export function conversationSubscriber(subscribers: () => readonly EventSubscriber[]): EventSubscriber {
  return {
    name: 'conversations',
    types: ['message_created'],
    async handle(trx: Db, queue: JobQueue, workspaceId: string, events: RecordedEvent[]): Promise<void> {
      const bus: EventBus = { queue, subscribers: subscribers() };
      for (const event of events) {
        // outbound messages (campaign batches: hundreds per call) are skipped without parsing their payload
        if (!event.payload.includes('"direction":"inbound"')) continue;
        const payload = parseJson<MessagePayload>(event.payload, {});
        if (payload.direction !== 'inbound' || !payload.contact?.uuid || !payload.channel_uuid || !payload.channel) continue;
        await fileInbound(trx, bus, workspaceId, {
          contactId: payload.contact.uuid, channelId: payload.channel_uuid, channelType: payload.channel as ChannelType, at: payload.created_at ?? event.created_at,
        });
      }
    },
  };
}
