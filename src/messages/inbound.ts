import type { ChannelsTable, MessagesTable } from '../db/types.ts';
import { findOrCreateContactByPhone } from '../contacts/service.ts';
import { setLastInbound, touchChannelWindow } from '../contacts/queries.ts';
import { recordEvent } from '../events/service.ts';
import { newId } from '../lib/ids.ts';
import { toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import type { StatusDeps } from './status.ts';
import { messageView, type MessageContent, type MessageView } from './view.ts';

/** A message a customer sent in, as a provider (or the sandbox) reports it; `from` is already E.164 and content valid. */
export interface InboundInput {
  from: string;
  type: string;
  content: MessageContent;
  providerMessageId?: string;
}

/**
 * Records a message a customer wrote in, in ONE transaction: the contact (created with source `inbound` when
 * unknown, emitting contact_created), the inbound message (status `received`), its `message_created` event and
 * the contact's `last_inbound_at` and its last inbound time on this channel (which opens the WhatsApp 24-hour
 * customer service window there). Provider webhooks and the sandbox call this.
 */
export async function receiveMessage(deps: StatusDeps, channel: ChannelsTable, input: InboundInput): Promise<MessageView> {
  const now = nowIso();
  const workspaceId = channel.workspace_id;
  const row = await deps.writer.run(async (trx) => {
    const { contact } = await findOrCreateContactByPhone(trx, deps.queue, workspaceId, input.from, 'inbound');
    const message: MessagesTable = {
      id: newId(), workspace_id: workspaceId, channel_id: channel.id, contact_id: contact.id, direction: 'inbound', type: input.type,
      content: toJson(input.content), status: 'received', status_history: toJson([{ status: 'received', at: now }]),
      provider_message_id: input.providerMessageId ?? null, error: null, metadata: null, created_at: now, updated_at: now, deleted_at: null,
      channel_type: channel.type, address: input.from, template_uuid: null, template_values: null, optin_contact: null, template: null, subject: null, html: null, campaign_id: null,
    };
    await q.insertMessage(trx, message);
    await setLastInbound(trx, workspaceId, contact.id, now);
    await touchChannelWindow(trx, workspaceId, contact.id, channel.id, now);
    await recordEvent(trx, deps.queue, workspaceId, 'message_created', messageView(message));
    return message;
  });
  deps.queue.notify();
  deps.metrics.messagesByStatus.inc({ status: 'received', direction: 'inbound' });
  return messageView(row);
}
