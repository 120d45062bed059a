// Create or edit a channel: type and provider (fixed once created), title, default mark, and the provider's settings.
// Secrets are never shown: on edit a blank secret keeps the stored one. The API's errors show next to each field.
import { useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { CHANNEL_TYPES, PROVIDERS, providersOf, settingValue, type ChannelType, type ProviderName, type ProviderSetting } from './providers.ts';

type Channel = Schema<'Channel'>;
type Values = Record<string, string | boolean>;

/** The form's starting values: the channel's visible settings, or nothing for a new channel. */
function initialValues(channel?: Channel): Values {
  const values: Values = {};
  for (const [name, value] of Object.entries(channel?.config ?? {})) values[name] = typeof value === 'boolean' ? value : String(value ?? '');
  return values;
}

/** The config a create sends: every filled setting. */
function createConfig(settings: ProviderSetting[], values: Values): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const s of settings) {
    const raw = values[s.name];
    if (raw === undefined || raw === '' || (s.input === 'boolean' && raw !== true)) continue;
    config[s.name] = settingValue(s, raw);
  }
  return config;
}

/** The config a PATCH sends: changed settings only (null removes one; a blank secret is kept). */
function patchConfig(settings: ProviderSetting[], values: Values, before: Values): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const s of settings) {
    const raw = values[s.name];
    if (raw === undefined) continue;
    if (s.input === 'secret') { if (raw !== '') config[s.name] = settingValue(s, raw); continue; }
    if (raw === (before[s.name] ?? (s.input === 'boolean' ? false : ''))) continue;
    config[s.name] = raw === '' ? null : settingValue(s, raw);
  }
  return config;
}

/** The channel form: new when `channel` is absent. `onSaved` gets the saved channel. */
export function ChannelForm({ channel, onSaved, onCancel }: { channel?: Channel; onSaved: (c: Channel) => void; onCancel: () => void }) {
  const [type, setType] = useState<ChannelType>((channel?.type as ChannelType | undefined) ?? 'whatsapp');
  const [provider, setProvider] = useState<ProviderName>((channel?.provider as ProviderName | undefined) ?? 'sandbox');
  const [title, setTitle] = useState(channel?.title ?? '');
  const [main, setMain] = useState(channel?.main ?? false);
  const [values, setValues] = useState<Values>(() => initialValues(channel));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const settings = PROVIDERS[provider]?.settings ?? [];
  const id = channel ? `ch-${channel.uuid.slice(-8)}` : 'ch-new';

  const pickType = (next: ChannelType) => {
    setType(next);
    if (!PROVIDERS[provider].types.includes(next)) setProvider(providersOf(next)[0]);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const answer = channel
      ? await safely(() => api.PATCH('/v1/channels/{uuid}', { params: { path: { uuid: channel.uuid } }, body: {
        ...(title !== channel.title ? { title } : {}), ...(main && !channel.main ? { main: true } : {}),
        config: patchConfig(settings, values, initialValues(channel)) } }))
      : await safely(() => api.POST('/v1/channels', { body: { type, provider, title, ...(main ? { main } : {}), config: createConfig(settings, values) } }));
    setBusy(false);
    if (answer.error) {
      const parsed = fieldErrors(answer.error);
      setFields(parsed.fields);
      setError(Object.keys(parsed.fields).length ? t('channels.fixFields') : parsed.message);
      return;
    }
    onSaved(answer.data!.channel);
  };

  const input = (s: ProviderSetting) => {
    const fid = `${id}-${s.name}`;
    const label = `${t(`channels.setting.${s.name}` as Key)}${s.required ? ' *' : ''}`;
    const set = (v: string | boolean) => setValues({ ...values, [s.name]: v });
    if (s.input === 'boolean') {
      return (
        <div class="field">
          <label class="check"><input id={fid} type="checkbox" checked={values[s.name] === true} onChange={(e) => set((e.currentTarget as HTMLInputElement).checked)} /> {label}</label>
          {fields[`config.${s.name}`] && <p class="field-error" role="alert">{fields[`config.${s.name}`]}</p>}
        </div>
      );
    }
    const hint = s.input === 'secret' && channel?.secrets[s.name] ? t('channels.secretKept', { hint: channel.secrets[s.name] }) : undefined;
    return (
      <Field id={fid} label={label} error={fields[`config.${s.name}`]}>
        <input id={fid} type={(s.input === 'secret' ? 'password' : 'text') as 'text'} autoComplete={s.input === 'secret' ? 'new-password' : 'off'}
          inputMode={s.input === 'number' ? 'decimal' : undefined} placeholder={hint} value={String(values[s.name] ?? '')}
          onInput={(e) => set((e.currentTarget as HTMLInputElement).value)} />
      </Field>
    );
  };

  return (
    <form class="card ch-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{channel ? t('channels.editTitle', { title: channel.title }) : t('channels.new')}</h2>
      <ErrorLine message={error} />
      <div class="ch-grid">
        <Field id={`${id}-type`} label={t('channels.type')} error={fields.type}>
          <select id={`${id}-type`} value={type} disabled={!!channel} onChange={(e) => pickType((e.currentTarget as HTMLSelectElement).value as ChannelType)}>
            {CHANNEL_TYPES.map((ty) => <option value={ty}>{t(`channels.type.${ty}` as Key)}</option>)}
          </select>
        </Field>
        <Field id={`${id}-provider`} label={t('channels.provider')} error={fields.provider}>
          <select id={`${id}-provider`} value={provider} disabled={!!channel} onChange={(e) => { setProvider((e.currentTarget as HTMLSelectElement).value as ProviderName); setValues({}); }}>
            {providersOf(type).map((p) => <option value={p}>{t(`channels.provider.${p}` as Key)}</option>)}
          </select>
        </Field>
      </div>
      <Field id={`${id}-title-input`} label={t('channels.name')} error={fields.title}>
        <input id={`${id}-title-input`} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
      </Field>
      <label class="check"><input type="checkbox" checked={main} disabled={channel?.main} onChange={(e) => setMain((e.currentTarget as HTMLInputElement).checked)} /> {t('channels.main')}</label>
      {fields.main && <p class="field-error" role="alert">{fields.main}</p>}
      {settings.length > 0 && (
        <fieldset class="ch-settings">
          <legend>{t('channels.settings')}</legend>
          {channel && settings.some((s) => s.input === 'secret') && <p class="hint">{t('channels.secretsHint')}</p>}
          <div class="ch-grid">{settings.map(input)}</div>
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{channel ? t('channels.save') : t('channels.create')}</button>
        <button type="button" onClick={onCancel}>{t('channels.cancel')}</button>
      </div>
    </form>
  );
}
