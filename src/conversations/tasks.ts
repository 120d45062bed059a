import type { Deps } from '../deps.ts';
import type { TasksOf } from '../jobs/queue.ts';
import { nowIso } from '../lib/time.ts';
import { autoAssignOnOpen } from './assignment.ts';
import { recordConversationEvents, statusEvents } from './lifecycle.ts';
import * as q from './queries.ts';
import { SNOOZE_END_TASK, type SnoozeEndPayload } from './snooze-task.ts';

/**
 * Ends a snooze in one transaction: a conversation still snoozed until exactly that time comes back open (events
 * conversation_status_updated and conversation_opened; round-robin when it has an auto-assign team and no assignee);
 * a conversation that changed since (another status, another snooze, gone) is left alone, so the job may run twice.
 */
export async function endSnooze(deps: Deps, payload: SnoozeEndPayload): Promise<void> {
  const woke = await deps.writer.run(async (trx) => {
    const row = await q.findConversation(trx, payload.workspace_id, payload.conversation_id);
    if (!row || row.status !== 'snoozed' || row.snoozed_until !== payload.snoozed_until) return false;
    const now = nowIso();
    await q.updateConversation(trx, row.workspace_id, row.id, { status: 'open', snoozed_until: null, updated_at: now });
    await recordConversationEvents(trx, deps, row.workspace_id, row.id, statusEvents('snoozed', 'open'));
    await autoAssignOnOpen(trx, deps, { ...row, status: 'open', snoozed_until: null }, now);
    return true;
  });
  if (woke) deps.queue.notify();
}

/** The conversations' task: conversation_snooze_end brings a snoozed conversation back when its snooze ends. */
export function conversationTasks(deps: Deps): TasksOf<typeof SNOOZE_END_TASK> {
  return { [SNOOZE_END_TASK]: (payload) => endSnooze(deps, payload) };
}
