import type { Deps } from '../deps.ts';
import type { ChannelsTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel, findDefaultChannel } from '../channels/queries.ts';
import { findContact } from '../contacts/queries.ts';
import { findOrCreateContactByEmail, findOrCreateContactByPhone } from '../contacts/service.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { normalizeEmail } from '../lib/email.ts';
import { normalizePhone } from '../lib/phone.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import type { OutboundTemplate } from '../providers/types.ts';
import { resolveTemplateSend } from '../templates/service.ts';
import { enqueueMessage, messageRow, messagesCommitted } from './outbound.ts';
import { applySendRules } from './rules.ts';
import { isPostgres } from '../db/dialect.ts';
import { primeEnabledEndpoints } from '../webhooks/queries.ts';
import { MAX_TEXT_LENGTH, METADATA_LIMITS } from './schema.ts';
import type { StatusDeps } from './status.ts';
import { messageView, type MessageContent, type MessageView } from './view.ts';

export { messageView, type MessageView } from './view.ts';

/** A send request, as POST /v1/messages/send takes it (Callbell's fields, plus `subject` and `html` for email). */
export interface SendInput {
  to: string;
  from: string;
  type: string;
  content?: MessageContent;
  channel_uuid?: string;
  template_uuid?: string;
  template_values?: string[] | Record<string, string>;
  optin_contact?: boolean;
  metadata?: Record<string, string>;
  subject?: string;
  html?: string;
  /** Set by campaigns (not the API): a marketing send needs the contact's opt-in. */
  marketing?: boolean;
}

/** Longest text body per channel type, in characters: WhatsApp's limit, Twilio's, and a generous plain-text email body. */
export const TEXT_LIMITS: Record<string, number> = { whatsapp: MAX_TEXT_LENGTH, sms: 1600, email: 100_000 };

