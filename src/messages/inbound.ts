import type { ChannelsTable } from '../db/types.ts';
import { findOrCreateContactByPhone, updateContactIn } from '../contacts/service.ts';
import { setLastInbound, touchChannelWindow } from '../contacts/queries.ts';
import { nowIso } from '../lib/time.ts';
import { messageRow, messagesCommitted, storeMessages } from './outbound.ts';
import type { StatusDeps } from './status.ts';
import { messageView, type MessageContent, type MessageView } from './view.ts';

/** A message a customer sent in, as a provider (or the sandbox) reports it; `from` is already E.164 and content valid. */
export interface InboundInput {
  from: string;
  type: string;
  content: MessageContent;
  providerMessageId?: string;
  /** The customer's profile name as the provider shows it: names a contact that has none (never overwrites one). */
  profileName?: string;
}

/**
 * Records a message a customer wrote in, in ONE transaction: the contact (created with source `inbound` when
 * unknown, emitting contact_created), the inbound message (status `received`), its `message_created` event and
 * the contact's `last_inbound_at` and its last inbound time on this channel (which opens the WhatsApp 24-hour
 * customer service window there; written first, so event subscribers see the window open), and the provider's profile name on a contact that has none (contact_updated). Provider webhooks and the sandbox call this.
 */
export async function receiveMessage(deps: StatusDeps, channel: ChannelsTable, input: InboundInput): Promise<MessageView> {
  const now = nowIso();
  const workspaceId = channel.workspace_id;
  const row = await deps.writer.run(async (trx) => {
    const { contact } = await findOrCreateContactByPhone(trx, deps, workspaceId, input.from, 'inbound');
    const profileName = input.profileName?.trim().slice(0, 200);
    if (profileName && (contact.name ?? '').trim() === '') await updateContactIn(trx, deps, workspaceId, contact, { name: profileName }, new Map());
    await setLastInbound(trx, workspaceId, contact.id, now);
    await touchChannelWindow(trx, workspaceId, contact.id, channel.id, now);
    const message = messageRow({
      direction: 'inbound', channel, contactId: contact.id, address: input.from, type: input.type, content: input.content, now,
      providerMessageId: input.providerMessageId,
    });
    await storeMessages(trx, deps, [message]);
    return message;
  });
  messagesCommitted(deps, 'inbound', 1);
  return messageView(row);
}
