// Overview: messages per day by status and by channel (named by the channel's title), delivery and read rates, for a
// chosen period (7, 30 or 90 days), from GET /v1/reports/messages; then contacts, webhooks and the queue
// (OverviewActivity). Charts drawn by uPlot (loaded with this page only).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { lang, num, t, type Key } from '../i18n.ts';
import { ErrorLine } from '../ui.tsx';
import { Chart, type Series } from './OverviewChart.tsx';
import { OverviewActivity } from './OverviewActivity.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

type Report = Schema<'MessageReport'>;
const STATUSES = ['sent', 'delivered', 'read', 'failed', 'received'] as const;
const DAY = 86_400_000;

/** The UTC days of [from, to) as YYYY-MM-DD. */
export function daysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let d = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); d < to.getTime(); d += DAY) days.push(new Date(d).toISOString().slice(0, 10));
  return days;
}

/** The overview page. */
export function Overview() {
  const [period, setPeriod] = useState(30);
  const [byDay, setByDay] = useState<Report | null>(null);
  const [outbound, setOutbound] = useState<Report | null>(null);
  const [channels, setChannels] = useState<Series[]>([]);
  const [error, setError] = useState<string | null>(null);
  const to = new Date(Math.ceil(Date.now() / DAY) * DAY);
  const from = new Date(to.getTime() - period * DAY);
  const days = daysOf(from, to);
  const xs = days.map((d) => Date.parse(d) / 1000);
  const range = { from: from.toISOString(), to: to.toISOString() };

  useEffect(() => {
    void (async () => {
      const [d, o, c, list] = await Promise.all([
        safely(() => api.GET('/v1/reports/messages', { params: { query: { ...range, group_by: 'day' } } })),
        safely(() => api.GET('/v1/reports/messages', { params: { query: { ...range, group_by: 'status', direction: 'outbound' } } })),
        safely(() => api.GET('/v1/reports/messages', { params: { query: { ...range, group_by: 'channel' } } })),
        safely(() => api.GET('/v1/channels', { params: { query: { limit: 100 } } })),
      ]);
      const titles = new Map((list.data?.channels ?? []).map((ch) => [ch.uuid, ch.title]));
      const failed = d.error ?? o.error ?? c.error;
      if (failed) return setError(fieldErrors(failed).message);
      setError(null);
      setByDay(d.data!);
      setOutbound(o.data!);
      // one line per channel: the channel's messages by day
      const lines = await Promise.all(c.data!.groups.filter((g) => g.key).map(async (g) => {
        const r = await safely(() => api.GET('/v1/reports/messages', { params: { query: { ...range, group_by: 'day', channel_uuid: g.key! } } }));
        const counts = new Map((r.data?.groups ?? []).map((x) => [x.key, x.total]));
        // the channel's title; a channel deleted since (or past the first 100) by its type and the start of its uuid
        return { label: titles.get(g.key!) ?? `${g.channel_type ?? ''} ${g.key!.slice(0, 8)}`, values: days.map((day) => counts.get(day) ?? 0) };
      }));
      setChannels(lines);
    })();
  }, [period]);

  const perDay = byDay ? new Map(byDay.groups.map((g) => [g.key, g])) : null;
  const statusSeries = perDay ? STATUSES.map((s) => ({ label: t(`status.${s}` as Key), values: days.map((d) => perDay.get(d)?.by_status[s] ?? 0) })) : [];
  const out = outbound?.totals;
  const sentOut = out ? out.total - out.by_status.enqueued : 0;
  const rate = (n: number) => (sentOut ? num(n / sentOut, { style: 'percent', maximumFractionDigits: 1 }) : '—');
  void lang.get();

  return (
    <section class="page overview">
      <div class="page-head">
        <h1>{t('nav.overview')}</h1>
        <label>
          <span>{t('overview.period')}</span>
          <select value={period} onChange={(e) => setPeriod(Number(e.currentTarget.value))}>
            {[7, 30, 90].map((n) => <option value={n}>{t('overview.lastDays', { n })}</option>)}
          </select>
        </label>
      </div>
      <ErrorLine message={error} />
      {!byDay ? (!error && <p role="status">{t('loading')}</p>) : (
        <>
          <div class="stats">
            <div class="card stat"><span>{t('overview.total')}</span><strong data-stat="total">{num(byDay.totals.total)}</strong></div>
            <div class="card stat"><span>{t('overview.inbound')}</span><strong data-stat="inbound">{num(byDay.totals.by_status.received)}</strong></div>
            <div class="card stat"><span>{t('overview.delivery')}</span><strong data-stat="delivery">{out ? rate(out.by_status.delivered + out.by_status.read) : '—'}</strong></div>
            <div class="card stat"><span>{t('overview.readRate')}</span><strong data-stat="read">{out ? rate(out.by_status.read) : '—'}</strong></div>
            <div class="card stat"><span>{t('overview.failed')}</span><strong data-stat="failed">{out ? rate(out.by_status.failed) : '—'}</strong></div>
          </div>
          <Chart id="status" title={t('overview.byStatus')} xs={xs} series={statusSeries} />
          {channels.length > 0 && <Chart id="channels" title={t('overview.byChannel')} xs={xs} series={channels} />}
          <OverviewActivity days={days} range={range} />
        </>
      )}
    </section>
  );
}
