import type { Deps } from '../../deps.ts';
import type { ContactView } from '../../contacts/service.ts';
import { getContact } from '../../contacts/service.ts';
import type { MessageView } from '../../messages/service.ts';
import type { StoredEvent } from '../../webhooks/formats.ts';
import { INBOX_PAYLOAD_FORMATTERS, teamMembershipParts } from './inbox-payloads.ts';
import { latestConversationOf } from '../../conversations/service.ts';
import { callbellContactSubset, callbellTime } from './shared.ts';

/** What a payload formatter reads: the store and the public URL (for the contact's links), in the event's workspace. */
export interface PayloadContext {
  deps: Pick<Deps, 'db' | 'config'>;
  workspaceId: string;
  event: StoredEvent;
  /** Which of the event's payloads the delivery carries (see callbellParts). */
  part: number;
}

/** Builds Callbell's `payload` of one event type from Beckon's stored payload. */
export type CallbellPayload = (payload: any, context: PayloadContext) => Promise<unknown>;

/** The contact subset of a payload, its conversationHref the contact's latest conversation (read when the delivery is made). */
async function subsetOf(context: PayloadContext, view: ContactView) {
  return callbellContactSubset(view, context.deps.config.publicUrl, await latestConversationOf(context.deps, context.workspaceId, view.uuid));
}

async function contactSubset(context: PayloadContext, contactId: string) {
  let view: ContactView;
  try {
    view = await getContact(context.deps.db, context.workspaceId, contactId);
  } catch {
    return { uuid: contactId }; // the contact was deleted since
  }
  return subsetOf(context, view);
}

function attachments(message: MessageView): string[] {
  return message.content.url ? [message.content.url] : [];
}

/**
 * Callbell's payload of each event type (R/webhooks/**), by event type; the inbox events' come from inbox-payloads.ts.
 */
export const CALLBELL_PAYLOADS: Record<string, CallbellPayload> = {
  async message_created(message: MessageView, context) {
    return {
      to: message.to, from: message.from, text: message.content.text ?? '', attachments: attachments(message),
      status: message.direction === 'inbound' ? 'received' : 'sent', channel: message.channel,
      contact: await contactSubset(context, message.contact.uuid), createdAt: callbellTime(message.created_at),
      ...(message.metadata ? { metadata: message.metadata } : {}),
    };
  },
  async message_status_updated(message: MessageView, context) {
    return {
      uuid: message.uuid, status: message.status, contact: await contactSubset(context, message.contact.uuid),
      ...(message.metadata ? { metadata: message.metadata } : {}),
      messageStatusPayload: { provider_message_id: message.provider_message_id, status_history: message.status_history, error: message.error },
    };
  },
  async contact_created(contact: ContactView, context) {
    return subsetOf(context, contact);
  },
  async contact_updated(contact: ContactView, context) {
    return subsetOf(context, contact);
  },
  async contact_deleted(contact: ContactView, context) {
    return { uuid: contact.uuid, deleted: context.event.created_at };
  },
  // conversation_opened, conversation_closed, agent_status_updated, agent_session_updated, team_membership_updated
  ...Object.fromEntries(Object.entries(INBOX_PAYLOAD_FORMATTERS).map(([type, format]) => [type, async (payload: Record<string, unknown>, context: PayloadContext) => format(payload, { publicUrl: context.deps.config.publicUrl, part: context.part })])),
};

/**
 * The webhook body `{event, payload}` in Callbell's format (of the delivery's `part`), or null for an event type
 * Callbell does not document (sent in Beckon's format).
 */
export async function callbellBody(deps: Pick<Deps, 'db' | 'config'>, workspaceId: string, event: StoredEvent, part = 0): Promise<string | null> {
  const build = CALLBELL_PAYLOADS[event.type];
  if (!build) return null;
  const payload = await build(JSON.parse(event.payload), { deps, workspaceId, event, part });
  return JSON.stringify({ event: event.type, payload });
}

/** How many deliveries an event makes to a Callbell endpoint: one per user for team_membership_updated (as Callbell sends it), else one. */
export function callbellParts(event: { type: string; payload: string }): number {
  return event.type === 'team_membership_updated' ? teamMembershipParts(JSON.parse(event.payload)) : 1;
}