/** Checks content against the type: text needs content.text; media needs an http(s) content.url. Throws 400s naming the field. */
export function validateContent(type: string, content: MessageContent, base = 'body.content', maxText = MAX_TEXT_LENGTH): MessageContent {
  if (content.text !== undefined && content.text.length > maxText) throw invalidField(`${base}.text`, `must be at most ${maxText} characters long`);
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

/** The recipient address (E.164 phone, or a lower-cased email for `from: "email"`) and the email fields; 400s naming the field. */
function addressOf(input: SendInput): { address: string; subject: string | null; html: string | null } {
  if (input.from !== 'email') {
    if (input.subject !== undefined) throw invalidField('body.subject', 'is only for email messages (from: "email")');
    if (input.html !== undefined) throw invalidField('body.html', 'is only for email messages (from: "email")');
    return { address: normalizePhone(input.to, 'body.to'), subject: null, html: null };
  }
  const address = normalizeEmail(input.to, 'body.to');
  if (input.type !== 'text') throw invalidField('body.type', 'must be "text" for an email (content.text is the plain-text body, html the HTML body)');
  if (input.subject === undefined || input.subject.trim() === '') throw invalidField('body.subject', 'is required for an email');
  if (/[\r\n]/.test(input.subject)) throw invalidField('body.subject', 'must be a single line');
  return { address, subject: input.subject, html: input.html ?? null };
}

async function resolveChannel(deps: StatusDeps, workspaceId: string, input: SendInput, context?: q.SendContext): Promise<ChannelsTable> {
  if (input.channel_uuid) {
    const channel = context ? context.channel : await findChannel(deps.db, workspaceId, input.channel_uuid);
    if (!channel) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
    if (channel.type !== input.from) throw invalidField('body.channel_uuid', `is a ${channel.type} channel but from is "${input.from}"`);
    return channel;
  }
  const channel = context ? context.channel : await findDefaultChannel(deps.db, workspaceId, input.from);
  if (!channel) {
    throw new AppError(422, 'channel_unavailable', `this workspace has no ${input.from} channel`, [{ path: 'body.from', message: `no ${input.from} channel is set up` }]);
  }
  return channel;
}

/**
 * The content and template of a template send: content.text becomes the rendered body (Callbell's one-variable form:
 * a content.text given without values fills the template's only variable); content.url is the link of the media
 * header sent (the send's content.url, else the template's).
 * 404/400/422 from the templates domain (unknown, not approved, missing values, wrong channel).
 */
async function templateContent(deps: StatusDeps, workspaceId: string, input: SendInput, channel: ChannelsTable): Promise<{ content: MessageContent; template: OutboundTemplate }> {
  const given = input.content ?? {};
  const template = await resolveTemplateSend(deps.db, workspaceId, input.template_uuid as string, input.template_values ?? [], {
    channel: { id: channel.id, type: channel.type }, text: given.text, mediaUrl: given.url,
  });
  const header = template.components?.header;
  const link = header && 'link' in header ? header.link : undefined;
  return { content: link === undefined ? { text: template.renderedText } : { url: link, text: template.renderedText }, template };
}

/**
 * Accepts an outbound message: validates it (per channel type: a phone for whatsapp and sms, an email with a
 * subject for email), resolves the channel, the template (when template_uuid is given) and the contact (found by
 * phone or email, created with source `api` when unknown), applies the send-time rules (rules.ts: blocked, opt-out,
 * opt-in, the WhatsApp 24-hour window), then in ONE transaction inserts the message (`enqueued`), its
 * `message_created` event and its `send_message` job, and wakes the worker. A refused send stores nothing.
 */
export async function sendMessage(deps: StatusDeps, workspaceId: string, input: SendInput): Promise<MessageView> {
  const { address, subject, html } = addressOf(input);
  const maxText = TEXT_LIMITS[input.from] ?? MAX_TEXT_LENGTH;
  validateMetadata(input.metadata);
  let content: MessageContent | undefined;
  if (input.template_uuid === undefined) {
    if (input.template_values !== undefined) throw invalidField('body.template_values', 'is only for template sends (with template_uuid)');
    content = validateContent(input.type, input.content ?? {}, 'body.content', maxText);
  }
  // PostgreSQL: the channel, the contact, its window and the webhook endpoints in one statement, then the transaction in one more
  const context = isPostgres(deps.db)
    ? await q.sendContext(deps.db, workspaceId, input.channel_uuid ?? null, input.from, input.from === 'email' ? 'email' : 'phone', address)
    : undefined;
  const channel = await resolveChannel(deps, workspaceId, input, context);
  let template: OutboundTemplate | undefined;
  if (content === undefined) ({ content, template } = await templateContent(deps, workspaceId, input, channel));
  const now = nowIso();
  const kind = { template: template !== undefined, marketing: input.marketing === true || template?.category === 'MARKETING', optinContact: input.optin_contact === true };
  const row = await deps.writer.run(async (trx) => {
    if (context) primeEnabledEndpoints(trx, workspaceId, context.endpoints);
    const known = context?.contact;
    const { contact } = known ? { contact: known }
      : input.from === 'email' ? await findOrCreateContactByEmail(trx, deps, workspaceId, address, 'api')
      : await findOrCreateContactByPhone(trx, deps, workspaceId, address, 'api');
    await applySendRules(trx, deps, channel, contact, kind, now, known && context ? { lastInbound: context.lastInbound } : undefined);
    const message = messageRow({
      direction: 'outbound', channel, contactId: contact.id, address, type: input.type, content: content as MessageContent, now,
      metadata: input.metadata, templateUuid: input.template_uuid, templateValues: input.template_values, optinContact: input.optin_contact,
      template, subject, html,
    });
    await enqueueMessage(trx, deps, message);
    return message;
  });
  messagesCommitted(deps, 'outbound', 1);
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

/** A page of the workspace's messages, newest first, with the cursor of the next page (null on the last one). */
export async function listMessages(deps: Pick<Deps, 'db'>, workspaceId: string, input: ListInput): Promise<{ messages: MessageView[]; next_cursor: string | null }> {
  const limit = input.limit ?? 20;
  const rows = await q.listMessages(deps.db, workspaceId, {
    status: input.status, direction: input.direction, channelId: input.channel_uuid, contactId: input.contact_uuid,
    createdAfter: input.created_after ? new Date(input.created_after).toISOString() : undefined,
    createdBefore: input.created_before ? new Date(input.created_before).toISOString() : undefined,
  }, limit + 1, decodeCursor(input.cursor));
  const page = pageOf(rows, limit, (row) => row.created_at);
  return { messages: page.items.map(messageView), next_cursor: page.next_cursor };
}

/** Deletes (hides) a message; an enqueued message deleted before its turn is never sent. 404 when absent. */
export async function deleteMessage(deps: Pick<Deps, 'db'>, workspaceId: string, id: string): Promise<void> {
  if (!(await q.softDeleteMessage(deps.db, workspaceId, id, nowIso()))) throw notFound('message');
}

/** A page of one contact's messages, newest first, with the cursor of the next page; 404 when the contact is not in the workspace. */
export async function listContactMessages(deps: Pick<Deps, 'db'>, workspaceId: string, contactId: string, query: { limit?: number; cursor?: string }): Promise<{ messages: MessageView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor);
  if (!(await findContact(deps.db, workspaceId, contactId))) throw notFound('contact');
  const page = pageOf(await q.listMessages(deps.db, workspaceId, { contactId }, limit + 1, cursor), limit, (row) => row.created_at);
  return { messages: page.items.map(messageView), meta: { next_cursor: page.next_cursor } };
}
