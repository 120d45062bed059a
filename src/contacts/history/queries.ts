import type { Db } from '../../db/connect.ts';
import { type Cursor, pastCursor } from '../../lib/cursor.ts';

/** Which way a history page runs: newest first or oldest first. */
export type HistoryOrder = 'asc' | 'desc';

/** The query restricted to rows strictly past `after` in `order` (unchanged without a position). */
function past<QB extends { where: (...args: any[]) => QB }>(query: QB, order: HistoryOrder, after: Cursor | undefined): QB {
  return after ? query.where(pastCursor(after, order)) : query;
}

/** Up to `limit` of a contact's visible messages (both directions) past `after` in `order`. */
export async function historyMessages(db: Db, workspaceId: string, contactId: string, order: HistoryOrder, limit: number, after?: Cursor) {
  const query = db.selectFrom('messages')
    .select(['id', 'created_at', 'direction', 'channel_type', 'channel_id', 'type', 'status', 'campaign_id', 'content', 'subject'])
    .where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('deleted_at', 'is', null);
  return past(query, order, after).orderBy('created_at', order).orderBy('id', order).limit(limit).execute();
}

/** Up to `limit` of a contact's engagements (opens, clicks, unsubscribes) past `after` in `order`. */
export async function historyEngagements(db: Db, workspaceId: string, contactId: string, order: HistoryOrder, limit: number, after?: Cursor) {
  const query = db.selectFrom('engagements')
    .select(['id', 'created_at', 'type', 'message_id', 'campaign_id', 'link_id', 'url', 'machine'])
    .where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId);
  return past(query, order, after).orderBy('created_at', order).orderBy('id', order).limit(limit).execute();
}

/**
 * Up to `limit` contact_opted_in / contact_opted_out events of a contact past `after` in `order`. Their payload is
 * the contact's view, so the contact is found by its `"uuid":"…"` in the JSON text (a uuid names one record only;
 * LIKE works on both stores). Events older than the retention period are gone.
 */
export async function historyConsentEvents(db: Db, workspaceId: string, contactId: string, order: HistoryOrder, limit: number, after?: Cursor) {
  const query = db.selectFrom('events').select(['id', 'created_at', 'type', 'payload'])
    .where('workspace_id', '=', workspaceId).where('type', 'in', ['contact_opted_in', 'contact_opted_out'])
    .where('payload', 'like', `%"uuid":"${contactId}"%`);
  return past(query, order, after).orderBy('created_at', order).orderBy('id', order).limit(limit).execute();
}

/** Up to `limit` of a contact's custom events (POST /v1/events) past `after` in `order`, by when Beckon recorded them. */
export async function historyCustomEvents(db: Db, workspaceId: string, contactId: string, order: HistoryOrder, limit: number, after?: Cursor) {
  const query = db.selectFrom('custom_events').select(['id', 'created_at', 'name', 'data', 'correlation_key', 'occurred_at'])
    .where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId);
  return past(query, order, after).orderBy('created_at', order).orderBy('id', order).limit(limit).execute();
}

/**
 * Up to `limit` conversation_funnel_stage_updated events of a contact past `after` in `order` (the inbox's funnel
 * moves). Their payload is the conversation's view, whose `"contact":{"uuid":"…"` names the contact.
 */
export async function historyFunnelMoves(db: Db, workspaceId: string, contactId: string, order: HistoryOrder, limit: number, after?: Cursor) {
  const query = db.selectFrom('events').select(['id', 'created_at', 'payload'])
    .where('workspace_id', '=', workspaceId).where('type', '=', 'conversation_funnel_stage_updated')
    .where('payload', 'like', `%"contact":{"uuid":"${contactId}"%`);
  return past(query, order, after).orderBy('created_at', order).orderBy('id', order).limit(limit).execute();
}
