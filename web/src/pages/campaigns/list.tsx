// The campaigns list: newest first, 20 a page (cursor pages), filtered by status, each row with its channel, audience
// and sent / delivered / opened (or read) / clicked at a glance from its statistics.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { dateTime, num, t, type Key } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { ErrorLine, Pager, useCursorPages } from '../../ui.tsx';
import { audienceOf, CampaignStatusBadge, channelOf, useCanEdit, useChoices, type Campaign, type Stats } from './shared.tsx';

/** The campaign statuses, in lifecycle order. */
export const STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
const PAGE = 20;

/** The "opened" figure: unique opens for email, reads elsewhere (WhatsApp and SMS have no open pixel). */
export function openedOf(stats: Stats, channelType: string | undefined): number {
  return channelType === 'email' ? stats.opens.unique : stats.read;
}

/** The campaigns list page. */
export function CampaignList() {
  const choices = useChoices();
  const canEdit = useCanEdit();
  const [status, setStatus] = useState<string>('');
  const paging = useCursorPages();
  const { cursor, setNext } = paging;
  const [rows, setRows] = useState<Campaign[] | null>(null);
  const [stats, setStats] = useState<Record<string, Stats>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const query = { limit: PAGE, ...(status ? { status: status as Campaign['status'] } : {}), ...(cursor ? { cursor } : {}) };
      const { data, error: problem } = await safely(() => api.GET('/v1/campaigns', { params: { query } }));
      if (!live) return;
      if (problem) return setError(fieldErrors(problem).message);
      setError(null);
      setRows(data!.campaigns);
      setNext(data!.meta.next_cursor ?? null);
      const figures = await Promise.all(data!.campaigns.map((c) => safely(() => api.GET('/v1/campaigns/{uuid}/stats', { params: { path: { uuid: c.uuid } } }))));
      if (live) setStats(Object.fromEntries(data!.campaigns.flatMap((c, i) => (figures[i].data ? [[c.uuid, figures[i].data!]] : []))));
    })();
    return () => { live = false; };
  }, [status, cursor]);

  const channelType = (c: Campaign) => choices?.channels.find((ch) => ch.uuid === c.channel_uuid)?.type;
  const figure = (c: Campaign, pick: (s: Stats) => number) => (stats[c.uuid] ? num(pick(stats[c.uuid])) : '—');

  return (
    <section class="page campaigns">
      <div class="page-head">
        <h1>{t('campaigns.title')}</h1>
        <div class="actions">
          <label>
            <span>{t('campaigns.filterStatus')}</span>
            <select value={status} onChange={(e) => { setStatus(e.currentTarget.value); paging.reset(); }}>
              <option value="">{t('campaigns.allStatuses')}</option>
              {STATUSES.map((s) => <option value={s}>{t(`campaigns.status.${s}` as Key)}</option>)}
            </select>
          </label>
          {canEdit && <a class="button primary" href="/campaigns/new" onClick={onLink}>{t('campaigns.new')}</a>}
        </div>
      </div>
      <ErrorLine message={error} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('campaigns.empty')}</p> : (
        <div class="table-wrap">
          <table class="campaign-table">
            <thead>
              <tr>
                <th scope="col">{t('campaigns.name')}</th><th scope="col">{t('campaigns.statusCol')}</th><th scope="col">{t('campaigns.channel')}</th>
                <th scope="col">{t('campaigns.audience')}</th><th scope="col" class="n">{t('campaigns.sent')}</th><th scope="col" class="n">{t('campaigns.delivered')}</th>
                <th scope="col" class="n">{t('campaigns.readOpened')}</th><th scope="col" class="n">{t('campaigns.clicked')}</th><th scope="col">{t('campaigns.when')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr data-campaign={c.uuid}>
                  <td data-label={t('campaigns.name')}><a href={`/campaigns/${c.uuid}`} onClick={(e) => { e.preventDefault(); navigate(`/campaigns/${c.uuid}`); }}>{c.name}</a></td>
                  <td data-label={t('campaigns.statusCol')}><CampaignStatusBadge status={c.status} /></td>
                  <td data-label={t('campaigns.channel')}>{choices ? channelOf(c, choices.channels) : ''}</td>
                  <td data-label={t('campaigns.audience')}>{choices ? audienceOf(c, choices.segments) : ''}</td>
                  <td class="n" data-stat="sent" data-label={t('campaigns.sent')}>{figure(c, (s) => s.sent)}</td>
                  <td class="n" data-stat="delivered" data-label={t('campaigns.delivered')}>{figure(c, (s) => s.delivered)}</td>
                  <td class="n" data-stat="opened" data-label={t('campaigns.readOpened')}>{figure(c, (s) => openedOf(s, channelType(c)))}</td>
                  <td class="n" data-stat="clicked" data-label={t('campaigns.clicked')}>{figure(c, (s) => s.clicks.unique)}</td>
                  <td data-label={t('campaigns.when')}>{dateTime(c.started_at ?? c.send_at ?? c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label={t('campaigns.pages')} pages={paging} />
    </section>
  );
}
