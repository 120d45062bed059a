import type { Deps } from '../deps.ts';
import { CONVERSATION_STATUSES, type ConversationStatus } from '../db/enums.ts';
import { invalidField } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import * as q from './queries.ts';
import type { Actor } from './service.ts';
import { conversationView, type ConversationView } from './view.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters of GET /v1/conversations as the API names them. */
export interface ListQuery {
  status?: ConversationStatus;
  assignee?: string;
  team_uuid?: string;
  channel_uuid?: string;
  funnel_stage_uuid?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** `assignee` as a filter: me (the acting user; 400 for a workspace key), unassigned (null), or a user uuid. */
function assigneeFilter(actor: Actor, assignee: string | undefined): string | null | undefined {
  if (assignee === undefined) return undefined;
  if (assignee === 'unassigned') return null;
  if (assignee === 'me') {
    if (!actor.userId) throw invalidField('query.assignee', '"me" needs a user\'s key (this is a workspace key)');
    return actor.userId;
  }
  if (!UUID.test(assignee)) throw invalidField('query.assignee', 'must be "me", "unassigned" or a user uuid');
  return assignee.toLowerCase();
}

/** A page of conversations, latest activity first, each with the reader's unread count. */
export async function listConversations(deps: Pick<Deps, 'db'>, actor: Actor, query: ListQuery): Promise<{ conversations: ConversationView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const filters: q.ConversationFilters = {
    status: query.status, assigneeId: assigneeFilter(actor, query.assignee), teamId: query.team_uuid, channelId: query.channel_uuid,
    funnelStageId: query.funnel_stage_uuid, q: query.q?.trim() || undefined,
  };
  const rows = await q.listConversations(deps.db, actor.workspaceId, filters, actor.userId, limit, decodeCursor(query.cursor));
  const page = pageOf(rows, limit, (row) => row.last_message_at);
  return { conversations: page.items.map((row) => conversationView(row, actor.userId !== null)), meta: { next_cursor: page.next_cursor } };
}

/** The inbox's counters. */
export interface Counts {
  /** Conversations of `status` assigned to the acting user (0 for a workspace key). */
  mine: number;
  /** Conversations of `status` with no assignee. */
  unassigned: number;
  /** Conversations of `status`. */
  all: number;
  /** Every conversation by status. */
  by_status: Record<ConversationStatus, number>;
}

/** The counters of the inbox tabs for `status` (default open), from the count buckets (conversation_counts). */
export async function conversationCounts(deps: Pick<Deps, 'db'>, actor: Actor, status: ConversationStatus = 'open'): Promise<Counts> {
  const by_status = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<ConversationStatus, number>;
  let mine = 0;
  let unassigned = 0;
  for (const bucket of await q.countBuckets(deps.db, actor.workspaceId)) {
    if (bucket.status in by_status) by_status[bucket.status as ConversationStatus] += bucket.n;
    if (bucket.status !== status) continue;
    if (bucket.assignee_id === '') unassigned += bucket.n;
    else if (bucket.assignee_id === actor.userId) mine += bucket.n;
  }
  return { mine, unassigned, all: by_status[status], by_status };
}
