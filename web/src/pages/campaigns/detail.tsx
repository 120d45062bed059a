// A campaign's page: what it sends and to whom, its lifecycle controls and test send (for users who may change it),
// and its statistics, kept live while it sends: the event stream's campaign events refresh them, and while messages
// are still on their way the page also asks again every two seconds (the stream may be down).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { dateTime, t } from '../../i18n.ts';
import { onEvents } from '../../live.ts';
import { onLink } from '../../router.ts';
import { ErrorLine } from '../../ui.tsx';
import { CampaignActions } from './actions.tsx';
import { audienceOf, CampaignStatusBadge, channelOf, useCanEdit, useChoices, type Campaign, type Stats } from './shared.tsx';
import { Funnel, Links, queuedOf, Timeline } from './stats.tsx';
import { TestSend } from './test-send.tsx';

const POLL_MS = 2000;

/** True while the campaign's figures may still move on their own (sending, or messages not yet delivered or failed). */
function inFlight(campaign: Campaign, stats: Stats): boolean {
  return campaign.status === 'sending' || queuedOf(stats) > 0 || stats.sent > stats.delivered;
}

/** The campaign page. */
export function CampaignPage({ uuid }: { uuid: string }) {
  const choices = useChoices();
  const canEdit = useCanEdit();
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<number | null>(null);

  const load = useCallback(async () => {
    const path = { params: { path: { uuid } } };
    const [c, s] = await Promise.all([safely(() => api.GET('/v1/campaigns/{uuid}', path)), safely(() => api.GET('/v1/campaigns/{uuid}/stats', path))]);
    if (c.error || s.error) return setError(fieldErrors(c.error ?? s.error).message);
    setError(null);
    setCampaign(c.data!.campaign);
    setStats(s.data!);
  }, [uuid]);

  useEffect(() => { void load(); }, [load]);
  // live: a campaign event (or a message of this campaign changing) refreshes the figures, at most every 300 ms
  useEffect(() => {
    const stop = onEvents((event) => {
      const p = event.payload;
      if (p.campaign_uuid !== uuid && !(event.event.startsWith('campaign_') && p.uuid === uuid)) return;
      if (pending.current === null) pending.current = window.setTimeout(() => { pending.current = null; void load(); }, 300);
    });
    return () => { stop(); if (pending.current !== null) window.clearTimeout(pending.current); pending.current = null; };
  }, [load]);
  const moving = campaign !== null && stats !== null && inFlight(campaign, stats);
  useEffect(() => {
    if (!moving) return;
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [moving, load]);

  if (!campaign || !stats) return <section class="page"><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  const channelType = choices?.channels.find((c) => c.uuid === campaign.channel_uuid)?.type;
  const when = campaign.completed_at ?? campaign.cancelled_at ?? campaign.paused_at ?? campaign.started_at ?? campaign.send_at;
  return (
    <section class="page campaign">
      <p><a href="/campaigns" onClick={onLink}>{t('campaigns.all')}</a></p>
      <div class="page-head">
        <h1>{campaign.name}</h1>
        <p class="status-line"><CampaignStatusBadge status={campaign.status} />{when && <span class="hint"> {t(`campaigns.when.${campaign.status}` as never, { at: dateTime(when) })}</span>}
          {moving && <span class="live" role="status">{t('campaigns.live')}</span>}</p>
      </div>
      <ErrorLine message={error} />
      <div class="cards">
        <section class="card" aria-labelledby="what-title">
          <h2 id="what-title">{t('campaigns.what')}</h2>
          <dl>
            <dt>{t('campaigns.channel')}</dt><dd>{choices ? channelOf(campaign, choices.channels) : ''}</dd>
            <dt>{t('campaigns.audience')}</dt><dd>{choices ? audienceOf(campaign, choices.segments) : ''}</dd>
            {campaign.subject && <><dt>{t('campaigns.subject')}</dt><dd>{campaign.subject}</dd></>}
            {campaign.content?.text && <><dt>{t('campaigns.text')}</dt><dd class="source">{campaign.content.text}</dd></>}
            {campaign.template_uuid && <><dt>{t('campaigns.template')}</dt><dd>{choices?.templates.find((tp) => tp.uuid === campaign.template_uuid)?.name ?? campaign.template_uuid}</dd></>}
            <dt>{t('campaigns.created')}</dt><dd>{dateTime(campaign.created_at)}</dd>
          </dl>
        </section>
        {canEdit && <CampaignActions campaign={campaign} onChange={(c) => { setCampaign(c); void load(); }} />}
      </div>
      {campaign.audience_frozen_at === null ? (
        <>
          {canEdit && <TestSend campaign={campaign} />}
          <p class="card empty">{t('campaigns.notStarted')}</p>
        </>
      ) : (
        <>
          <Funnel stats={stats} channelType={channelType} />
          <Timeline stats={stats} />
          <Links stats={stats} />
          {canEdit && <TestSend campaign={campaign} />}
        </>
      )}
    </section>
  );
}
