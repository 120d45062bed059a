// One segment: its type, member count and rules, its members (50 a page), adding and removing contacts of a static
// list, and delete with a confirmation. Agents read it; only admins see the changes the API lets admins make.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../../api.ts';
import { date, t } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field, Pager, useCursorPages } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { useChoices } from './Editor.tsx';
import { MemberCount } from './List.tsx';
import { RulesSummary } from './Summary.tsx';

const contactName = (c: Schema<'Contact'>) => c.name ?? c.phone ?? c.email ?? c.uuid;

/** The members of a segment, paged with Previous / Next; `version` reloads them; `onRemove` offers a Remove button per row. */
function Members({ uuid, version, onRemove }: { uuid: string; version: number; onRemove?: (c: Schema<'Contact'>) => void }) {
  const paging = useCursorPages();
  const { cursor, setNext } = paging;
  const [rows, setRows] = useState<Schema<'Contact'>[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const query = { limit: 50, ...(cursor ? { cursor } : {}) };
      const { data, error: problem } = await safely(() => api.GET('/v1/segments/{uuid}/contacts', { params: { path: { uuid }, query } }));
      if (problem) return setError(fieldErrors(problem).message);
      setError(null);
      setRows(data!.contacts);
      setNext(data!.meta.next_cursor ?? null);
    })();
  }, [uuid, cursor, version]);
  if (rows === null) return error ? <ErrorLine message={error} /> : <p role="status">{t('loading')}</p>;
  return (
    <>
      <ErrorLine message={error} />
      {rows.length === 0 ? <p class="empty">{t('segments.noMembers')}</p> : (
        <div class="table-wrap">
          <table class="members">
            <thead><tr><th scope="col">{t('contacts.name')}</th><th scope="col">{t('contacts.phone')}</th><th scope="col">{t('contacts.email')}</th><th scope="col">{t('contacts.created')}</th>{onRemove && <th scope="col"><span class="visually-hidden">{t('segments.remove')}</span></th>}</tr></thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.uuid}>
                  <td><a href={`/contacts/${c.uuid}`} onClick={onLink}>{c.name ?? t('contacts.noName')}</a></td>
                  <td>{c.phone ?? ''}</td>
                  <td>{c.email ?? ''}</td>
                  <td>{date(c.created_at)}</td>
                  {onRemove && <td><button type="button" class="link danger" onClick={() => onRemove(c)} aria-label={t('segments.removeOne', { name: contactName(c) })}>{t('segments.remove')}</button></td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label={t('contacts.pages')} pages={paging} hideAlone />
    </>
  );
}

/** Finding contacts and adding them to a static list. */
function AddContacts({ uuid, onAdded }: { uuid: string; onAdded: () => void }) {
  const [found, setFound] = useState<Schema<'Contact'>[] | null>(null);
  const [added, setAdded] = useState<Set<string>>(new Set());
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const find = async (e: Event) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget as HTMLFormElement).get('q') ?? '').trim();
    const { data, error: problem } = await safely(() => api.GET('/v1/contacts', { params: { query: { limit: 10, ...(q ? { q } : {}) } } }));
    if (problem) { const p = fieldErrors(problem); setFields(p.fields); return setError(Object.keys(p.fields).length ? null : p.message); }
    setFields({});
    setError(null);
    setFound(data!.contacts);
  };
  const add = async (c: Schema<'Contact'>) => {
    const { error: problem } = await safely(() => api.POST('/v1/segments/{uuid}/contacts', { params: { path: { uuid } }, body: { contact_uuids: [c.uuid] } }));
    if (problem) return setError(fieldErrors(problem).message);
    setAdded((before) => new Set([...before, c.uuid]));
    onAdded();
  };
  return (
    <section class="card add-contacts" aria-labelledby="add-title">
      <h2 id="add-title">{t('segments.addContacts')}</h2>
      <form class="filters" role="search" onSubmit={find}>
        <Field id="add-q" label={t('segments.findContacts')} error={fields.q}>
          <input id="add-q" name="q" type="search" />
        </Field>
        <button type="submit">{t('segments.find')}</button>
      </form>
      <ErrorLine message={error} />
      {found && (found.length === 0 ? <p class="empty">{t('segments.noResults')}</p> : (
        <ul class="found">
          {found.map((c) => (
            <li key={c.uuid}>
              <span>{contactName(c)}{c.phone && c.name ? ` · ${c.phone}` : ''}</span>
              {added.has(c.uuid) ? <span class="hint">{t('segments.inList')}</span>
                : <button type="button" onClick={() => add(c)} aria-label={t('segments.addOne', { name: contactName(c) })}>{t('segments.add')}</button>}
            </li>
          ))}
        </ul>
      ))}
    </section>
  );
}

