// The overview's second half: contacts growth and opt-outs, webhook health (deliveries by status) for the chosen
// period, and the workspace's queue now, sampled live while the page is open (GET /v1/reports/contacts, /webhooks, /queue).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { dateTime, num, t } from '../i18n.ts';
import { ErrorLine } from '../ui.tsx';
import { Chart, shortTime } from './OverviewChart.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

/** How often the queue is sampled while the page is open. */
const QUEUE_EVERY_MS = 5000;
/** The queue chart's first span, in seconds (it grows past it as samples come). */
const QUEUE_WINDOW_S = 300;
/** Samples kept (10 minutes at one every 5 s). */
const QUEUE_SAMPLES = 120;

type Sample = { at: number; waiting: number; pending: number; oldestMessage: string | null; oldestDelivery: string | null };

/** The period's contacts and webhooks charts and the live queue; `days` are the period's UTC days, `range` its ISO bounds. */
export function OverviewActivity({ days, range }: { days: string[]; range: { from: string; to: string } }) {
  const [contacts, setContacts] = useState<Schema<'ContactReport'> | null>(null);
  const [hooks, setHooks] = useState<Schema<'WebhookReport'> | null>(null);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const [c, w] = await Promise.all([
        safely(() => api.GET('/v1/reports/contacts', { params: { query: range } })),
        safely(() => api.GET('/v1/reports/webhooks', { params: { query: range } })),
      ]);
      const failed = c.error ?? w.error;
      if (failed) return setError(fieldErrors(failed).message);
      setError(null);
      setContacts(c.data!);
      setHooks(w.data!);
    })();
  }, [range.from, range.to]);

  useEffect(() => {
    let stopped = false;
    const sample = async () => {
      const { data } = await safely(() => api.GET('/v1/reports/queue'));
      if (stopped || !data) return;
      const next = { at: Date.now() / 1000, waiting: data.messages.waiting, pending: data.webhook_deliveries.pending, oldestMessage: data.messages.oldest_created_at, oldestDelivery: data.webhook_deliveries.oldest_created_at };
      setSamples((list) => [...list, next].slice(-QUEUE_SAMPLES));
    };
    void sample();
    const timer = setInterval(sample, QUEUE_EVERY_MS);
    return () => { stopped = true; clearInterval(timer); };
  }, []);

  const xs = days.map((d) => Date.parse(d) / 1000);
  const perDay = <G extends { key: string }>(groups: G[] | undefined, pick: (g: G) => number) => {
    const by = new Map((groups ?? []).map((g) => [g.key, pick(g)]));
    return days.map((d) => by.get(d) ?? 0);
  };
  let running = contacts?.total_before ?? 0;
  const totalLine = perDay(contacts?.groups, (g) => g.created).map((n) => (running += n));
  const delivered = hooks ? hooks.totals.by_status.succeeded + hooks.totals.by_status.failed : 0;
  const now = samples.at(-1);

  return (
    <>
      <ErrorLine message={error} />
      {contacts && hooks && (
        <>
          <div class="stats">
            <div class="card stat"><span>{t('overview.contacts')}</span><strong data-stat="contacts">{num(running)}</strong></div>
            <div class="card stat"><span>{t('overview.newContacts')}</span><strong data-stat="new-contacts">{num(contacts.totals.created)}</strong></div>
            <div class="card stat"><span>{t('overview.optOuts')}</span><strong data-stat="opt-outs">{num(contacts.totals.opted_out)}</strong></div>
            <div class="card stat"><span>{t('overview.webhookHealth')}</span><strong data-stat="webhooks">{delivered ? num(hooks.totals.by_status.succeeded / delivered, { style: 'percent', maximumFractionDigits: 1 }) : '—'}</strong></div>
          </div>
          <Chart id="contacts" title={t('overview.contactsGrowth')} xs={xs} series={[{ label: t('overview.contacts'), values: totalLine }]} />
          <Chart id="new-contacts" title={t('overview.newAndOptOuts')} xs={xs} series={[
            { label: t('overview.newContacts'), values: perDay(contacts.groups, (g) => g.created), color: 1 },
            { label: t('overview.optOuts'), values: perDay(contacts.groups, (g) => g.opted_out), color: 3 },
          ]} />
          <Chart id="webhooks" title={t('overview.webhooks')} xs={xs} series={[
            { label: t('overview.delivery.succeeded'), values: perDay(hooks.groups, (g) => g.by_status.succeeded), color: 1 },
            { label: t('overview.delivery.failed'), values: perDay(hooks.groups, (g) => g.by_status.failed), color: 3 },
            { label: t('overview.delivery.pending'), values: perDay(hooks.groups, (g) => g.by_status.pending), color: 4 },
          ]} />
        </>
      )}
      {now && (
        <>
          <div class="stats">
            <div class="card stat"><span>{t('overview.waiting')}</span><strong data-stat="waiting">{num(now.waiting)}</strong>
              {now.oldestMessage && <small>{t('overview.oldest', { at: dateTime(now.oldestMessage) })}</small>}</div>
            <div class="card stat"><span>{t('overview.pendingHooks')}</span><strong data-stat="pending-hooks">{num(now.pending)}</strong>
              {now.oldestDelivery && <small>{t('overview.oldest', { at: dateTime(now.oldestDelivery) })}</small>}</div>
          </div>
          <Chart id="queue" title={t('overview.queue')} xs={samples.map((s) => s.at)} x={shortTime} xLabel={t('overview.time')}
            xRange={[samples[0].at, Math.max(now.at, samples[0].at + QUEUE_WINDOW_S)]} series={[
            { label: t('overview.waiting'), values: samples.map((s) => s.waiting) },
            { label: t('overview.pendingHooks'), values: samples.map((s) => s.pending), color: 4 },
          ]} />
        </>
      )}
    </>
  );
}
