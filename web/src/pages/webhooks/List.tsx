// The endpoints: URL, events, format and state, 50 a page; admins get "New endpoint".
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { date, t } from '../../i18n.ts';
import { onLink } from '../../router.ts';
import { ErrorLine } from '../../ui.tsx';
import { EndpointBadge, EventChips, useCanManage, type Endpoint } from './common.tsx';

/** The list of the workspace's webhook endpoints. */
export function EndpointList() {
  const canManage = useCanManage();
  const [rows, setRows] = useState<Endpoint[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (cursor?: string) => {
    const { data, error: problem } = await safely(() => api.GET('/v1/webhooks', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setRows((before) => (cursor ? [...(before ?? []), ...data!.webhooks] : data!.webhooks));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => { void load(); }, []);

  return (
    <section class="page webhooks">
      <div class="page-head">
        <h1>{t('webhooks.title')}</h1>
        {canManage && <a class="button primary" href="/webhooks/new" onClick={onLink}>{t('webhooks.new')}</a>}
      </div>
      <p class="hint">{t('webhooks.intro')}</p>
      <ErrorLine message={error} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('webhooks.empty')}</p> : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead><tr><th scope="col">{t('webhooks.url')}</th><th scope="col">{t('webhooks.events')}</th><th scope="col">{t('webhooks.format')}</th><th scope="col">{t('webhooks.state')}</th><th scope="col">{t('webhooks.created')}</th></tr></thead>
            <tbody>
              {rows.map((e) => (
                <tr>
                  <td class="wh-url" data-label={t('webhooks.url')}><a href={`/webhooks/${e.uuid}`} onClick={onLink}>{e.url}</a>{e.description && <div class="hint">{e.description}</div>}</td>
                  <td data-label={t('webhooks.events')}><EventChips events={e.events} /></td>
                  <td data-label={t('webhooks.format')}>{t(e.format === 'callbell' ? 'webhooks.format.callbell' : 'webhooks.format.beckon')}</td>
                  <td data-label={t('webhooks.state')}><EndpointBadge endpoint={e} /></td>
                  <td data-label={t('webhooks.created')}>{date(e.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && <button type="button" onClick={() => load(next)}>{t('more')}</button>}
    </section>
  );
}
