import type { Deps } from '../deps.ts';
import type { ChannelsTable, ContactsTable, ConversationsTable } from '../db/types.ts';
import type { Db } from '../db/connect.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { findContact } from '../contacts/queries.ts';
import { recordEvent } from '../events/service.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { enqueueMessage, messageRow, messagesCommitted } from '../messages/outbound.ts';
import { applySendRules, sendRuleRefusal, type SendKind } from '../messages/rules.ts';
import { messageView, type MessageView } from '../messages/view.ts';
import type { OutboundTemplate } from '../providers/types.ts';
import { listTemplates, resolveTemplateSend } from '../templates/service.ts';
import { recordConversationEvents, statusEvents } from './lifecycle.ts';
import * as q from './queries.ts';
import type { Actor } from './service.ts';
import { noteView, type NoteView } from './view.ts';

/** What POST /v1/conversations/:uuid/messages takes: a text reply, a template reply, or (private) an internal note. */
export interface ReplyInput {
  text?: string;
  private?: boolean;
  template_uuid?: string;
  template_values?: string[] | Record<string, string>;
  /** Email channels: the subject line (default "Re: your message"). */
  subject?: string;
}

/** A template that could be sent instead of a refused free-form reply. */
interface TemplateChoice {
  uuid: string;
  name: string;
  language: string;
  category: string;
}

/** The approved templates usable on this channel (its own and its type's shared ones). */
async function approvedTemplates(db: Db, workspaceId: string, channel: ChannelsTable): Promise<TemplateChoice[]> {
  const { templates } = await listTemplates(db, workspaceId, { channelType: channel.type, status: 'approved' }, 100);
  return templates.filter((t) => t.channel_uuid === null || t.channel_uuid === channel.id)
    .map((t) => ({ uuid: t.uuid, name: t.name, language: t.language, category: t.category }));
}

/**
 * The send rules for an agent's reply (blocked, opt-out, opt-in for templates, the WhatsApp 24-hour window); a reply
 * refused because the window is closed lists, in `templates`, the approved templates that could be sent instead.
 */
async function checkReply(trx: Db, deps: Deps, channel: ChannelsTable, contact: ContactsTable, kind: SendKind, now: string): Promise<void> {
  const refusal = await sendRuleRefusal(trx, channel, contact, kind, now);
  if (refusal?.code === 'outside_customer_service_window') {
    const templates = await approvedTemplates(trx, contact.workspace_id, channel);
    throw new AppError(422, refusal.code, `${refusal.message}; ${templates.length} approved template(s) listed in templates`, undefined, { ...refusal.extra, templates });
  }
  if (refusal) throw refusal;
  await applySendRules(trx, deps, channel, contact, kind, now);
}

async function thread(deps: Deps, actor: Actor, id: string): Promise<{ row: ConversationsTable; channel: ChannelsTable; contact: ContactsTable }> {
  const row = await q.findConversation(deps.db, actor.workspaceId, id);
  if (!row) throw notFound('conversation');
  const [channel, contact] = await Promise.all([findChannel(deps.db, actor.workspaceId, row.channel_id), findContact(deps.db, actor.workspaceId, row.contact_id)]);
  if (!channel || !contact) throw notFound('conversation');
  return { row, channel, contact };
}

/** Adds an internal note (never sent to the contact) by the acting user; event note_created. */
async function addNote(deps: Deps, actor: Actor, row: ConversationsTable, text: string): Promise<NoteView> {
  const note = { id: newId(), workspace_id: actor.workspaceId, conversation_id: row.id, author_id: actor.userId, text, created_at: nowIso() };
  await deps.writer.run(async (trx) => {
    await q.insertNote(trx, note);
    await recordEvent(trx, deps, actor.workspaceId, 'note_created', { ...noteView(note), contact_uuid: row.contact_id });
  });
  deps.queue.notify();
  return noteView(note);
}