/** The page of segment `uuid`. */
export function SegmentPage({ uuid }: { uuid: string }) {
  const user = useSignal(me);
  const admin = user?.role === 'admin';
  const [segment, setSegment] = useState<Schema<'Segment'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [version, setVersion] = useState(0);
  const choices = useChoices(uuid);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (confirming) confirmButton.current?.focus(); }, [confirming]);
  useEffect(() => {
    void safely(() => api.GET('/v1/segments/{uuid}', { params: { path: { uuid } } })).then(({ data, error: problem }) => {
      if (problem) setError(fieldErrors(problem).message);
      else setSegment(data!.segment);
    });
  }, [uuid]);

  const remove = async () => {
    const { error: problem } = await safely(() => api.DELETE('/v1/segments/{uuid}', { params: { path: { uuid } } }));
    if (problem) { setConfirming(false); return setError(fieldErrors(problem).message); }
    navigate('/segments');
  };
  const removeMember = async (c: Schema<'Contact'>) => {
    const { error: problem } = await safely(() => api.DELETE('/v1/segments/{uuid}/contacts', { params: { path: { uuid } }, body: { contact_uuids: [c.uuid] } }));
    if (problem) return setError(fieldErrors(problem).message);
    setVersion((v) => v + 1);
  };

  if (!segment) return <section class="page"><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  const editable = admin && segment.type === 'static';
  return (
    <section class="page segment">
      <a href="/segments" onClick={onLink} class="crumb">← {t('segments.back')}</a>
      <div class="page-head">
        <h1>{segment.name}</h1>
        {admin && (
          <div class="actions">
            <a class="button" href={`/segments/${uuid}/edit`} onClick={onLink}>{t('segments.edit')}</a>
            <button type="button" class="danger" onClick={() => setConfirming(true)} aria-expanded={confirming}>{t('segments.delete')}</button>
          </div>
        )}
      </div>
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">{t('segments.confirmDelete', { name: segment.name })}</p>
          <button type="button" class="danger primary" onClick={remove} ref={confirmButton}>{t('segments.confirm')}</button>
          <button type="button" onClick={() => setConfirming(false)}>{t('segments.cancel')}</button>
        </div>
      )}
      <ErrorLine message={error} />
      <dl class="segment-facts">
        <dt>{t('segments.type')}</dt><dd>{t(`segments.type.${segment.type}`)}</dd>
        <dt>{t('segments.members')}</dt><dd><MemberCount key={version} uuid={uuid} /></dd>
        <dt>{t('segments.updated')}</dt><dd>{date(segment.updated_at)}</dd>
      </dl>
      {segment.rules && (
        <section aria-labelledby="rules-title">
          <h2 id="rules-title">{t('segments.rules')}</h2>
          <RulesSummary rules={segment.rules} choices={choices} />
        </section>
      )}
      {editable && <AddContacts uuid={uuid} onAdded={() => setVersion((v) => v + 1)} />}
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('segments.members')}</h2>
        <Members uuid={uuid} version={version} onRemove={editable ? removeMember : undefined} />
      </section>
    </section>
  );
}
