import { invalidField } from '../errors.ts';
import type { Db } from '../db/connect.ts';
import { MESSAGE_STATUSES } from '../messages/status.ts';
import { countMessages, type ReportGroupBy } from './queries.ts';

/** Days a report covers when `from` is not given. */
export const DEFAULT_REPORT_DAYS = 30;

/** Longest range a report may cover, in days. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;

/** Message counts by status (every status, zeros included). */
export type StatusCounts = Record<(typeof MESSAGE_STATUSES)[number], number>;

/** One group of a message report. */
export interface ReportGroup {
  key: string | null;
  /** Group by channel only: the channel's type. */
  channel_type?: string | null;
  total: number;
  by_status: StatusCounts;
}

/** The message report's answer. */
export interface MessageReport {
  from: string;
  to: string;
  group_by: ReportGroupBy;
  groups: ReportGroup[];
  totals: { total: number; by_status: StatusCounts };
}

/** The report's query string. */
export interface MessageReportQuery {
  from?: string;
  to?: string;
  group_by?: ReportGroupBy;
  direction?: 'inbound' | 'outbound';
  channel_uuid?: string;
}

/** Parses a date (`2026-05-01`: midnight UTC) or an ISO 8601 date-time to the stored timestamp form; 400 naming `field` otherwise. */
export function parseInstant(value: string, field: string): string {
  const text = value.trim();
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(text) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = ok ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text) : NaN;
  // Date.parse rolls 2026-02-30 over to March 2: check the calendar date written is a real one
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
  if (Number.isNaN(ms) || !real) throw invalidField(field, 'is not a date (YYYY-MM-DD, UTC) or an ISO 8601 date-time with a time zone');
  return new Date(ms).toISOString();
}

/**
 * A report's window [from, to) from its query: `to` defaults to now, `from` to 30 days before `to`; 400 naming
 * query.from when from is not before to or the range is longer than MAX_REPORT_DAYS.
 */
export function reportRange(query: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
  const to = query.to !== undefined ? parseInstant(query.to, 'query.to') : now.toISOString();
  const from = query.from !== undefined ? parseInstant(query.from, 'query.from') : new Date(Date.parse(to) - DEFAULT_REPORT_DAYS * DAY_MS).toISOString();
  if (from >= to) throw invalidField('query.from', 'must be before query.to');
  if (Date.parse(to) - Date.parse(from) > MAX_REPORT_DAYS * DAY_MS) throw invalidField('query.from', `the range from query.from to query.to is at most ${MAX_REPORT_DAYS} days`);
  return { from, to };
}

function zeros(): StatusCounts {
  return Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/**
 * The message report (docs/reports.md): counts of a workspace's messages created in [from, to) (default: the last
 * 30 days; at most 366 days), grouped by UTC day, channel, status or campaign (null key: no campaign), each with
 * its counts by status; groups in key order (null first). 400 naming query.from when from is not before to or the
 * range is too long.
 */
export async function messageReport(db: Db, workspaceId: string, query: MessageReportQuery, now = new Date()): Promise<MessageReport> {
  const { from, to } = reportRange(query, now);
  const groupBy = query.group_by ?? 'day';
  const counts = await countMessages(db, workspaceId, groupBy, { from, to, direction: query.direction, channelId: query.channel_uuid });

  const groups = new Map<string | null, ReportGroup>();
  const totals = { total: 0, by_status: zeros() };
  for (const row of counts) {
    let group = groups.get(row.key);
    if (!group) {
      group = { key: row.key, ...(groupBy === 'channel' ? { channel_type: row.channel_type } : {}), total: 0, by_status: zeros() };
      groups.set(row.key, group);
    }
    group.total += row.count;
    totals.total += row.count;
    if (row.status in group.by_status) {
      group.by_status[row.status as keyof StatusCounts] += row.count;
      totals.by_status[row.status as keyof StatusCounts] += row.count;
    }
  }
  const sorted = [...groups.values()].sort((a, b) => (a.key === b.key ? 0 : a.key === null ? -1 : b.key === null ? 1 : a.key < b.key ? -1 : 1));
  return { from, to, group_by: groupBy, groups: sorted, totals };
}
