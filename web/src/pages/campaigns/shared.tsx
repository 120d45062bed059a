// Pieces the campaigns pages share: the channels, segments and templates a campaign picks from, the campaign's status
// badge, a field error matched by path prefix, and a hook telling whether the user may change campaigns.
import { useEffect, useState } from 'preact/hooks';
import { api, me } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import type { Schema } from '../../../../sdk/src/index.ts';

/** A campaign as the API gives it. */
export type Campaign = Schema<'Campaign'>;
/** A campaign's statistics as the API gives them. */
export type Stats = Schema<'CampaignStats'>;
/** What a campaign is built from: the workspace's channels, segments and templates. */
export interface Choices { channels: Schema<'Channel'>[]; segments: Schema<'Segment'>[]; templates: Schema<'Template'>[] }

/** Every item of a list path (following cursors); an error leaves what was read. */
async function all<T>(items: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  try { for await (const item of items) out.push(item); } catch { /* an unreadable list shows what it has */ }
  return out;
}

/** Loads the channels, segments and templates once per page (null while loading). */
export function useChoices(): Choices | null {
  const [choices, setChoices] = useState<Choices | null>(null);
  useEffect(() => {
    void Promise.all([
      all(api.paginate('/v1/channels', { query: { limit: 100 } })),
      all(api.paginate('/v1/segments', { query: { limit: 100 } })),
      all(api.paginate('/v1/templates', { query: { limit: 100 } })),
    ]).then(([channels, segments, templates]) => setChoices({ channels, segments, templates }));
  }, []);
  return choices;
}

/** True when the signed-in user may change campaigns (agents only read them: the API refuses them the rest). */
export function useCanEdit(): boolean {
  const user = useSignal(me);
  return user?.role === 'admin';
}

/** The error of a field or of any part of it (`segment_uuids` answers for `segment_uuids.1`). */
export function errorFor(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const key = Object.keys(fields).find((k) => k.startsWith(name + '.'));
  return key ? fields[key] : undefined;
}

/** A campaign status as a coloured, translated badge. */
export function CampaignStatusBadge({ status }: { status: string }) {
  return <span class={`badge c-${status}`} data-status={status}>{t(`campaigns.status.${status}` as Key)}</span>;
}

/** The audience as segment names (included, then "not" the excluded ones). */
export function audienceOf(campaign: Campaign, segments: Schema<'Segment'>[]): string {
  const name = (uuid: string) => segments.find((s) => s.uuid === uuid)?.name ?? uuid.slice(0, 8);
  const included = campaign.segment_uuids.map(name).join(', ');
  const excluded = campaign.exclude_segment_uuids.map(name).join(', ');
  return excluded ? t('campaigns.audienceExcept', { included, excluded }) : included;
}

/** The channel as "title (type)". */
export function channelOf(campaign: Campaign, channels: Schema<'Channel'>[]): string {
  const channel = channels.find((c) => c.uuid === campaign.channel_uuid);
  return channel ? `${channel.title} (${t(`campaigns.type.${channel.type}` as Key)})` : campaign.channel_uuid.slice(0, 8);
}

/** The skip reasons the API gives (docs/campaigns.md, Skip reasons). */
const SKIP_REASONS = ['no_address', 'contact_blocked', 'contact_opted_out', 'optin_required', 'outside_customer_service_window', 'template_unavailable',
  'template_values_invalid', 'render_failed', 'content_too_long', 'contact_deleted', 'channel_unavailable', 'cancelled'];

/** A skip reason in words (an unknown one as the API spells it). */
export function skipReason(reason: string | null): string {
  return reason && SKIP_REASONS.includes(reason) ? t(`campaigns.skip.${reason}` as Key) : reason ?? '';
}
