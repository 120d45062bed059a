import type { Db } from '../db/connect.ts';
import type { ConversationStatus } from '../db/enums.ts';
import type { ConversationsTable } from '../db/types.ts';
import { recordEvent } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { newId } from '../lib/ids.ts';
import { assignIn } from './assignment.ts';
import { cancelSnooze, recordConversationEvents, statusEvents } from './lifecycle.ts';
import * as q from './queries.ts';
import { noteView } from './view.ts';

/** The contact and channel a bot talks on, and when. */
export interface BotThread {
  workspaceId: string;
  contactId: string;
  channelId: string;
  channelType: ConversationsTable['channel_type'];
  at: string;
}

/** The contact's conversation on the channel, opened (conversation_opened) with `status` when it has none yet. */
async function threadOf(trx: Db, bus: EventBus, thread: BotThread, status: ConversationStatus): Promise<ConversationsTable> {
  const found = await q.findByContactChannel(trx, thread.workspaceId, thread.contactId, thread.channelId);
  if (found) return found;
  const row: ConversationsTable = {
    id: newId(), workspace_id: thread.workspaceId, contact_id: thread.contactId, channel_id: thread.channelId, channel_type: thread.channelType, status,
    assignee_id: null, team_id: null, priority: 'none', funnel_stage_id: null, bot_status: null, inbound_count: 0, waiting_since: null,
    first_response_at: null, resolved_at: null, last_inbound_at: null, last_message_at: thread.at, snoozed_until: null, created_at: thread.at, updated_at: thread.at,
  };
  await q.insertConversation(trx, row);
  await recordConversationEvents(trx, bus, thread.workspaceId, row.id, [{ type: 'conversation_opened', extra: { reopened: false } }]);
  return row;
}

/** Moves a conversation to `status` with `bot_status`, recording the status events and conversation_updated (changed bot_status, `extra`). */
async function setBot(trx: Db, bus: EventBus, row: ConversationsTable, status: ConversationStatus, botStatus: 'bot_start' | 'bot_end', at: string, extra: Record<string, unknown>): Promise<void> {
  if (row.status === status && row.bot_status === botStatus) return;
  if (row.status !== status) await cancelSnooze(trx, bus, row);
  const reopen = status === 'open' || status === 'pending' ? { resolved_at: null, snoozed_until: null } : {};
  await q.updateConversation(trx, row.workspace_id, row.id, { status, bot_status: botStatus, ...reopen, updated_at: at });
  const events = statusEvents(row.status, status);
  if (row.bot_status !== botStatus) events.push({ type: 'conversation_updated', extra: { changed: ['bot_status'], ...extra } });
  await recordConversationEvents(trx, bus, row.workspace_id, row.id, events);
}

/**
 * A bot starts on the contact's conversation on a channel (an automation run with `bot: true`), in `trx`: it becomes
 * `pending` with bot_status `bot_start` (opened so when the contact has none there yet). Returns the conversation id.
 */
export async function startBotIn(trx: Db, bus: EventBus, thread: BotThread): Promise<string> {
  const row = await threadOf(trx, bus, thread, 'pending');
  await setBot(trx, bus, row, 'pending', 'bot_start', thread.at, {});
  return row.id;
}

/** Where a bot hands a conversation: a team (round-robin when it auto-assigns, unless `userId` is given) and/or a user, with an internal note. */
export interface Handoff {
  teamId: string | null;
  userId: string | null;
  note: string | null;
}

/**
 * A bot hands the contact's conversation on a channel over to people, in `trx`: assigns it (assignment.ts's rules:
 * conversation_assigned; a team alone with auto_assign picks its member round-robin), adds the `note` (author null,
 * note_created), and ends the bot: bot_status `bot_end`, status `open` (conversation_status_updated,
 * conversation_updated with `bot_end_reason: "handoff"`). Returns the conversation id.
 */
export async function handoffIn(trx: Db, bus: EventBus, thread: BotThread, handoff: Handoff): Promise<string> {
  const row = await threadOf(trx, bus, thread, 'open');
  const teamId = handoff.teamId ?? row.team_id;
  await assignIn(trx, bus, row, { assigneeId: handoff.userId, teamId, rotate: handoff.userId === null && handoff.teamId !== null }, thread.at);
  if (handoff.note) {
    const note = { id: newId(), workspace_id: thread.workspaceId, conversation_id: row.id, author_id: null, text: handoff.note, created_at: thread.at };
    await q.insertNote(trx, note);
    await recordEvent(trx, bus, thread.workspaceId, 'note_created', { ...noteView(note), contact_uuid: row.contact_id });
  }
  const current = (await q.findConversation(trx, thread.workspaceId, row.id))!;
  await setBot(trx, bus, current, 'open', 'bot_end', thread.at, { bot_end_reason: 'handoff' });
  return row.id;
}

/** Which of a team and a user named for a handoff are not in the workspace (`team`, `user`). */
export async function missingAssignees(db: Db, workspaceId: string, teamId: string | null, userId: string | null): Promise<('team' | 'user')[]> {
  const out: ('team' | 'user')[] = [];
  if (teamId !== null && !(await q.findTeam(db, workspaceId, teamId))) out.push('team');
  if (userId !== null && !(await q.findUser(db, workspaceId, userId))) out.push('user');
  return out;
}
