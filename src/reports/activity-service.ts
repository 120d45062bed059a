import type { Db } from '../db/connect.ts';
import { DELIVERY_STATUSES } from '../db/enums.ts';
import { CONSENT_CHANNELS } from '../contacts/input.ts';
import { countContactsBefore, countContactsCreated, countDeliveries, countOptOuts, pendingDeliveries, waitingMessages, type Waiting } from './queries.ts';
import { reportRange } from './service.ts';

/** A report's window, as its query gives it. */
export interface RangeQuery {
  from?: string;
  to?: string;
}

/** One day of the contacts report. */
export interface ContactDay {
  key: string;
  created: number;
  opted_out: number;
}

/** The contacts report's answer (docs/reports.md). */
export interface ContactReport {
  from: string;
  to: string;
  total_before: number;
  groups: ContactDay[];
  totals: { created: number; opted_out: number };
}

/** Webhook delivery counts by status. */
export type DeliveryCounts = Record<(typeof DELIVERY_STATUSES)[number], number>;

/** The webhook deliveries report's answer (docs/reports.md). */
export interface WebhookReport {
  from: string;
  to: string;
  groups: { key: string; total: number; by_status: DeliveryCounts }[];
  totals: { total: number; by_status: DeliveryCounts };
}

/** The queue report's answer: the workspace's work waiting now (docs/reports.md). */
export interface QueueReport {
  messages: { waiting: number; oldest_created_at: string | null };
  webhook_deliveries: { pending: number; oldest_created_at: string | null };
}

const byKey = <T extends { key: string }>(groups: Iterable<T>): T[] => [...groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * Contacts growth and opt-outs over [from, to): per UTC day, the contacts created and the consents (per channel
 * type) that became opted_out and still are; `total_before` is the number of contacts created before `from`, so
 * total_before plus the running sum of `created` is the size of the list each day. Days with nothing are absent.
 */
export async function contactReport(db: Db, workspaceId: string, query: RangeQuery, now = new Date()): Promise<ContactReport> {
  const { from, to } = reportRange(query, now);
  const [before, created, ...optOuts] = await Promise.all([
    countContactsBefore(db, workspaceId, from),
    countContactsCreated(db, workspaceId, from, to),
    ...CONSENT_CHANNELS.map((channel) => countOptOuts(db, workspaceId, channel, from, to)),
  ]);
  const days = new Map<string, ContactDay>();
  const dayOf = (key: string) => days.get(key) ?? days.set(key, { key, created: 0, opted_out: 0 }).get(key)!;
  const totals = { created: 0, opted_out: 0 };
  for (const row of created) { dayOf(row.day).created += row.count; totals.created += row.count; }
  for (const row of optOuts.flat()) { dayOf(row.day).opted_out += row.count; totals.opted_out += row.count; }
  return { from, to, total_before: before, groups: byKey(days.values()), totals };
}

function zeros(): DeliveryCounts {
  return Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
}

/** Webhook health over [from, to): the workspace's deliveries created per UTC day, by their current status. */
export async function webhookReport(db: Db, workspaceId: string, query: RangeQuery, now = new Date()): Promise<WebhookReport> {
  const { from, to } = reportRange(query, now);
  const days = new Map<string, WebhookReport['groups'][number]>();
  const totals = { total: 0, by_status: zeros() };
  for (const row of await countDeliveries(db, workspaceId, from, to)) {
    const day = days.get(row.day) ?? days.set(row.day, { key: row.day, total: 0, by_status: zeros() }).get(row.day)!;
    const status = row.status as keyof DeliveryCounts;
    day.total += row.count;
    day.by_status[status] += row.count;
    totals.total += row.count;
    totals.by_status[status] += row.count;
  }
  return { from, to, groups: byKey(days.values()), totals };
}

/** The workspace's queue now: messages waiting to be sent and webhook deliveries pending, each with its oldest. */
export async function queueReport(db: Db, workspaceId: string): Promise<QueueReport> {
  const [messages, deliveries]: Waiting[] = await Promise.all([waitingMessages(db, workspaceId), pendingDeliveries(db, workspaceId)]);
  return {
    messages: { waiting: messages.count, oldest_created_at: messages.oldest },
    webhook_deliveries: { pending: deliveries.count, oldest_created_at: deliveries.oldest },
  };
}
