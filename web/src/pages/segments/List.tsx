// The segments list: every segment with its type and current member count (each counted by the API), newest first,
// 50 a page with "Load more".
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../../api.ts';
import { date, num, t } from '../../i18n.ts';
import { onLink } from '../../router.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

/** A segment's member count, asked of the API when shown (a segment whose rules no longer validate says so). */
export function MemberCount({ uuid }: { uuid: string }) {
  const [count, setCount] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    void safely(() => api.GET('/v1/segments/{uuid}/count', { params: { path: { uuid } } })).then(({ data }) => setCount(data ? data.count : null));
  }, [uuid]);
  if (count === undefined) return <span class="count muted" aria-busy="true">…</span>;
  if (count === null) return <span class="count muted">{t('segments.countUnavailable')}</span>;
  return <span class="count" data-members={count}>{num(count)}</span>;
}

/** The segments list page. */
export function SegmentList() {
  const user = useSignal(me);
  const [rows, setRows] = useState<Schema<'Segment'>[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (cursor?: string) => {
    const { data, error: problem } = await safely(() => api.GET('/v1/segments', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setRows((before) => (cursor ? [...(before ?? []), ...data!.segments] : data!.segments));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => { void load(); }, []);

  return (
    <section class="page segments">
      <div class="page-head">
        <h1>{t('segments.title')}</h1>
        {user?.role === 'admin' && <a class="button primary" href="/segments/new" onClick={onLink}>{t('segments.new')}</a>}
      </div>
      <ErrorLine message={error} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('segments.empty')}</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('segments.name')}</th><th scope="col">{t('segments.type')}</th><th scope="col" class="num">{t('segments.members')}</th><th scope="col">{t('segments.updated')}</th></tr></thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.uuid} data-segment={s.uuid}>
                  <td><a href={`/segments/${s.uuid}`} onClick={onLink}>{s.name}</a></td>
                  <td>{t(`segments.type.${s.type}`)}</td>
                  <td class="num"><MemberCount uuid={s.uuid} /></td>
                  <td>{date(s.updated_at)}</td>
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
