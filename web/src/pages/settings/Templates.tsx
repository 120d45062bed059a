// Settings › Templates: the workspace's templates (name, language, category, channel type, status, variables),
// filtered by channel type and status, 50 a page; admins create, edit and delete them.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../../api.ts';
import { date, t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { ConfirmButton } from '../../widgets.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { TEMPLATE_STATUSES, TEMPLATE_TYPES, TemplateForm } from './TemplateForm.tsx';
import './settings-h5.css';

type Template = Schema<'Template'>;
type Query = { channel_type?: (typeof TEMPLATE_TYPES)[number]; status?: (typeof TEMPLATE_STATUSES)[number] };

/** The templates settings tab. */
export function TemplatesSettings() {
  const canManage = useSignal(me)?.role === 'admin';
  const [filter, setFilter] = useState<Query>({});
  const [rows, setRows] = useState<Template[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null); // a template's uuid, 'new', or null

  const load = async (cursor?: string) => {
    const { data, error: problem } = await safely(() => api.GET('/v1/templates', { params: { query: { limit: 50, ...filter, ...(cursor ? { cursor } : {}) } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setRows((before) => (cursor ? [...(before ?? []), ...data!.templates] : data!.templates));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => { void load(); }, [filter]);
  const saved = () => { setEditing(null); void load(); };
  const remove = async (uuid: string) => {
    const { error: problem } = await safely(() => api.DELETE('/v1/templates/{uuid}', { params: { path: { uuid } } }));
    if (problem) return setError(fieldErrors(problem).message);
    void load();
  };
  const pick = (name: keyof Query) => (e: Event) => {
    const value = (e.currentTarget as HTMLSelectElement).value;
    setFilter({ ...filter, [name]: value || undefined });
  };

  return (
    <div class="tp-tab">
      <div class="page-head">
        <div class="filters">
          <Field id="tp-filter-type" label={t('templates.channelType')}>
            <select id="tp-filter-type" value={filter.channel_type ?? ''} onChange={pick('channel_type')}>
              <option value="">{t('templates.any')}</option>
              {TEMPLATE_TYPES.map((o) => <option value={o}>{t(`channels.type.${o}` as Key)}</option>)}
            </select>
          </Field>
          <Field id="tp-filter-status" label={t('templates.status')}>
            <select id="tp-filter-status" value={filter.status ?? ''} onChange={pick('status')}>
              <option value="">{t('templates.any')}</option>
              {TEMPLATE_STATUSES.map((o) => <option value={o}>{t(`templates.status.${o}` as Key)}</option>)}
            </select>
          </Field>
        </div>
        {canManage && editing !== 'new' && <button type="button" class="primary" onClick={() => setEditing('new')}>{t('templates.new')}</button>}
      </div>
      <ErrorLine message={error} />
      {editing === 'new' && <TemplateForm onSaved={saved} onCancel={() => setEditing(null)} />}
      {editing && editing !== 'new' && rows?.find((r) => r.uuid === editing) && (
        <TemplateForm key={editing} template={rows.find((r) => r.uuid === editing)} onSaved={saved} onCancel={() => setEditing(null)} />
      )}
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('templates.empty')}</p> : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead><tr>
              <th scope="col">{t('templates.name')}</th><th scope="col">{t('templates.language')}</th><th scope="col">{t('templates.category')}</th>
              <th scope="col">{t('templates.channelType')}</th><th scope="col">{t('templates.status')}</th><th scope="col">{t('templates.body')}</th>
              <th scope="col">{t('templates.updated')}</th>{canManage && <th scope="col"><span class="visually-hidden">{t('templates.actions')}</span></th>}
            </tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr data-template={r.uuid}>
                  <td data-label={t('templates.name')}><strong>{r.name}</strong></td>
                  <td data-label={t('templates.language')}>{r.language}</td>
                  <td data-label={t('templates.category')}>{t(`templates.category.${r.category}` as Key)}</td>
                  <td data-label={t('templates.channelType')}>{t(`channels.type.${r.channel_type}` as Key)}</td>
                  <td data-label={t('templates.status')}><span class={`badge tp-${r.status}`}>{t(`templates.status.${r.status}` as Key)}</span>{r.status_reason && <div class="hint">{r.status_reason}</div>}</td>
                  <td class="tp-body" data-label={t('templates.body')}><span>{r.body}</span>{r.variables.length > 0 && <div>{r.variables.map((v) => <code class="chip">{v}</code>)}</div>}</td>
                  <td data-label={t('templates.updated')}>{date(r.updated_at)}</td>
                  {canManage && (
                    <td><div class="actions">
                      <button type="button" onClick={() => setEditing(r.uuid)} aria-label={t('templates.editNamed', { name: r.name })}>{t('channels.edit')}</button>
                      <ConfirmButton label={t('channels.delete')} question={t('templates.delete.question', { name: r.name })} confirm={t('channels.delete')} cancel={t('channels.cancel')} action={() => remove(r.uuid)} />
                    </div></td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && <button type="button" onClick={() => load(next)}>{t('more')}</button>}
    </div>
  );
}