/**
 * An agent's reply in a conversation, through the outbound path and the send rules (a refused reply stores nothing),
 * with its author in the message's metadata (`author_user_uuid`); it sets first_response_at (first time), clears
 * waiting_since, ends the bot (bot_status bot_end, a pending conversation opens; when a bot was on, conversation_updated
 * with `bot_end_reason: "agent_replied"`, on which the contact's bot runs end) and marks the thread read for its
 * author. `private: true` stores an internal note instead, never sent.
 */
export async function replyInConversation(deps: Deps, actor: Actor, id: string, input: ReplyInput): Promise<{ message?: MessageView; note?: NoteView }> {
  const text = input.text?.trim() ? input.text : undefined;
  const { row, channel, contact } = await thread(deps, actor, id);
  if (input.private === true) {
    if (input.template_uuid !== undefined) throw invalidField('body.template_uuid', 'a private note is text only');
    if (!text) throw invalidField('body.text', 'is required for a note');
    return { note: await addNote(deps, actor, row, text) };
  }
  if (!text && input.template_uuid === undefined) throw invalidField('body.text', 'is required (or template_uuid)');
  if (text && input.template_uuid !== undefined) throw invalidField('body.text', 'give text or template_uuid, not both');
  const address = channel.type === 'email' ? contact.email : contact.phone;
  if (!address) throw new AppError(422, 'channel_unavailable', `the contact has no ${channel.type === 'email' ? 'email' : 'phone'} to reply to on this ${channel.type} channel`);
  let template: OutboundTemplate | undefined;
  if (input.template_uuid !== undefined) {
    template = await resolveTemplateSend(deps.db, actor.workspaceId, input.template_uuid, input.template_values ?? [], { channel: { id: channel.id, type: channel.type } });
  }
  const kind: SendKind = { template: template !== undefined, marketing: template?.category === 'MARKETING', optinContact: false };
  const now = nowIso();
  const message = await deps.writer.run(async (trx) => {
    await checkReply(trx, deps, channel, contact, kind, now);
    const current = await q.findConversation(trx, actor.workspaceId, id);
    if (!current) throw notFound('conversation');
    const msg = messageRow({
      direction: 'outbound', channel, contactId: contact.id, address, type: 'text', content: { text: text ?? template?.renderedText ?? '' }, now,
      metadata: actor.userId ? { author_user_uuid: actor.userId } : null, templateUuid: input.template_uuid, templateValues: input.template_values, template,
      subject: channel.type === 'email' ? (input.subject ?? 'Re: your message') : null,
    });
    await enqueueMessage(trx, deps, msg);
    const status = current.status === 'pending' ? 'open' : current.status;
    await q.updateConversation(trx, actor.workspaceId, id, {
      status, first_response_at: current.first_response_at ?? now, waiting_since: null, bot_status: 'bot_end', last_message_at: now, updated_at: now,
    });
    if (actor.userId) await q.markRead(trx, id, actor.userId, Number(current.inbound_count), now);
    const events = statusEvents(current.status, status);
    // the bot's runs end on this (automations' subscriber, exit reason agent_replied)
    if (current.bot_status === 'bot_start') events.push({ type: 'conversation_updated', extra: { changed: ['bot_status'], bot_end_reason: 'agent_replied' } });
    await recordConversationEvents(trx, deps, actor.workspaceId, id, events);
    return msg;
  });
  messagesCommitted(deps, 'outbound', 1);
  return { message: messageView(message) };
}

/** Marks a conversation read for the acting user (their unread count becomes 0); 403 for a workspace key, which has no read marker. */
export async function markConversationRead(deps: Deps, actor: Actor, id: string): Promise<void> {
  if (!actor.userId) throw new AppError(403, 'forbidden', 'marking a conversation read needs a user\'s key: a workspace key has no read marker');
  const userId = actor.userId;
  await deps.writer.run(async (trx) => {
    const row = await q.findConversation(trx, actor.workspaceId, id);
    if (!row) throw notFound('conversation');
    await q.markRead(trx, id, userId, Number(row.inbound_count), nowIso());
  });
}
