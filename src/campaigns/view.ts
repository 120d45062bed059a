import type { CampaignsTable } from '../db/types.ts';
import { parseJson } from '../lib/json.ts';
import type { StoredContent, TemplateValues } from './content.ts';
import type { CampaignStatus } from './schema.ts';

/** A campaign's tracking settings, defaults applied (opens are tracked on email only). */
export interface CampaignSettings {
  track_links: boolean;
  track_opens: boolean;
}

/** The API view of a campaign. */
export interface CampaignView {
  uuid: string;
  name: string;
  status: CampaignStatus;
  channel_uuid: string;
  segment_uuids: string[];
  exclude_segment_uuids: string[];
  type: string;
  subject: string | null;
  content: { text?: string; html?: string; url?: string } | null;
  template_uuid: string | null;
  template_values: TemplateValues | null;
  settings: CampaignSettings;
  send_at: string | null;
  time_zone: string | null;
  audience_frozen_at: string | null;
  started_at: string | null;
  paused_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The stored settings of a campaign. */
export function settingsOf(row: CampaignsTable): CampaignSettings {
  const stored = parseJson<Partial<CampaignSettings>>(row.settings, {});
  return { track_links: stored.track_links ?? true, track_opens: stored.track_opens ?? false };
}

/** Maps a campaign row to its API view. */
export function campaignView(row: CampaignsTable): CampaignView {
  const stored = parseJson<StoredContent | null>(row.content, null);
  const fields = stored === null ? [] : Object.entries(stored).filter(([key]) => key !== 'type');
  const content = fields.length === 0 ? null : Object.fromEntries(fields);
  return {
    uuid: row.id, name: row.name, status: row.status as CampaignStatus, channel_uuid: row.channel_id,
    segment_uuids: parseJson<string[]>(row.segment_ids, []), exclude_segment_uuids: parseJson<string[]>(row.exclude_segment_ids, []),
    type: stored?.type ?? 'text', subject: row.subject, content, template_uuid: row.template_id,
    template_values: parseJson<TemplateValues | null>(row.template_values, null), settings: settingsOf(row),
    send_at: row.send_at, time_zone: row.time_zone, audience_frozen_at: row.audience_frozen_at, started_at: row.started_at,
    paused_at: row.paused_at, completed_at: row.completed_at, cancelled_at: row.cancelled_at, created_at: row.created_at, updated_at: row.updated_at,
  };
}
