// An endpoint's delivery log, newest first, 20 a page (Load more), filtered by status; each delivery opens to its
// attempts (time, HTTP status, latency, the answer's first KiB, the error). Admins retry a finished delivery.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { dateTime, num, t } from '../../i18n.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { DeliveryBadge, type Delivery } from './common.tsx';

type Filter = '' | Delivery['status'];

/** One delivery: its summary line, and its attempts when opened. */
function DeliveryItem({ delivery, open, canRetry, onRetry }: { delivery: Delivery; open: boolean; canRetry: boolean; onRetry: (uuid: string) => void }) {
  const d = delivery;
  return (
    <li>
      <details open={open} data-delivery={d.uuid}>
        <summary>
          <DeliveryBadge status={d.status} /> <code>{d.event_type}</code> <time>{dateTime(d.created_at)}</time>
          <span class="hint"> · {t('webhooks.attemptCount', { n: num(d.attempt_count) })}{d.last_status_code != null ? ` · HTTP ${d.last_status_code}` : ''}</span>
        </summary>
        <div class="wh-delivery">
          <p class="hint">{t('webhooks.webhookId')} <code>{d.event_uuid}</code>{d.next_attempt_at && <> · {t('webhooks.nextAttempt', { at: dateTime(d.next_attempt_at) })}</>}</p>
          {d.last_error && <p class="error">{d.last_error}</p>}
          {d.attempts.length === 0 ? <p class="empty">{t('webhooks.noAttempts')}</p> : (
            <div class="table-wrap">
              <table class="wh-attempts">
                <caption class="visually-hidden">{t('webhooks.attempts')}</caption>
                <thead><tr><th scope="col">#</th><th scope="col">{t('webhooks.attempt.at')}</th><th scope="col">{t('webhooks.attempt.status')}</th><th scope="col">{t('webhooks.attempt.latency')}</th><th scope="col">{t('webhooks.attempt.response')}</th></tr></thead>
                <tbody>
                  {d.attempts.map((a) => (
                    <tr data-attempt={a.attempt}>
                      <td>{a.attempt}</td>
                      <td>{dateTime(a.created_at)}</td>
                      <td class={a.status_code != null && a.status_code < 300 ? 'ok' : 'ko'}>{a.status_code ?? '—'}</td>
                      <td>{t('webhooks.ms', { n: num(a.latency_ms) })}</td>
                      <td>{a.response_excerpt && <pre class="excerpt">{a.response_excerpt}</pre>}{a.error && <p class="error">{a.error}</p>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {canRetry && d.status !== 'pending' && <button type="button" onClick={() => onRetry(d.uuid)}>{t('webhooks.retry')}</button>}
        </div>
      </details>
    </li>
  );
}

/** The delivery log of endpoint `endpoint`; `fresh` names a delivery just made (by a test): the log reloads and opens it. */
export function DeliveryLog({ endpoint, canRetry, fresh }: { endpoint: string; canRetry: boolean; fresh: { uuid: string; n: number } | null }) {
  const [status, setStatus] = useState<Filter>('');
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const load = async (cursor?: string) => {
    const query = { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) };
    const { data, error: problem } = await safely(() => api.GET('/v1/webhooks/{uuid}/deliveries', { params: { path: { uuid: endpoint }, query } }));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setRows((before) => (cursor ? [...(before ?? []), ...data!.deliveries] : data!.deliveries));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => { void load(); }, [endpoint, status, fresh?.n]);
  useEffect(() => { if (fresh) setOpened(fresh.uuid); }, [fresh?.n]);

  /** Retries a delivery, then follows it until its attempt is recorded (or a few seconds pass). */
  const retry = async (uuid: string) => {
    const { data, error: problem } = await safely(() => api.POST('/v1/webhooks/deliveries/{uuid}/retry', { params: { path: { uuid } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setOpened(uuid);
    const put = (d: Delivery) => setRows((before) => (before ?? []).map((r) => (r.uuid === d.uuid ? d : r)));
    put(data!.delivery);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const again = await safely(() => api.GET('/v1/webhooks/deliveries/{uuid}', { params: { path: { uuid } } }));
      if (again.error) return setError(fieldErrors(again.error).message);
      put(again.data!.delivery);
      if (again.data!.delivery.status !== 'pending') return;
    }
  };

  return (
    <section class="wh-log" aria-labelledby="wh-log-title">
      <div class="page-head">
        <h2 id="wh-log-title">{t('webhooks.deliveries')}</h2>
        <div class="filters">
          <Field id="wh-status" label={t('webhooks.filterStatus')}>
            <select id="wh-status" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as Filter)}>
              <option value="">{t('webhooks.delivery.all')}</option>
              <option value="pending">{t('webhooks.delivery.pending')}</option>
              <option value="succeeded">{t('webhooks.delivery.succeeded')}</option>
              <option value="failed">{t('webhooks.delivery.failed')}</option>
            </select>
          </Field>
          <button type="button" onClick={() => load()}>{t('webhooks.refresh')}</button>
        </div>
      </div>
      <ErrorLine message={error} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('webhooks.noDeliveries')}</p> : (
        <ul class="wh-deliveries">
          {rows.map((d) => <DeliveryItem key={d.uuid} delivery={d} open={opened === d.uuid} canRetry={canRetry} onRetry={retry} />)}
        </ul>
      )}
      {next && <button type="button" onClick={() => load(next)}>{t('more')}</button>}
    </section>
  );
}
