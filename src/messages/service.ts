import type { Deps } from '../deps.ts';
import type { ChannelsTable, MessagesTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel, findDefaultChannel } from '../channels/queries.ts';
import { findOrCreateContactByPhone } from '../contacts/service.ts';
import { recordEvent } from '../events/service.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { toJson } from '../lib/json.ts';
import { normalizePhone } from '../lib/phone.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import { METADATA_LIMITS } from './schema.ts';
import type { StatusDeps } from './status.ts';
import { SEND_MESSAGE_TASK } from './tasks.ts';
import { messageView, type MessageContent, type MessageView } from './view.ts';

export { messageView, type MessageView } from './view.ts';

/** A send request, as POST /v1/messages/send takes it (Callbell's fields). */
export interface SendInput {
  to: string;
  from: string;
  type: string;
  content: MessageContent;
  channel_uuid?: string;
  template_uuid?: string;
  template_values?: string[];
  optin_contact?: boolean;
  metadata?: Record<string, string>;
}

/** Checks content against the type: text needs content.text; media needs an http(s) content.url. Throws 400s naming the field. */
export function validateContent(type: string, content: MessageContent, base = 'body.content'): MessageContent {
  if (type === 'text') {
    if (content.url !== undefined) throw invalidField(`${base}.url`, 'is only for media types (image, document, audio, video)');
    if (content.text === undefined || content.text.trim() === '') throw invalidField(`${base}.text`, 'is required for a text message');
    return { text: content.text };
  }
  if (content.url === undefined) throw invalidField(`${base}.url`, `is required for a ${type} message`);
  let url: URL | undefined;
  try {
    url = new URL(content.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalidField(`${base}.url`, 'must be an http or https URL');
  return content.text === undefined ? { url: content.url } : { url: content.url, text: content.text };
}

/** Checks metadata keys (the schema checks the count and the values). */
function validateMetadata(metadata: Record<string, string> | undefined): void {
  for (const key of Object.keys(metadata ?? {})) {
    if (key.length === 0 || key.length > METADATA_LIMITS.keyLength) {
      throw invalidField(`body.metadata.${key}`, `keys must be 1 to ${METADATA_LIMITS.keyLength} characters long`);
    }
  }
}

async function resolveChannel(deps: StatusDeps, workspaceId: string, input: SendInput): Promise<ChannelsTable> {
  if (input.channel_uuid) {
    const channel = await findChannel(deps.db, workspaceId, input.channel_uuid);
    if (!channel) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
    if (channel.type !== input.from) throw invalidField('body.channel_uuid', `is a ${channel.type} channel but from is "${input.from}"`);
    return channel;
  }
  const channel = await findDefaultChannel(deps.db, workspaceId, input.from);
  if (!channel) {
    throw new AppError(422, 'channel_unavailable', `this workspace has no ${input.from} channel`, [{ path: 'body.from', message: `no ${input.from} channel is set up` }]);
  }
  return channel;
}

/**
 * Accepts an outbound message: validates it, resolves the channel and the contact (created with source `api` when
 * unknown; 422 contact_blocked when blocked), then in ONE transaction inserts the message (`enqueued`), its
 * `message_created` event and its `send_message` job, and wakes the worker.
 */
export async function sendMessage(deps: StatusDeps, workspaceId: string, input: SendInput): Promise<MessageView> {
  const content = validateContent(input.type, input.content);
  validateMetadata(input.metadata);
  if (input.template_uuid !== undefined) {
    throw new AppError(404, 'not_found', 'template not found', [{ path: 'body.template_uuid', message: 'no such template in this workspace' }]);
  }
  const phone = normalizePhone(input.to, 'body.to');
  const channel = await resolveChannel(deps, workspaceId, input);
  const now = nowIso();
  const row = await deps.writer.run(async (trx) => {
    const { contact } = await findOrCreateContactByPhone(trx, deps.queue, workspaceId, phone, 'api');
    if (contact.blocked) throw new AppError(422, 'contact_blocked', `the contact ${phone} is blocked; unblock it to send`, undefined, { contact_uuid: contact.id });
    const message: MessagesTable = {
      id: newId(), workspace_id: workspaceId, channel_id: channel.id, contact_id: contact.id, direction: 'outbound', type: input.type,
      content: toJson(content), status: 'enqueued', status_history: toJson([{ status: 'enqueued', at: now }]), provider_message_id: null,
      error: null, metadata: input.metadata ? toJson(input.metadata) : null, created_at: now, updated_at: now, deleted_at: null,
      channel_type: channel.type, address: phone, template_uuid: input.template_uuid ?? null,
      template_values: input.template_values ? toJson(input.template_values) : null, optin_contact: input.optin_contact === undefined ? null : Number(input.optin_contact),
    };
    await q.insertMessage(trx, message);
    await recordEvent(trx, deps.queue, workspaceId, 'message_created', messageView(message));
    await deps.queue.enqueue(trx, SEND_MESSAGE_TASK, { message_id: message.id });
    return message;
  });
  deps.queue.notify();
  deps.metrics.messagesByStatus.inc({ status: 'enqueued', direction: 'outbound' });
  return messageView(row);
}

/** One visible message of the workspace, or 404. */
export async function getMessage(deps: Pick<Deps, 'db'>, workspaceId: string, id: string): Promise<MessageView> {
  const row = await q.findMessage(deps.db, workspaceId, id);
  if (!row) throw notFound('message');
  return messageView(row);
}

/** Filters of GET /v1/messages as the API names them. */
export interface ListInput {
  status?: string;
  direction?: string;
  channel_uuid?: string;
  contact_uuid?: string;
  created_after?: string;
  created_before?: string;
  limit?: number;
  cursor?: string;
}

function cursorOf(raw: string | undefined) {
  try {
    return decodeCursor(raw);
  } catch {
    throw invalidField('query.cursor', 'is not a cursor returned by this API');
  }
}

/** A page of the workspace's messages, newest first, with the cursor of the next page (null on the last one). */
export async function listMessages(deps: Pick<Deps, 'db'>, workspaceId: string, input: ListInput): Promise<{ messages: MessageView[]; next_cursor: string | null }> {
  const limit = input.limit ?? 20;
  const rows = await q.listMessages(deps.db, workspaceId, {
    status: input.status, direction: input.direction, channelId: input.channel_uuid, contactId: input.contact_uuid,
    createdAfter: input.created_after ? new Date(input.created_after).toISOString() : undefined,
    createdBefore: input.created_before ? new Date(input.created_before).toISOString() : undefined,
  }, limit + 1, cursorOf(input.cursor));
  const page = pageOf(rows, limit, (row) => row.created_at);
  return { messages: page.items.map(messageView), next_cursor: page.next_cursor };
}

/** Deletes (hides) a message; an enqueued message deleted before its turn is never sent. 404 when absent. */
export async function deleteMessage(deps: Pick<Deps, 'db'>, workspaceId: string, id: string): Promise<void> {
  if (!(await q.softDeleteMessage(deps.db, workspaceId, id, nowIso()))) throw notFound('message');
}
