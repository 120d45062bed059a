// Contacts: search (name, phone or email) and a tag filter over a paged list (50 a page, cursor-paged: smooth on
// 100,000 rows); a row opens the contact's page. CSV import (admins) and export of the current filter (ContactImport.tsx).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../api.ts';
import { date, t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { ErrorLine, Field, Pager, useCursorPages } from '../ui.tsx';
import { useSignal } from '../state.ts';
import { ExportButton, ImportPanel } from './ContactImport.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

/** The contacts list page. */
export function Contacts() {
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const paging = useCursorPages();
  const { cursor, setNext } = paging;
  const [rows, setRows] = useState<Schema<'Contact'>[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [reload, setReload] = useState(0);
  const user = useSignal(me);

  useEffect(() => {
    let live = true;
    void (async () => {
      const query = { limit: 50, ...(q ? { q } : {}), ...(tag ? { tags: [tag] } : {}), ...(cursor ? { cursor } : {}) };
      const { data, error: problem } = await safely(() => api.GET('/v1/contacts', { params: { query } }));
      if (!live) return;
      if (problem) {
        const parsed = fieldErrors(problem);
        setFields(parsed.fields);
        setError(Object.keys(parsed.fields).length ? null : parsed.message);
        return;
      }
      setFields({});
      setError(null);
      setRows(data!.contacts);
      setNext(data!.meta.next_cursor ?? null);
    })();
    return () => { live = false; };
  }, [q, tag, cursor, reload]);

  const search = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setQ(String(form.get('q') ?? '').trim());
    setTag(String(form.get('tag') ?? '').trim());
    paging.reset();
  };

  return (
    <section class="page">
      <h1>{t('nav.contacts')}</h1>
      <form class="filters" role="search" onSubmit={search}>
        <Field id="contacts-q" label={t('contacts.search')} error={fields.q}>
          <input id="contacts-q" name="q" type="search" defaultValue={q} placeholder={t('inbox.searchHint')} />
        </Field>
        <Field id="contacts-tag" label={t('contacts.tag')} error={fields['tags.0'] ?? fields.tags}>
          <input id="contacts-tag" name="tag" defaultValue={tag} />
        </Field>
        <button type="submit" class="primary">{t('contacts.find')}</button>
      </form>
      <ErrorLine message={error} />
      <div class="file-tools">
        <ExportButton query={{ ...(q ? { q } : {}), ...(tag ? { tags: [tag] } : {}) }} filtered={Boolean(q || tag)} />
        {user?.role === 'admin' && (
          <details class="import-box">
            <summary>{t('import.title')}</summary>
            <ImportPanel onDone={() => setReload((n) => n + 1)} />
          </details>
        )}
      </div>
      {rows === null ? <p role="status">{t('loading')}</p> : rows.length === 0 ? <p class="empty">{t('contacts.empty')}</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('contacts.name')}</th><th scope="col">{t('contacts.phone')}</th><th scope="col">{t('contacts.email')}</th><th scope="col">{t('contacts.tags')}</th><th scope="col">{t('contacts.created')}</th></tr></thead>
            <tbody>
              {rows.map((c) => (
                <tr>
                  <td><a href={`/contacts/${c.uuid}`} onClick={(e) => { e.preventDefault(); navigate(`/contacts/${c.uuid}`); }}>{c.name ?? t('contacts.noName')}</a></td>
                  <td>{c.phone ?? ''}</td>
                  <td>{c.email ?? ''}</td>
                  <td>{c.tags.map((tg) => <span class="chip">{tg}</span>)}</td>
                  <td>{date(c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label={t('contacts.pages')} pages={paging} />
    </section>
  );
}
