import type { Db } from '../db/connect.ts';
import type { ConversationsTable } from '../db/types.ts';
import type { EventBus } from '../events/subscribers.ts';
import * as q from './queries.ts';
import { recordConversationEvents } from './lifecycle.ts';

/**
 * The next member of a team's round-robin among its AVAILABLE members (away and offline ones are skipped): the first
 * member whose id follows the one who got the team's last conversation, wrapping around; null when none is available.
 * The rotation is a row (team_rotations), locked for the transaction, so it is fair across restarts, processes and stores.
 */
export async function nextInRotation(trx: Db, teamId: string, at: string): Promise<string | null> {
  const last = await q.lockRotation(trx, teamId, at);
  const members = await q.availableMembers(trx, teamId);
  if (members.length === 0) return null;
  const next = members.find((id) => last !== null && id > last) ?? members[0];
  await q.setRotation(trx, teamId, next, at);
  return next;
}

/**
 * Sets a conversation's assignee and team in `trx` and records conversation_assigned when either changed; with
 * `rotate`, a team with auto_assign picks the assignee round-robin (the assignee stays null when nobody is available).
 */
export async function assignIn(trx: Db, bus: EventBus, row: ConversationsTable, change: { assigneeId: string | null; teamId: string | null; rotate: boolean }, at: string): Promise<void> {
  let assigneeId = change.assigneeId;
  if (change.rotate && change.teamId) {
    const team = await q.findTeam(trx, row.workspace_id, change.teamId);
    if (team && Number(team.auto_assign) === 1) assigneeId = await nextInRotation(trx, team.id, at);
  }
  if (assigneeId === row.assignee_id && change.teamId === row.team_id) return;
  await q.updateConversation(trx, row.workspace_id, row.id, { assignee_id: assigneeId, team_id: change.teamId, updated_at: at });
  await recordConversationEvents(trx, bus, row.workspace_id, row.id, [{ type: 'conversation_assigned', extra: { previous_assignee_uuid: row.assignee_id, previous_team_uuid: row.team_id } }]);
}

/** When a conversation (re)opens without an assignee for a team with auto_assign: assigns it round-robin. */
export async function autoAssignOnOpen(trx: Db, bus: EventBus, row: ConversationsTable, at: string): Promise<void> {
  if (row.assignee_id !== null || row.team_id === null) return;
  await assignIn(trx, bus, row, { assigneeId: null, teamId: row.team_id, rotate: true }, at);
}
