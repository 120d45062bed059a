// Settings › Custom fields: the definitions that type contacts' custom_fields (key, label, type, dropdown options).
// Admins create one, edit its label, delete it; agents see the list (the API lets only admins change it).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely, useApiForm } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

type CustomField = Schema<'CustomField'>;
const TYPES = ['text', 'email', 'number', 'date', 'dropdown', 'checkbox'] as const;

/** The custom fields settings tab. */
export function FieldsSettings() {
  const admin = useSignal(me)?.role === 'admin';
  const [fields, setFields] = useState<CustomField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const load = async () => {
    const { data, error: problem } = await safely(() => api.GET('/v1/custom_fields'));
    setError(problem ? fieldErrors(problem).message : null);
    if (data) setFields(data.custom_fields);
  };
  useEffect(() => { void load(); }, []);
  const remove = async (field: CustomField) => {
    const { error: problem } = await safely(() => api.DELETE('/v1/custom_fields/{uuid}', { params: { path: { uuid: field.uuid } } }));
    setError(problem ? fieldErrors(problem).message : null);
    setDeleting(null);
    await load();
  };

  return (
    <div class="settings-fields">
      {admin ? <CreateField onCreated={load} /> : <p class="hint">{t('fields.adminsOnly')}</p>}
      <ErrorLine message={error} />
      {fields && fields.length === 0 && <p class="empty">{t('fields.empty')}</p>}
      {fields && fields.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t('fields.keyShort')}</th><th>{t('fields.label')}</th><th>{t('fields.type')}</th><th>{t('fields.optionsShort')}</th>{admin && <th>{t('users.actions')}</th>}</tr></thead>
            <tbody>
              {fields.map((field) => (
                <tr data-field={field.key}>
                  <td><code>{field.key}</code></td>
                  <td>{editing === field.uuid ? <EditLabel field={field} onDone={async () => { setEditing(null); await load(); }} /> : field.label}</td>
                  <td>{t(`fields.type.${field.type}` as Key)}</td>
                  <td>{field.options.join(', ')}</td>
                  {admin && (
                    <td class="row-actions">
                      {editing !== field.uuid && <button type="button" onClick={() => setEditing(field.uuid)}>{t('fields.edit')}</button>}
                      {deleting === field.uuid
                        ? <>
                          <button type="button" class="danger" title={t('fields.deleteHint')} onClick={() => void remove(field)}>{t('fields.confirmDelete', { key: field.key })}</button>
                          <button type="button" onClick={() => setDeleting(null)}>{t('users.cancel')}</button>
                        </>
                        : <button type="button" onClick={() => setDeleting(field.uuid)}>{t('fields.delete')}</button>}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The label of `field` in an input, saved with PATCH (the API's error next to it). */
function EditLabel({ field, onDone }: { field: CustomField; onDone: () => Promise<void> }) {
  const [label, setLabel] = useState(field.label);
  const { busy, errors, message, run } = useApiForm();
  const id = `label-${field.uuid}`;
  const save = async (event: Event) => {
    event.preventDefault();
    const { error } = await run(() => api.PATCH('/v1/custom_fields/{uuid}', { params: { path: { uuid: field.uuid } }, body: { label } }));
    if (!error) await onDone();
  };
  return (
    <form class="form-row" onSubmit={save} noValidate>
      <Field id={id} label={t('fields.labelOf', { key: field.key })} error={errors.label}>
        <input id={id} value={label} onInput={(e) => setLabel(e.currentTarget.value)} autoFocus />
      </Field>
      <button type="submit" disabled={busy}>{t('fields.save')}</button>
      <button type="button" onClick={() => void onDone()}>{t('users.cancel')}</button>
      <ErrorLine message={message} />
    </form>
  );
}

function CreateField({ onCreated }: { onCreated: () => Promise<void> }) {
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<CustomField['type']>('text');
  const [options, setOptions] = useState('');
  const { busy, errors, message, run } = useApiForm();
  const submit = async (event: Event) => {
    event.preventDefault();
    const list = options.split('\n').map((o) => o.trim()).filter(Boolean);
    const { data } = await run(() => api.POST('/v1/custom_fields', { body: { key, label, type, ...(type === 'dropdown' ? { options: list } : {}) } }));
    if (!data) return;
    setKey('');
    setLabel('');
    setOptions('');
    await onCreated();
  };
  return (
    <form class="card inline-form" onSubmit={submit} noValidate>
      <h2>{t('fields.create')}</h2>
      <div class="form-row">
        <Field id="field-key" label={t('fields.key')} error={errors.key}>
          <input id="field-key" value={key} onInput={(e) => setKey(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
        </Field>
        <Field id="field-label" label={t('fields.label')} error={errors.label}>
          <input id="field-label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="field-type" label={t('fields.type')} error={errors.type}>
          <select id="field-type" value={type} onChange={(e) => setType(e.currentTarget.value as CustomField['type'])}>
            {TYPES.map((ty) => <option value={ty}>{t(`fields.type.${ty}` as Key)}</option>)}
          </select>
        </Field>
        <button type="submit" class="primary" disabled={busy}>{t('fields.submit')}</button>
      </div>
      {type === 'dropdown' && (
        <Field id="field-options" label={t('fields.options')} error={errors.options}>
          <textarea id="field-options" rows={3} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
        </Field>
      )}
      <ErrorLine message={message} />
    </form>
  );
}
