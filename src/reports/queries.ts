import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { jsonSql } from '../db/dialect.ts';

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

/** One (day, count) row of a daily count. */
export interface DayCount {
  day: string;
  count: number;
}

/** Counts a workspace's contacts created before `before` (the line a growth chart starts from). */
export async function countContactsBefore(db: Db, workspaceId: string, before: string): Promise<number> {
  const row = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId).where('created_at', '<', before).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts a workspace's contacts created per UTC day in [from, to) (index contacts_workspace_created). */
export async function countContactsCreated(db: Db, workspaceId: string, from: string, to: string): Promise<DayCount[]> {
  const day = sql<string>`substr(created_at, 1, 10)`;
  const rows = await db.selectFrom('contacts').select([day.as('day'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId).where('created_at', '>=', from).where('created_at', '<', to)
    .groupBy(day).execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/**
 * Counts, per UTC day of the change, the consents of `channel` that are opted_out now and were set in [from, to)
 * (the contact's stored consent `{status, at}`; a contact who opted back in no longer counts). Reads the workspace's
 * contacts: no index covers a JSON field.
 */
export async function countOptOuts(db: Db, workspaceId: string, channel: string, from: string, to: string): Promise<DayCount[]> {
  const json = jsonSql(db);
  const at = json.textAt('consent', [channel, 'at'], '');
  const day = sql<string>`substr(${at}, 1, 10)`;
  const rows = await db.selectFrom('contacts').select([day.as('day'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where(json.textAt('consent', [channel, 'status'], ''), '=', 'opted_out')
    .where(at, '>=', from).where(at, '<', to)
    // by position: the day's expression carries a bound parameter, which PostgreSQL would see as another expression
    .groupBy(sql`1`).execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/** One (day, status, count) row of the webhook deliveries report. */
export interface DeliveryCount {
  day: string;
  status: string;
  count: number;
}

/** Counts a workspace's webhook deliveries created per UTC day and status in [from, to) (through its endpoints' index). */
export async function countDeliveries(db: Db, workspaceId: string, from: string, to: string): Promise<DeliveryCount[]> {
  const day = sql<string>`substr(created_at, 1, 10)`;
  const rows = await db.selectFrom('webhook_deliveries').select([day.as('day'), 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('endpoint_id', 'in', (eb) => eb.selectFrom('webhook_endpoints').select('id').where('workspace_id', '=', workspaceId))
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from).where('created_at', '<', to)
    .groupBy([day, 'status']).execute();
  return rows.map((r) => ({ day: r.day, status: r.status, count: Number(r.count) }));
}

/** How much of a workspace's work waits now: how many, and since when the oldest. */
export interface Waiting {
  count: number;
  oldest: string | null;
}

/** A workspace's messages waiting to be sent (status enqueued, not deleted). */
export async function waitingMessages(db: Db, workspaceId: string): Promise<Waiting> {
  const row = await db.selectFrom('messages').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('workspace_id', '=', workspaceId).where('status', '=', 'enqueued').where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ? String(row.oldest) : null };
}

/** A workspace's webhook deliveries still pending (a first attempt or a retry to come). */
export async function pendingDeliveries(db: Db, workspaceId: string): Promise<Waiting> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('endpoint_id', 'in', (eb) => eb.selectFrom('webhook_endpoints').select('id').where('workspace_id', '=', workspaceId))
    .where('workspace_id', '=', workspaceId).where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ? String(row.oldest) : null };
}
