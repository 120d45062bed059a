// The reply box: a text reply, or an internal note; it knows the WhatsApp 24-hour window and, when it is closed
// (or the API refuses with 422 outside_customer_service_window), offers the approved templates the API lists.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { dateTime, t } from '../i18n.ts';
import { ErrorLine, Field } from '../ui.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

interface TemplateOffer { uuid: string; name: string; language: string; category?: string }

/**
 * Whether the conversation's WhatsApp window is closed now: other channel types have none, and a sandbox channel
 * enforces it only with `config.strict` (docs/sending-rules.md).
 */
export function windowClosed(c: Schema<'Conversation'>, channel: Schema<'Channel'> | null, now = Date.now()): boolean {
  if (c.channel_type !== 'whatsapp' || !channel) return false;
  if (channel.provider === 'sandbox' && channel.config.strict !== true) return false;
  return !c.window_expires_at || Date.parse(c.window_expires_at) <= now;
}

/** The reply box of a conversation. */
export function Reply({ conversation, onSent }: { conversation: Schema<'Conversation'>; onSent: () => Promise<void> }) {
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [templates, setTemplates] = useState<TemplateOffer[] | null>(null);
  const [values, setValues] = useState('');
  const [channel, setChannel] = useState<Schema<'Channel'> | null>(null);
  useEffect(() => {
    void safely(() => api.GET('/v1/channels/{uuid}', { params: { path: { uuid: conversation.channel_uuid } } })).then(({ data }) => setChannel(data?.channel ?? null));
  }, [conversation.channel_uuid]);
  const closed = windowClosed(conversation, channel);

  const post = async (body: { text?: string; private?: boolean; template_uuid?: string; template_values?: string[] }) => {
    setBusy(true);
    const { error: problem } = await safely(() => api.POST('/v1/conversations/{uuid}/messages', { params: { path: { uuid: conversation.uuid } }, body }));
    setBusy(false);
    if (problem) {
      if (problem.code === 'outside_customer_service_window') {
        // the page's own sentence, not the API's developer wording; the templates it offers follow
        setTemplates((problem.templates as TemplateOffer[] | undefined) ?? []);
        setFieldError(undefined);
        setError(t('reply.refusedWindow'));
        return;
      }
      const { fields, message } = fieldErrors(problem);
      setFieldError(fields.text);
      setError(fields.text ? null : message);
      return;
    }
    setText('');
    setValues('');
    setError(null);
    setFieldError(undefined);
    setTemplates(null);
    await onSent();
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (text.trim()) void post(note ? { text, private: true } : { text });
  };

  return (
    <form class="reply" onSubmit={submit}>
      {closed && !note && (
        <p class="window-closed" role="note">
          {conversation.window_expires_at ? t('reply.closedAt', { at: dateTime(conversation.window_expires_at) }) : t('reply.closed')}
        </p>
      )}
      <Field id="reply-text" label={note ? t('reply.noteLabel') : t('reply.label')} error={fieldError}>
        <textarea id="reply-text" rows={3} value={text} aria-keyshortcuts="r" class={note ? 'is-note' : ''}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e); }} />
      </Field>
      <div class="reply-row">
        <label class="check"><input type="checkbox" checked={note} onChange={(e) => setNote(e.currentTarget.checked)} /> {t('reply.asNote')}</label>
        <button type="submit" class="primary" disabled={busy || !text.trim()}>{note ? t('reply.addNote') : t('reply.send')}</button>
      </div>
      <ErrorLine message={error} />
      {templates && (
        <fieldset class="templates">
          <legend>{t('reply.templates')}</legend>
          {templates.length === 0 ? <p>{t('reply.noTemplates')}</p> : (
            <>
              <Field id="template-values" label={t('reply.values')}>
                <input id="template-values" value={values} onInput={(e) => setValues(e.currentTarget.value)} />
              </Field>
              <ul>
                {templates.map((tpl) => (
                  <li>
                    <button type="button" disabled={busy} onClick={() => post({ template_uuid: tpl.uuid, ...(values.trim() ? { template_values: values.split('|').map((v) => v.trim()) } : {}) })}>
                      {t('reply.sendTemplate', { name: tpl.name, language: tpl.language })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </fieldset>
      )}
    </form>
  );
}
