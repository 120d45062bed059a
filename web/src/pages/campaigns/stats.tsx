// A campaign's statistics: the delivery funnel (targeted → sent → delivered → read or opened → clicked, then failed,
// skipped by reason, still to go), the rates, a timeline chart by hour (uPlot) and the per-link click table.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { lang, num, t } from '../../i18n.ts';
import { skipReason, type Stats } from './shared.tsx';

const COLORS = ['#1f6feb', '#1a7f37', '#8250df', '#9a6700', '#bf3989'];
const pct = (n: number) => num(n, { style: 'percent', maximumFractionDigits: 1 });

/** Messages accepted but not sent yet (enqueued): the audience minus what is pending, skipped, sent or failed. */
export function queuedOf(s: Stats): number {
  return Math.max(0, s.recipients - s.pending - s.skipped.total - s.sent - s.failed);
}

/** One bar of the funnel, as a share of the audience. */
function Bar({ name, label, value, of, tone }: { name: string; label: string; value: number; of: number; tone?: string }) {
  const share = of ? value / of : 0;
  return (
    <li class={`bar ${tone ?? ''}`} data-funnel={name}>
      <span class="bar-label">{label}</span>
      <span class="bar-track" aria-hidden="true"><span class="bar-fill" style={{ width: `${Math.min(100, share * 100)}%` }} /></span>
      <span class="bar-value"><strong>{num(value)}</strong> <span class="hint">{of ? pct(share) : ''}</span></span>
    </li>
  );
}

/** The delivery funnel and the counts beside it. */
export function Funnel({ stats, channelType }: { stats: Stats; channelType: string | undefined }) {
  const email = channelType === 'email';
  const of = stats.recipients;
  const reasons = Object.entries(stats.skipped.by_reason).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return (
    <section class="card funnel" aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t('campaigns.funnel')}</h2>
      <ol class="bars">
        <Bar name="targeted" label={t('campaigns.targeted')} value={of} of={of} />
        <Bar name="sent" label={t('campaigns.sent')} value={stats.sent} of={of} />
        <Bar name="delivered" label={t('campaigns.delivered')} value={stats.delivered} of={of} />
        {email ? <Bar name="opened" label={t('campaigns.opened')} value={stats.opens.unique} of={of} /> : <Bar name="read" label={t('campaigns.read')} value={stats.read} of={of} />}
        <Bar name="clicked" label={t('campaigns.clicked')} value={stats.clicks.unique} of={of} />
      </ol>
      <ol class="bars side">
        <Bar name="failed" label={t('campaigns.failed')} value={stats.failed} of={of} tone="bad" />
        <Bar name="skipped" label={t('campaigns.skipped')} value={stats.skipped.total} of={of} tone="warn" />
        <Bar name="queued" label={t('campaigns.queued')} value={queuedOf(stats)} of={of} tone="muted" />
        <Bar name="pending" label={t('campaigns.pending')} value={stats.pending} of={of} tone="muted" />
      </ol>
      {reasons.length > 0 && (
        <div class="reasons">
          <h3>{t('campaigns.skipReasons')}</h3>
          <ul>{reasons.map(([reason, n]) => <li data-reason={reason}>{skipReason(reason)}: <strong>{num(n)}</strong></li>)}</ul>
        </div>
      )}
      <dl class="rates">
        <dt>{t('campaigns.rate.delivery')}</dt><dd data-rate="delivery">{pct(stats.rates.delivery)}</dd>
        {email ? <><dt>{t('campaigns.rate.open')}</dt><dd data-rate="open">{pct(stats.rates.open)}</dd></>
          : <><dt>{t('campaigns.rate.read')}</dt><dd data-rate="read">{pct(stats.delivered ? stats.read / stats.delivered : 0)}</dd></>}
        <dt>{t('campaigns.rate.click')}</dt><dd data-rate="click">{pct(stats.rates.click)}</dd>
        {email && <><dt>{t('campaigns.rate.unsubscribe')}</dt><dd data-rate="unsubscribe">{pct(stats.rates.unsubscribe)}</dd></>}
        {email && stats.opens.machine > 0 && <><dt>{t('campaigns.machineOpens')}</dt><dd>{num(stats.opens.machine)}</dd></>}
      </dl>
    </section>
  );
}

