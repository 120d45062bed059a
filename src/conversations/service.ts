import type { Deps } from '../deps.ts';
import type { BotStatus, ConversationPriority, ConversationStatus } from '../db/enums.ts';
import type { ConversationsTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { findContact } from '../contacts/queries.ts';
import { findStage } from '../funnels/service.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { assignIn, autoAssignOnOpen } from './assignment.ts';
import { cancelSnooze, recordConversationEvents, statusEvents } from './lifecycle.ts';
import * as q from './queries.ts';
import { SNOOZE_END_TASK } from './snooze-task.ts';
import { conversationView, type ConversationView } from './view.ts';

/** Who acts: the workspace and the user behind the key (null for a workspace key). */
export interface Actor {
  workspaceId: string;
  userId: string | null;
}

/** One conversation as `actor` reads it (unread_count for their read marker), or 404. */
export async function getConversation(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<ConversationView> {
  const row = await q.findConversationRow(deps.db, actor.workspaceId, id, actor.userId);
  if (!row) throw notFound('conversation');
  return conversationView(row, actor.userId !== null);
}

/** The uuid of the contact's conversation with the latest activity (one contact, one thread: Callbell's view), or null. */
export async function latestConversationOf(deps: Pick<Deps, 'db'>, workspaceId: string, contactId: string): Promise<string | null> {
  return (await q.findLatestOfContact(deps.db, workspaceId, contactId))?.id ?? null;
}

async function mustFind(trx: Deps['db'], workspaceId: string, id: string): Promise<ConversationsTable> {
  const row = await q.findConversation(trx, workspaceId, id);
  if (!row) throw notFound('conversation');
  return row;
}

async function checkUser(db: Deps['db'], workspaceId: string, id: string | null | undefined, path: string): Promise<void> {
  if (id && !(await q.findUser(db, workspaceId, id))) throw new AppError(404, 'not_found', 'user not found', [{ path, message: 'no such user in this workspace' }]);
}

async function checkTeam(db: Deps['db'], workspaceId: string, id: string | null | undefined, path: string): Promise<void> {
  if (id && !(await q.findTeam(db, workspaceId, id))) throw new AppError(404, 'not_found', 'team not found', [{ path, message: 'no such team in this workspace' }]);
}

/** What starts a conversation from the inbox (an agent writes first). */
export interface StartInput {
  contact_uuid: string;
  channel_uuid: string;
  team_uuid?: string;
}

/**
 * Starts (or finds) the contact's conversation on a channel: a new one opens (conversation_opened) assigned to the
 * acting user, or round-robin when it is for an auto-assign team; an existing one is returned (reopened when resolved
 * or snoozed). `created` tells which.
 */
export async function startConversation(deps: Deps, actor: Actor, input: StartInput): Promise<{ conversation: ConversationView; created: boolean }> {
  const { workspaceId } = actor;
  const contact = await findContact(deps.db, workspaceId, input.contact_uuid);
  if (!contact) throw new AppError(404, 'not_found', 'contact not found', [{ path: 'body.contact_uuid', message: 'no such contact in this workspace' }]);
  const channel = await findChannel(deps.db, workspaceId, input.channel_uuid);
  if (!channel) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
  await checkTeam(deps.db, workspaceId, input.team_uuid, 'body.team_uuid');
  const { id, created } = await deps.writer.run(async (trx) => {
    const now = nowIso();
    const existing = await q.findByContactChannel(trx, workspaceId, contact.id, channel.id);
    if (existing) {
      if (existing.status === 'resolved' || existing.status === 'snoozed') {
        await cancelSnooze(trx, deps, existing);
        await q.updateConversation(trx, workspaceId, existing.id, { status: 'open', resolved_at: null, snoozed_until: null, updated_at: now });
        await recordConversationEvents(trx, deps, workspaceId, existing.id, statusEvents(existing.status, 'open'));
      }
      return { id: existing.id, created: false };
    }
    const row: ConversationsTable = {
      id: newId(), workspace_id: workspaceId, contact_id: contact.id, channel_id: channel.id, channel_type: channel.type, status: 'open',
      assignee_id: null, team_id: input.team_uuid ?? null, priority: 'none', funnel_stage_id: null, bot_status: null, inbound_count: 0,
      waiting_since: null, first_response_at: null, resolved_at: null, last_inbound_at: null, last_message_at: now, snoozed_until: null,
      created_at: now, updated_at: now,
    };
    await q.insertConversation(trx, row);
    await recordConversationEvents(trx, deps, workspaceId, row.id, [{ type: 'conversation_opened', extra: { reopened: false } }]);
    const team = row.team_id ? await q.findTeam(trx, workspaceId, row.team_id) : undefined;
    if (team && Number(team.auto_assign) === 1) await autoAssignOnOpen(trx, deps, row, now);
    else if (actor.userId) await assignIn(trx, deps, row, { assigneeId: actor.userId, teamId: row.team_id, rotate: false }, now);
    return { id: row.id, created: true };
  });
  deps.queue.notify();
  return { conversation: await getConversation(deps, actor, id), created };
}

/** What PATCH /v1/conversations/:uuid changes. */
export interface PatchInput {
  priority?: ConversationPriority;
  funnel_stage_uuid?: string | null;
  team_uuid?: string | null;
  bot_status?: BotStatus;
}

/**
 * Changes a conversation's priority, funnel stage, team or bot status. A stage move records
 * conversation_funnel_stage_updated (the contact's history lists it); bot_start on an open conversation makes it
 * pending (a bot handles it) and bot_end on a pending one opens it (conversation_status_updated); any other change
 * records conversation_updated.
 */
export async function patchConversation(deps: Deps, actor: Actor, id: string, input: PatchInput): Promise<ConversationView> {
  const { workspaceId } = actor;
  const stage = input.funnel_stage_uuid ? await findStage(deps.db, workspaceId, input.funnel_stage_uuid) : undefined;
  if (input.funnel_stage_uuid && !stage) throw new AppError(404, 'not_found', 'funnel stage not found', [{ path: 'body.funnel_stage_uuid', message: 'no such funnel stage in this workspace' }]);
  await checkTeam(deps.db, workspaceId, input.team_uuid, 'body.team_uuid');
  await deps.writer.run(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    const now = nowIso();
    const changes: q.ConversationChanges = {};
    if (input.priority !== undefined && input.priority !== row.priority) changes.priority = input.priority;
    if (input.team_uuid !== undefined && input.team_uuid !== row.team_id) changes.team_id = input.team_uuid;
    if (input.bot_status !== undefined && input.bot_status !== row.bot_status) changes.bot_status = input.bot_status;
    let status: ConversationStatus = row.status;
    if (input.bot_status === 'bot_start' && row.status === 'open') status = 'pending';
    if (input.bot_status === 'bot_end' && row.status === 'pending') status = 'open';
    if (status !== row.status) changes.status = status;
    const stageMoves = input.funnel_stage_uuid !== undefined && input.funnel_stage_uuid !== row.funnel_stage_id;
    if (stageMoves) changes.funnel_stage_id = input.funnel_stage_uuid;
    if (Object.keys(changes).length === 0) return;
    await q.updateConversation(trx, workspaceId, id, { ...changes, updated_at: now });
    const events = statusEvents(row.status, status);
    const other = Object.keys(changes).filter((k) => k !== 'funnel_stage_id' && k !== 'status');
    if (other.length > 0) events.push({ type: 'conversation_updated', extra: { changed: other.map((k) => k.replace(/_id$/, '_uuid')) } });
    if (stageMoves) {
      const previous = row.funnel_stage_id ? await findStage(trx, workspaceId, row.funnel_stage_id) : undefined;
      events.push({
        type: 'conversation_funnel_stage_updated',
        extra: { funnel_uuid: stage?.funnel_uuid ?? null, funnel_stage_name: stage?.name ?? null, previous_funnel_stage_uuid: row.funnel_stage_id, previous_funnel_stage_name: previous?.name ?? null },
      });
    }
    await recordConversationEvents(trx, deps, workspaceId, id, events);
  });
  deps.queue.notify();
  return getConversation(deps, actor, id);
}

/**
 * Assigns a conversation: `user_uuid` sets the assignee (null unassigns), `team_uuid` the team (null clears it); a
 * team with auto_assign given without `user_uuid` picks the assignee round-robin among its available members.
 * Records conversation_assigned when something changed.
 */
export async function assignConversation(deps: Deps, actor: Actor, id: string, input: { user_uuid?: string | null; team_uuid?: string | null }): Promise<ConversationView> {
  const { workspaceId } = actor;
  if (input.user_uuid === undefined && input.team_uuid === undefined) throw invalidField('body', 'give user_uuid, team_uuid or both (null clears)');
  await checkUser(deps.db, workspaceId, input.user_uuid, 'body.user_uuid');
  await checkTeam(deps.db, workspaceId, input.team_uuid, 'body.team_uuid');
  await deps.writer.run(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    const teamId = input.team_uuid === undefined ? row.team_id : input.team_uuid;
    const assigneeId = input.user_uuid === undefined ? row.assignee_id : input.user_uuid;
    await assignIn(trx, deps, row, { assigneeId, teamId, rotate: input.user_uuid === undefined && input.team_uuid !== undefined }, nowIso());
  });
  deps.queue.notify();
  return getConversation(deps, actor, id);
}

