// The automations list: name, trigger, status, version and the runs started / completed / converted of each (its
// stats), filtered by status and paged; admins also get "new automation" and the examples to start from.
import { useEffect, useState } from 'preact/hooks';
import { api, me, safely } from '../../api.ts';
import { num, t, type Key } from '../../i18n.ts';
import { onLink } from '../../router.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field, Pager, useCursorPages } from '../../ui.tsx';
import { Examples } from './Examples.tsx';
import { StatusPill, triggerLabel, type Automation, type Stats } from './shared.tsx';

const STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
type Status = (typeof STATUSES)[number];

/** The automations list page. */
export function AutomationList() {
  const user = useSignal(me);
  const [status, setStatus] = useState<Status | ''>('');
  const paging = useCursorPages();
  const { cursor, setNext } = paging;
  const [rows, setRows] = useState<Automation[] | null>(null);
  const [stats, setStats] = useState<Record<string, Stats['runs']>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const query = { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) };
      const { data, error: problem } = await safely(() => api.GET('/v1/automations', { params: { query } }));
      if (!live) return;
      setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
      if (!data) return;
      setRows(data.automations);
      setNext(data.meta.next_cursor ?? null);
      const counts = await Promise.all(data.automations.map((a) => safely(() => api.GET('/v1/automations/{uuid}/stats', { params: { path: { uuid: a.uuid } } }))));
      if (live) setStats(Object.fromEntries(counts.flatMap((c) => (c.data ? [[c.data.stats.automation_uuid, c.data.stats.runs]] : []))));
    })();
    return () => { live = false; };
  }, [status, cursor]);

  const count = (uuid: string, key: 'started' | 'completed' | 'converted') => (stats[uuid] ? num(stats[uuid][key]) : '…');
  return (
    <section class="automations">
      <div class="page-head">
        <h1>{t('automations.title')}</h1>
        {user?.role === 'admin' && <a class="button primary" href="/automations/new" onClick={onLink}>{t('automations.new')}</a>}
      </div>
      <div class="filters auto-filters">
        <Field id="automations-status" label={t('automations.status')}>
          <select id="automations-status" value={status} onChange={(e) => { setStatus((e.currentTarget as HTMLSelectElement).value as Status | ''); paging.reset(); }}>
            <option value="">{t('automations.allStatuses')}</option>
            {STATUSES.map((s) => <option value={s}>{t(`automations.status.${s}` as Key)}</option>)}
          </select>
        </Field>
      </div>
      <ErrorLine message={error} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('automations.empty')}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('automations.title')}>
          <table class="automation-list">
            <thead>
              <tr>
                <th scope="col">{t('automations.name')}</th><th scope="col">{t('automations.trigger')}</th><th scope="col">{t('automations.status')}</th>
                <th scope="col">{t('automations.version')}</th><th scope="col" class="num">{t('automations.col.started')}</th>
                <th scope="col" class="num">{t('automations.col.completed')}</th><th scope="col" class="num">{t('automations.col.converted')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr data-automation={a.uuid}>
                  <td class="name"><a href={`/automations/${a.uuid}`} onClick={onLink}>{a.name}</a></td>
                  <td data-label={t('automations.trigger')}>{triggerLabel(a.trigger)}</td>
                  <td data-label={t('automations.status')}><StatusPill status={a.status} /></td>
                  <td data-label={t('automations.version')}>{a.version}</td>
                  <td class="num" data-label={t('automations.col.started')} data-stat="started">{count(a.uuid, 'started')}</td>
                  <td class="num" data-label={t('automations.col.completed')} data-stat="completed">{count(a.uuid, 'completed')}</td>
                  <td class="num" data-label={t('automations.col.converted')} data-stat="converted">{count(a.uuid, 'converted')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label={t('automations.pages')} pages={paging} hideAlone />
      {user?.role === 'admin' && <Examples />}
    </section>
  );
}
