import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/** What the message report groups by. */
export type ReportGroupBy = 'day' | 'channel' | 'status' | 'campaign';

/** The filters of a message report: created_at in [from, to), optional direction and channel. */
export interface ReportFilter {
  from: string;
  to: string;
  direction?: 'inbound' | 'outbound';
  channelId?: string;
}

/** One (group, status) count. */
export interface ReportCount {
  key: string | null;
  channel_type: string | null;
  status: string;
  count: number;
}

/**
 * Counts a workspace's visible messages per group and status over created_at in [from, to). A day is the UTC date
 * (the first 10 characters of the ISO timestamp, the same on both stores).
 */
export async function countMessages(db: Db, workspaceId: string, groupBy: ReportGroupBy, filter: ReportFilter): Promise<ReportCount[]> {
  const key = groupBy === 'day' ? sql<string>`substr(created_at, 1, 10)`
    : groupBy === 'channel' ? sql<string>`channel_id`
      : groupBy === 'campaign' ? sql<string | null>`campaign_id`
        : sql<string>`status`;
  let query = db.selectFrom('messages')
    .select([key.as('key'), 'status', (eb) => eb.fn.count<number>('id').as('count'), (eb) => eb.fn.max('channel_type').as('channel_type')])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', filter.from).where('created_at', '<', filter.to)
    .where('deleted_at', 'is', null);
  if (filter.direction) query = query.where('direction', '=', filter.direction);
  if (filter.channelId) query = query.where('channel_id', '=', filter.channelId);
  const rows = await query.groupBy([key, 'status']).execute();
  return rows.map((r) => ({ key: r.key ?? null, channel_type: (r.channel_type as string | null) ?? null, status: r.status, count: Number(r.count) }));
}