/**
 * Moves a conversation to a status: `snoozed` needs a future `snoozed_until` (a conversation_snooze_end job runs then
 * and brings it back open); `resolved` sets resolved_at and clears waiting_since. Events: conversation_status_updated,
 * plus conversation_closed or conversation_opened. A snooze changed or ended first has its job removed.
 */
export async function setStatus(deps: Deps, actor: Actor, id: string, input: { status: ConversationStatus; snoozed_until?: string }): Promise<ConversationView> {
  const { workspaceId } = actor;
  let until: string | null = null;
  if (input.status === 'snoozed') {
    if (input.snoozed_until === undefined) throw invalidField('body.snoozed_until', 'is required to snooze a conversation');
    until = new Date(input.snoozed_until).toISOString();
    if (Date.parse(until) <= Date.now()) throw invalidField('body.snoozed_until', 'must be in the future');
  } else if (input.snoozed_until !== undefined) {
    throw invalidField('body.snoozed_until', 'is only for status "snoozed"');
  }
  await deps.writer.run(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    if (row.status === input.status && row.snoozed_until === until) return;
    const now = nowIso();
    await cancelSnooze(trx, deps, row);
    const changes: q.ConversationChanges = { status: input.status, snoozed_until: until, updated_at: now };
    if (input.status === 'resolved') Object.assign(changes, { resolved_at: now, waiting_since: null });
    else changes.resolved_at = null;
    await q.updateConversation(trx, workspaceId, id, changes);
    if (until) await deps.queue.enqueue(trx, SNOOZE_END_TASK, { workspace_id: workspaceId, conversation_id: id, snoozed_until: until }, { runAt: new Date(until) });
    await recordConversationEvents(trx, deps, workspaceId, id, row.status === input.status ? [{ type: 'conversation_status_updated', extra: { previous_status: row.status } }] : statusEvents(row.status, input.status));
  });
  deps.queue.notify();
  return getConversation(deps, actor, id);
}
