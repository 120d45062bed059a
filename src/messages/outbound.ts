import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import type { ChannelsTable, MessagesTable } from '../db/types.ts';
import { recordEvents } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { newId } from '../lib/ids.ts';
import { toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { OutboundTemplate } from '../providers/types.ts';
import * as q from './queries.ts';
import { SEND_MESSAGE_TASK } from './tasks.ts';
import { messageView, type MessageContent } from './view.ts';

/**
 * What a message row is built from. An outbound message starts `enqueued`, an inbound one `received`; every field
 * not given is null.
 */
export interface MessageDraft {
  /** The message's id; a new one when not given (campaigns choose it first, to sign its tracked links). */
  id?: string;
  direction: 'outbound' | 'inbound';
  channel: Pick<ChannelsTable, 'id' | 'workspace_id' | 'type'>;
  contactId: string;
  /** The contact-side address: the E.164 phone (or email) the message goes to or comes from. */
  address: string | null;
  type: string;
  content: MessageContent;
  /** When it was created: created_at, updated_at and the first status_history entry. */
  now: string;
  providerMessageId?: string | null;
  metadata?: Record<string, string> | null;
  templateUuid?: string | null;
  templateValues?: string[] | Record<string, string> | null;
  /** The send's optin_contact flag (API sends only; null when not given). */
  optinContact?: boolean;
  /** Template sends: the resolved template as the provider gets it. */
  template?: OutboundTemplate | null;
  /** Email: the subject line and the HTML body (content.text is the plain-text body). */
  subject?: string | null;
  html?: string | null;
  /** The campaign the message is sent for (null for test sends and everything else). */
  campaignId?: string | null;
}

/** The one place a messages row is built, for any direction and any sender (API, campaigns, providers' inbound, and next automations, the inbox, bots). */
export function messageRow(draft: MessageDraft): MessagesTable {
  const status = draft.direction === 'outbound' ? 'enqueued' : 'received';
  const { now } = draft;
  return {
    id: draft.id ?? newId(), workspace_id: draft.channel.workspace_id, channel_id: draft.channel.id, contact_id: draft.contactId,
    direction: draft.direction, type: draft.type, content: toJson(draft.content), status, status_history: toJson([{ status, at: now }]),
    provider_message_id: draft.providerMessageId ?? null, error: null, metadata: draft.metadata ? toJson(draft.metadata) : null,
    created_at: now, updated_at: now, deleted_at: null, channel_type: draft.channel.type, address: draft.address,
    template_uuid: draft.templateUuid ?? null, template_values: draft.templateValues ? toJson(draft.templateValues) : null,
    optin_contact: draft.optinContact === undefined ? null : Number(draft.optinContact),
    template: draft.template ? toJson(draft.template) : null, subject: draft.subject ?? null, html: draft.html ?? null, campaign_id: draft.campaignId ?? null,
  };
}

/**
 * Stores messages of one workspace in `trx` with their `message_created` events, in order (multi-row statements):
 * an inbound message ends here; outbound ones go through enqueueMessages.
 */
export async function storeMessages(trx: Db, bus: EventBus, messages: MessagesTable[]): Promise<void> {
  if (messages.length === 0) return;
  const workspaceId = messages[0].workspace_id;
  if (messages.some((m) => m.workspace_id !== workspaceId)) throw new Error('storeMessages takes the messages of one workspace');
  await q.insertMessages(trx, messages);
  const at = nowIso();
  await recordEvents(trx, bus, workspaceId, messages.map((m) => ({ type: 'message_created' as const, payload: messageView(m), created_at: at })));
}

/**
 * The outbound path every sender takes: stores enqueued messages of one workspace in `trx` with their
 * `message_created` events and their `send_message` jobs (one statement each, however many messages). The caller
 * calls messagesCommitted after the commit.
 */
export async function enqueueMessages(trx: Db, bus: EventBus, messages: MessagesTable[]): Promise<void> {
  if (messages.length === 0) return;
  await storeMessages(trx, bus, messages);
  if (messages.length === 1) await bus.queue.enqueue(trx, SEND_MESSAGE_TASK, { message_id: messages[0].id });
  else await bus.queue.enqueueMany(trx, messages.map((m) => ({ task: SEND_MESSAGE_TASK, payload: { message_id: m.id } })));
}

/** enqueueMessages for one message. */
export async function enqueueMessage(trx: Db, bus: EventBus, message: MessagesTable): Promise<void> {
  await enqueueMessages(trx, bus, [message]);
}

/** After the commit of storeMessages or enqueueMessages: wakes the worker and counts the `count` new messages of `direction` in the metrics. */
export function messagesCommitted(deps: Pick<Deps, 'queue' | 'metrics'>, direction: 'outbound' | 'inbound', count: number): void {
  deps.queue.notify();
  if (count > 0) deps.metrics.messagesByStatus.inc({ status: direction === 'outbound' ? 'enqueued' : 'received', direction }, count);
}
