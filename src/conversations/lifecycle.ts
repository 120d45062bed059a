import type { Db } from '../db/connect.ts';
import type { ConversationStatus } from '../db/enums.ts';
import type { ConversationsTable } from '../db/types.ts';
import { recordEvents, type EventType, type NewEvent } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { nowIso } from '../lib/time.ts';
import { parseJson } from '../lib/json.ts';
import { findContact } from '../contacts/queries.ts';
import * as q from './queries.ts';
import { SNOOZE_END_TASK } from './snooze-task.ts';
import { conversationView, type ConversationView } from './view.ts';

/** A conversation's view as its events carry it (no reader: unread_count null), read in `trx` after the change. */
export async function eventView(trx: Db, workspaceId: string, id: string): Promise<ConversationView> {
  const row = await q.findConversationRow(trx, workspaceId, id, null);
  if (!row) throw new Error(`conversation ${id} vanished`);
  return conversationView(row, false);
}

/**
 * Records conversation events (each the conversation's view plus `extra`) in `trx`, in order. The events' contact
 * also carries its tags and created_at (what a Callbell-shaped webhook shows of the contact).
 */
export async function recordConversationEvents(trx: Db, bus: EventBus, workspaceId: string, id: string, events: { type: EventType; extra?: Record<string, unknown> }[]): Promise<ConversationView> {
  const view = await eventView(trx, workspaceId, id);
  const contactRow = await findContact(trx, workspaceId, view.contact.uuid);
  const contact = { ...view.contact, tags: parseJson<string[]>(contactRow?.tags ?? null, []), created_at: contactRow?.created_at ?? null };
  const at = nowIso();
  const rows: NewEvent[] = events.map((e) => ({ type: e.type, payload: { ...view, contact, ...e.extra }, created_at: at }));
  await recordEvents(trx, bus, workspaceId, rows);
  return view;
}

/** The events of a status change: conversation_status_updated, plus conversation_opened (back to open from resolved or snoozed) or conversation_closed (resolved). */
export function statusEvents(previous: ConversationStatus, next: ConversationStatus): { type: EventType; extra?: Record<string, unknown> }[] {
  if (previous === next) return [];
  const events: { type: EventType; extra?: Record<string, unknown> }[] = [{ type: 'conversation_status_updated', extra: { previous_status: previous } }];
  if (next === 'resolved') events.push({ type: 'conversation_closed' });
  else if (next === 'open' && (previous === 'resolved' || previous === 'snoozed')) events.push({ type: 'conversation_opened', extra: { reopened: true } });
  return events;
}

/** Removes the pending snooze-end job of a snoozed conversation that changes before the snooze ends (the job would find nothing to do anyway). */
export async function cancelSnooze(trx: Db, bus: EventBus, row: Pick<ConversationsTable, 'id' | 'workspace_id' | 'status' | 'snoozed_until'>): Promise<void> {
  if (row.status !== 'snoozed' || !row.snoozed_until) return;
  await bus.queue.removeJobs(trx, SNOOZE_END_TASK, { workspace_id: row.workspace_id, conversation_id: row.id, snoozed_until: row.snoozed_until });
}
