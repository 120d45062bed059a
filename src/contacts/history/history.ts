import type { Db } from '../../db/connect.ts';
import { notFound } from '../../errors.ts';
import { decodeCursor, pageOf } from '../../lib/cursor.ts';
import { parseJson } from '../../lib/json.ts';
import type { MessageContent } from '../../messages/view.ts';
import { findContact } from '../queries.ts';
import { historyConsentEvents, historyCustomEvents, historyEngagements, historyFunnelMoves, historyMessages, type HistoryOrder } from './queries.ts';

/** One entry of a contact's history; `uuid` is the message, engagement or event it comes from. */
export type HistoryItem =
  | { type: 'message'; at: string; uuid: string; direction: string; channel: string | null; channel_uuid: string; message_type: string; status: string; campaign_uuid: string | null; content: MessageContent; subject?: string }
  | { type: 'open'; at: string; uuid: string; message_uuid: string; campaign_uuid: string | null; machine: boolean }
  | { type: 'click'; at: string; uuid: string; message_uuid: string; campaign_uuid: string | null; link_id: number | null; url: string | null; machine: boolean }
  | { type: 'unsubscribe'; at: string; uuid: string; message_uuid: string; campaign_uuid: string | null }
  | { type: 'consent'; at: string; uuid: string; channel_type: string; status: 'opted_in' | 'opted_out'; source: string | null }
  | { type: 'event'; at: string; uuid: string; name: string; data: Record<string, unknown>; correlation_key: string | null; occurred_at: string }
  | { type: 'funnel_stage'; at: string; uuid: string; conversation_uuid: string; funnel_uuid: string | null; funnel_stage_uuid: string | null; funnel_stage_name: string | null; previous_funnel_stage_uuid: string | null; previous_funnel_stage_name: string | null };

/** What a history page is asked for. */
export interface HistoryQuery {
  limit?: number;
  cursor?: string;
  order?: HistoryOrder;
}

type ConsentPayload = { channel_type?: string; consent?: Record<string, { source?: string | null }> };
type FunnelPayload = { uuid?: string; funnel_uuid?: string | null; funnel_stage_uuid?: string | null; funnel_stage_name?: string | null; previous_funnel_stage_uuid?: string | null; previous_funnel_stage_name?: string | null };

/**
 * A contact's history (docs/tracking.md): its messages (both directions, with status), opens, clicks, unsubscribes
 * consent changes (contact_opted_in / contact_opted_out events), funnel stage moves of its conversations and custom events (POST /v1/events, `at` when recorded),
 * merged by time, newest first (or `order=asc`), keyset-paginated across the sources by (at, uuid). 404 when the contact is not in the workspace.
 */
export async function contactHistory(db: Db, workspaceId: string, contactId: string, query: HistoryQuery): Promise<{ items: HistoryItem[]; next_cursor: string | null }> {
  if (!(await findContact(db, workspaceId, contactId))) throw notFound('contact');
  const order = query.order ?? 'desc';
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor);
  const [messages, engagements, events, custom, funnelMoves] = await Promise.all([
    historyMessages(db, workspaceId, contactId, order, limit + 1, after),
    historyEngagements(db, workspaceId, contactId, order, limit + 1, after),
    historyConsentEvents(db, workspaceId, contactId, order, limit + 1, after),
    historyCustomEvents(db, workspaceId, contactId, order, limit + 1, after),
    historyFunnelMoves(db, workspaceId, contactId, order, limit + 1, after),
  ]);
  const items: HistoryItem[] = [];
  for (const m of messages) {
    const item: HistoryItem = {
      type: 'message', at: m.created_at, uuid: m.id, direction: m.direction, channel: m.channel_type, channel_uuid: m.channel_id,
      message_type: m.type, status: m.status, campaign_uuid: m.campaign_id, content: parseJson<MessageContent>(m.content, {}),
    };
    if (m.subject !== null) item.subject = m.subject;
    items.push(item);
  }
  for (const e of engagements) {
    const base = { at: e.created_at, uuid: e.id, message_uuid: e.message_id, campaign_uuid: e.campaign_id };
    if (e.type === 'open') items.push({ type: 'open', ...base, machine: Number(e.machine) === 1 });
    else if (e.type === 'click') items.push({ type: 'click', ...base, link_id: e.link_id === null ? null : Number(e.link_id), url: e.url, machine: Number(e.machine) === 1 });
    else items.push({ type: 'unsubscribe', ...base });
  }
  for (const e of events) {
    const payload = parseJson<ConsentPayload>(e.payload, {});
    const channel = payload.channel_type ?? 'unknown';
    items.push({
      type: 'consent', at: e.created_at, uuid: e.id, channel_type: channel,
      status: e.type === 'contact_opted_in' ? 'opted_in' : 'opted_out', source: payload.consent?.[channel]?.source ?? null,
    });
  }
  for (const e of custom) {
    items.push({ type: 'event', at: e.created_at, uuid: e.id, name: e.name, data: parseJson<Record<string, unknown>>(e.data, {}), correlation_key: e.correlation_key, occurred_at: e.occurred_at });
  }
  for (const e of funnelMoves) {
    const p = parseJson<FunnelPayload>(e.payload, {});
    items.push({
      type: 'funnel_stage', at: e.created_at, uuid: e.id, conversation_uuid: p.uuid ?? '', funnel_uuid: p.funnel_uuid ?? null, funnel_stage_uuid: p.funnel_stage_uuid ?? null,
      funnel_stage_name: p.funnel_stage_name ?? null, previous_funnel_stage_uuid: p.previous_funnel_stage_uuid ?? null, previous_funnel_stage_name: p.previous_funnel_stage_name ?? null,
    });
  }
  const sign = order === 'desc' ? -1 : 1;
  items.sort((a, b) => sign * (a.at < b.at ? -1 : a.at > b.at ? 1 : a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const page = pageOf(items.slice(0, limit + 1).map((item) => ({ ...item, id: item.uuid })), limit, (item) => item.at);
  return { items: page.items.map(({ id: _id, ...item }) => item as HistoryItem), next_cursor: page.next_cursor };
}
