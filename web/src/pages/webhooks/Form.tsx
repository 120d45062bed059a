// Create or edit an endpoint: URL, description, events, payload format, enabled. A new endpoint's signing secret is
// shown once, then the endpoint's page opens. The API's field errors show next to their field.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { ShownOnce } from '../../widgets.tsx';
import { choiceOf, eventsOf, EventsPicker, type EventChoice } from './EventsPicker.tsx';
import { copyWords, useCanManage } from './common.tsx';

/** The first error on `events` or one of its items. */
function eventsError(fields: Record<string, string>): string | undefined {
  const key = Object.keys(fields).find((k) => k === 'events' || k.startsWith('events.'));
  return key ? fields[key] : undefined;
}

/** The new-endpoint form, or the edit form of endpoint `uuid`. */
export function EndpointForm({ uuid }: { uuid?: string }) {
  const canManage = useCanManage();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [choice, setChoice] = useState<EventChoice>({ all: false, types: ['message_created', 'message_status_updated'], allCustom: false, custom: '' });
  const [format, setFormat] = useState<'beckon' | 'callbell'>('beckon');
  const [enabled, setEnabled] = useState(true);
  const [loaded, setLoaded] = useState(!uuid);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ uuid: string; secret: string } | null>(null);

  useEffect(() => {
    if (!uuid) return;
    void safely(() => api.GET('/v1/webhooks/{uuid}', { params: { path: { uuid } } })).then(({ data, error: problem }) => {
      if (problem) return setError(fieldErrors(problem).message);
      const w = data!.webhook;
      setUrl(w.url);
      setDescription(w.description ?? '');
      setChoice(choiceOf(w.events));
      setFormat(w.format);
      setEnabled(w.enabled);
      setLoaded(true);
    });
  }, [uuid]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const body = { url: url.trim(), description: description.trim() || null, events: eventsOf(choice), format, enabled };
    const answer = uuid
      ? await safely(() => api.PATCH('/v1/webhooks/{uuid}', { params: { path: { uuid } }, body }))
      : await safely(() => api.POST('/v1/webhooks', { body }));
    setBusy(false);
    if (answer.error) {
      const parsed = fieldErrors(answer.error);
      setFields(parsed.fields);
      setError(Object.keys(parsed.fields).length ? t('webhooks.fixFields') : parsed.message);
      return;
    }
    const webhook = answer.data!.webhook as { uuid: string; secret?: string };
    if (webhook.secret) return setCreated({ uuid: webhook.uuid, secret: webhook.secret });
    navigate(`/webhooks/${webhook.uuid}`);
  };

  const back = uuid ? `/webhooks/${uuid}` : '/webhooks';
  if (created) {
    return (
      <section class="page webhooks">
        <h1>{t('webhooks.created.title')}</h1>
        <ShownOnce id="wh-secret" title={t('webhooks.secret')} warning={t('webhooks.secretOnce')} value={created.secret} words={copyWords()} onDone={() => navigate(`/webhooks/${created.uuid}`)} />
      </section>
    );
  }
  return (
    <section class="page webhooks">
      <a href={back} onClick={onLink}>{t('webhooks.back')}</a>
      <h1>{uuid ? t('webhooks.edit') : t('webhooks.new')}</h1>
      {!canManage && <p class="hint">{t('webhooks.adminsOnly')}</p>}
      <ErrorLine message={error} />
      {loaded && (
        <form class="wh-form card" onSubmit={submit} noValidate>
          <Field id="wh-url" label={t('webhooks.url')} error={fields.url}>
            <input id="wh-url" type="url" required value={url} placeholder="https://example.com/beckon" onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} />
          </Field>
          <Field id="wh-description" label={t('webhooks.description')} error={fields.description}>
            <input id="wh-description" value={description} onInput={(e) => setDescription((e.currentTarget as HTMLInputElement).value)} />
          </Field>
          <EventsPicker value={choice} onChange={setChoice} error={eventsError(fields)} />
          <Field id="wh-format" label={t('webhooks.format')} error={fields.format}>
            <select id="wh-format" value={format} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as 'beckon' | 'callbell')}>
              <option value="beckon">{t('webhooks.format.beckon')}</option>
              <option value="callbell">{t('webhooks.format.callbell')}</option>
            </select>
          </Field>
          <label class="check"><input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)} /> {t('webhooks.enabled')}</label>
          <div class="actions wh-submit">
            <button type="submit" class="primary" disabled={busy || !canManage}>{uuid ? t('webhooks.save') : t('webhooks.create')}</button>
            <a class="button" href={back} onClick={onLink}>{t('webhooks.cancel')}</a>
          </div>
        </form>
      )}
    </section>
  );
}
