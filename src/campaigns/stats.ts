import type { Db } from '../db/connect.ts';
import * as q from './queries.ts';
import { campaignRow } from './service.ts';
import { statusesByHour } from './sql-json.ts';

/** The statistics of a campaign (GET /v1/campaigns/:uuid/stats); semantics in docs/campaigns.md. */
export interface CampaignStats {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: { total: number; by_reason: Record<string, number> };
  opens: { unique: number; total: number; machine: number };
  clicks: { unique: number; total: number; by_link: { url: string; unique: number; total: number }[] };
  unsubscribes: number;
  rates: { delivery: number; open: number; click: number; unsubscribe: number };
  timeline: { at: string; sent: number; delivered: number; read: number; opened: number; clicked: number }[];
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * A campaign's statistics. Message counts are cumulative: `sent` counts messages that reached sent or beyond
 * (sent, delivered, read), `delivered` those that reached delivered or read, `read` those read; `failed` those that
 * failed (at any step). Test sends are not counted. Opens and clicks count human engagements (machine-flagged opens
 * are only in opens.machine); unique = distinct contacts. Rates: delivery = delivered / sent; open, click and
 * unsubscribe = unique contacts / delivered (unsubscribes count every contact that unsubscribed, machine-flagged or not) (0 when the denominator is 0), rounded to 4 decimals. The timeline
 * buckets by UTC hour when each message reached each status and when each human open or click happened.
 */
export async function campaignStats(db: Db, workspaceId: string, id: string): Promise<CampaignStats> {
  const campaign = await campaignRow(db, workspaceId, id);
  const [recipients, statuses, opens, clicks, unsubscribes, byLink, hours, engagementHours] = await Promise.all([
    q.recipientCounts(db, campaign.id), q.messageStatusCounts(db, campaign.id), q.engagementCounts(db, campaign.id, 'open'),
    q.engagementCounts(db, campaign.id, 'click'), q.engagementCounts(db, campaign.id, 'unsubscribe'), q.clicksByLink(db, campaign.id),
    statusesByHour(db, campaign.id), q.engagementsByHour(db, campaign.id),
  ]);
  const status = (...names: string[]) => statuses.filter((s) => names.includes(s.status)).reduce((n, s) => n + s.n, 0);
  const byReason: Record<string, number> = {};
  let skipped = 0;
  let pending = 0;
  let total = 0;
  for (const row of recipients) {
    total += row.n;
    if (row.state === 'pending') pending += row.n;
    if (row.state === 'skipped') {
      skipped += row.n;
      const reason = row.skip_reason ?? 'unknown';
      byReason[reason] = (byReason[reason] ?? 0) + row.n;
    }
  }
  const sent = status('sent', 'delivered', 'read');
  const delivered = status('delivered', 'read');
  const unsubscribed = unsubscribes.contacts;
  const buckets = new Map<string, CampaignStats['timeline'][number]>();
  const bucket = (hour: string) => {
    let entry = buckets.get(hour);
    if (!entry) {
      entry = { at: `${hour}:00:00.000Z`, sent: 0, delivered: 0, read: 0, opened: 0, clicked: 0 };
      buckets.set(hour, entry);
    }
    return entry;
  };
  for (const row of hours) if (row.status === 'sent' || row.status === 'delivered' || row.status === 'read') bucket(row.hour)[row.status] += row.n;
  for (const row of engagementHours) bucket(row.hour)[row.type === 'open' ? 'opened' : 'clicked'] += row.n;
  return {
    recipients: total, pending, sent, delivered, read: status('read'), failed: status('failed'),
    skipped: { total: skipped, by_reason: byReason },
    opens: { unique: opens.unique, total: opens.total, machine: opens.machine },
    clicks: { unique: clicks.unique, total: clicks.total, by_link: byLink },
    unsubscribes: unsubscribed,
    rates: { delivery: rate(delivered, sent), open: rate(opens.unique, delivered), click: rate(clicks.unique, delivered), unsubscribe: rate(unsubscribed, delivered) },
    timeline: [...buckets.values()].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