/** An hour as the legend shows it, in the user's language and time zone. */
const hourOf = (seconds: number) => new Intl.DateTimeFormat(lang.get(), { month: 'short', day: 'numeric', hour: 'numeric' }).format(new Date(seconds * 1000));
/** An axis tick: the hour alone within a day, with the date over longer spans. */
const tickOf = (seconds: number, span: number) => new Intl.DateTimeFormat(lang.get(), span > 86_400 ? { month: 'short', day: 'numeric', hour: 'numeric' } : { hour: 'numeric' }).format(new Date(seconds * 1000));
const HOUR = 3600;
/** Tick steps: whole hours, then days. */
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 7 * 24 * HOUR, 30 * 24 * HOUR];

type Bucket = Stats['timeline'][number];
/** Every hour from the one before the first bucket to the one after the last (at most 60 days), quiet hours as zeros. */
export function hoursOf(timeline: Bucket[]): Bucket[] {
  const byHour = new Map(timeline.map((b) => [Date.parse(b.at), b]));
  const first = Date.parse(timeline[0].at) - HOUR * 1000;
  const last = Math.min(Date.parse(timeline[timeline.length - 1].at) + HOUR * 1000, first + 60 * 24 * HOUR * 1000);
  const out: Bucket[] = [];
  for (let at = first; at <= last; at += HOUR * 1000) {
    out.push(byHour.get(at) ?? { at: new Date(at).toISOString(), sent: 0, delivered: 0, read: 0, opened: 0, clicked: 0 });
  }
  return out;
}

/** The timeline: per hour, how many messages reached sent, delivered and read, and the opens and clicks. */
export function Timeline({ stats }: { stats: Stats }) {
  const box = useRef<HTMLDivElement>(null);
  const series: [keyof Stats['timeline'][number], string][] = [['sent', t('campaigns.sent')], ['delivered', t('campaigns.delivered')], ['read', t('campaigns.read')],
    ['opened', t('campaigns.opened')], ['clicked', t('campaigns.clicked')]];
  const key = JSON.stringify(stats.timeline);
  useEffect(() => {
    const el = box.current;
    if (!el || stats.timeline.length === 0) return;
    const hours = hoursOf(stats.timeline);
    const xs = hours.map((b) => Date.parse(b.at) / 1000);
    const plot = new uPlot({
      width: Math.max(280, el.clientWidth), height: 220,
      series: [{ label: t('campaigns.hour'), value: (_u, v) => (v == null ? '—' : hourOf(v)) },
        ...series.map(([, label], i) => ({ label, stroke: COLORS[i], width: 2, points: { show: true, size: 6 } }))],
      axes: [{ incrs: STEPS, space: 70, values: (u, ticks) => ticks.map((tk) => tickOf(tk, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0))) },
        { values: (_u, ticks) => ticks.map((v) => num(v)) }],
      scales: { x: { time: true } },
    }, [xs, ...series.map(([name]) => hours.map((b) => b[name] as number))], el);
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); plot.destroy(); };
  }, [key, lang.get()]);
  const total = (name: keyof Stats['timeline'][number]) => stats.timeline.reduce((n, b) => n + (b[name] as number), 0);
  const summary = series.map(([name, label]) => `${label} ${num(total(name))}`).join(', ');
  return (
    <figure class="card chart">
      <figcaption>{t('campaigns.timeline')}</figcaption>
      {stats.timeline.length === 0 ? <p class="empty">{t('campaigns.timelineEmpty')}</p> : <div ref={box} role="img" aria-label={`${t('campaigns.timeline')}: ${summary}`} />}
    </figure>
  );
}

/** The per-link click table, most clicked first. */
export function Links({ stats }: { stats: Stats }) {
  return (
    <section class="card links" aria-labelledby="links-title">
      <h2 id="links-title">{t('campaigns.links')}</h2>
      {stats.clicks.by_link.length === 0 ? <p class="empty">{t('campaigns.linksEmpty')}</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('campaigns.link')}</th><th scope="col" class="n">{t('campaigns.uniqueClicks')}</th><th scope="col" class="n">{t('campaigns.totalClicks')}</th></tr></thead>
            <tbody>
              {stats.clicks.by_link.map((l) => <tr><td class="url"><a href={l.url} rel="noopener noreferrer" target="_blank">{l.url}</a></td><td class="n">{num(l.unique)}</td><td class="n">{num(l.total)}</td></tr>)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
