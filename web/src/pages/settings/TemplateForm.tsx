// Create or edit a template: name, language, category, channel type, body with its variables ({{1}} or {{name}}),
// footer (WhatsApp), status and its reason. On edit only changed fields are sent (a header and buttons stay as they are).
import { useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

type Template = Schema<'Template'>;
/** Template categories, as the API takes them. */
export const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** The channel types a template is for. */
export const TEMPLATE_TYPES = ['whatsapp', 'sms', 'email'] as const;
/** Template statuses (only approved ones send). */
export const TEMPLATE_STATUSES = ['approved', 'pending', 'rejected', 'paused'] as const;

interface Draft { name: string; language: string; category: string; channel_type: string; body: string; footer: string; status: string; status_reason: string }

const draftOf = (tpl?: Template): Draft => ({
  name: tpl?.name ?? '', language: tpl?.language ?? 'en', category: tpl?.category ?? 'UTILITY', channel_type: tpl?.channel_type ?? 'whatsapp',
  body: tpl?.body ?? '', footer: tpl?.footer ?? '', status: tpl?.status ?? 'approved', status_reason: tpl?.status_reason ?? '',
});

/** The variables written in a text ({{1}}, {{first_name}}), each once, in order. */
export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]))];
}

/** The template form: new when `template` is absent. */
export function TemplateForm({ template, onSaved, onCancel }: { template?: Template; onSaved: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(template));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = template ? `tp-${template.uuid.slice(-8)}` : 'tp-new';
  const set = (name: keyof Draft) => (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const whole = {
      name: draft.name.trim(), language: draft.language.trim(), category: draft.category as (typeof CATEGORIES)[number],
      channel_type: draft.channel_type as (typeof TEMPLATE_TYPES)[number], body: draft.body, status: draft.status as (typeof TEMPLATE_STATUSES)[number], status_reason: draft.status_reason.trim() || null,
      ...(draft.channel_type === 'whatsapp' ? { footer: draft.footer.trim() || null } : {}),
    };
    let answer;
    if (template) {
      const before = draftOf(template);
      const changed = Object.fromEntries(Object.entries(whole).filter(([k, v]) => (before[k as keyof Draft] || null) !== (v || null)));
      answer = await safely(() => api.PATCH('/v1/templates/{uuid}', { params: { path: { uuid: template.uuid } }, body: changed }));
    } else {
      answer = await safely(() => api.POST('/v1/templates', { body: whole }));
    }
    setBusy(false);
    if (answer.error) {
      const parsed = fieldErrors(answer.error);
      setFields(parsed.fields);
      setError(Object.keys(parsed.fields).length ? t('templates.fixFields') : parsed.message);
      return;
    }
    onSaved();
  };

  const vars = variablesIn(draft.body);
  const select = (name: keyof Draft, label: Key, options: readonly string[], word: (o: string) => string) => (
    <Field id={`${id}-${name}`} label={t(label)} error={fields[name]}>
      <select id={`${id}-${name}`} value={draft[name]} onChange={set(name)}>{options.map((o) => <option value={o}>{word(o)}</option>)}</select>
    </Field>
  );
  return (
    <form class="card tp-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{template ? t('templates.editTitle', { name: template.name }) : t('templates.new')}</h2>
      <ErrorLine message={error} />
      <div class="ch-grid">
        <Field id={`${id}-name`} label={t('templates.name')} error={fields.name}>
          <input id={`${id}-name`} value={draft.name} onInput={set('name')} placeholder="order_update" />
        </Field>
        <Field id={`${id}-language`} label={t('templates.language')} error={fields.language}>
          <input id={`${id}-language`} value={draft.language} onInput={set('language')} placeholder="en_US" />
        </Field>
        {select('category', 'templates.category', CATEGORIES, (o) => t(`templates.category.${o}` as Key))}
        {select('channel_type', 'templates.channelType', TEMPLATE_TYPES, (o) => t(`channels.type.${o}` as Key))}
      </div>
      <Field id={`${id}-body`} label={t('templates.body')} error={fields.body}>
        <textarea id={`${id}-body`} rows={5} value={draft.body} onInput={set('body')} aria-describedby={`${id}-body-hint`} />
      </Field>
      <p class="hint" id={`${id}-body-hint`}>{t('templates.bodyHint')} {vars.length > 0 && <>{t('templates.variables')}: {vars.map((v) => <code class="chip">{`{{${v}}}`}</code>)}</>}</p>
      {draft.channel_type === 'whatsapp' && (
        <Field id={`${id}-footer`} label={t('templates.footer')} error={fields.footer}>
          <input id={`${id}-footer`} value={draft.footer} onInput={set('footer')} />
        </Field>
      )}
      <div class="ch-grid">
        {select('status', 'templates.status', TEMPLATE_STATUSES, (o) => t(`templates.status.${o}` as Key))}
        <Field id={`${id}-reason`} label={t('templates.statusReason')} error={fields.status_reason}>
          <input id={`${id}-reason`} value={draft.status_reason} onInput={set('status_reason')} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{template ? t('templates.save') : t('templates.create')}</button>
        <button type="button" onClick={onCancel}>{t('channels.cancel')}</button>
      </div>
    </form>
  );
}
