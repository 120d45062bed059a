// One contact: fields, tags, consent per channel, and the full history timeline (messages, opens, clicks,
// consent changes, events), paged newest first.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { dateTime, t, type Key } from '../i18n.ts';
import { ErrorLine, StatusBadge } from '../ui.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

type Entry = { at: string; type: string; uuid: string; [key: string]: unknown };

const KINDS = ['message', 'open', 'click', 'unsubscribe', 'consent', 'event', 'funnel_stage'];

/** What kind of entry it is, translated (a message says which way it went). */
function kind(entry: Entry): string {
  if (entry.type === 'message') return t(entry.direction === 'inbound' ? 'history.inbound' : 'history.outbound', { channel: String(entry.channel ?? '') });
  return KINDS.includes(entry.type) ? t(`history.${entry.type}` as Key) : entry.type;
}

/** A one-line summary of a history entry. */
function summary(entry: Entry): string {
  const content = entry.content as { text?: string } | undefined;
  if (entry.type === 'message') return content?.text ?? (entry.subject as string | undefined) ?? `[${String(entry.message_type)}]`;
  if (entry.type === 'consent') return `${String(entry.channel_type)}: ${t(`consent.${String(entry.status)}` as Key)}`;
  if (entry.type === 'funnel_stage') return String(entry.funnel_stage_name ?? '');
  for (const key of ['name', 'url']) if (typeof entry[key] === 'string') return entry[key] as string;
  return '';
}

/** The contact page of `uuid`. */
export function ContactPage({ uuid }: { uuid: string }) {
  const [contact, setContact] = useState<Schema<'Contact'> | null>(null);
  const [history, setHistory] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const more = async (cursor?: string) => {
    const { data, error: problem } = await safely(() => api.GET('/v1/contacts/{uuid}/history', { params: { path: { uuid }, query: { limit: 50, ...(cursor ? { cursor } : {}) } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setHistory((before) => (cursor ? [...before, ...data!.history] : data!.history));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => {
    void (async () => {
      const { data, error: problem } = await safely(() => api.GET('/v1/contacts/{uuid}', { params: { path: { uuid } } }));
      if (problem) return setError(fieldErrors(problem).message);
      setContact(data!.contact);
      await more();
    })();
  }, [uuid]);

  if (!contact) return <section class="page"><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  const custom = Object.entries(contact.custom_fields);
  return (
    <section class="page contact">
      <h1>{contact.name ?? contact.phone ?? contact.email}</h1>
      <ErrorLine message={error} />
      <div class="cards">
        <section class="card" aria-labelledby="c-fields">
          <h2 id="c-fields">{t('contact.fields')}</h2>
          <dl>
            <dt>{t('contacts.phone')}</dt><dd>{contact.phone ?? '—'}</dd>
            <dt>{t('contacts.email')}</dt><dd>{contact.email ?? '—'}</dd>
            <dt>{t('contact.source')}</dt><dd>{contact.source ?? '—'}</dd>
            <dt>{t('contacts.created')}</dt><dd>{dateTime(contact.created_at)}</dd>
            {custom.map(([k, v]) => <><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></>)}
          </dl>
        </section>
        <section class="card" aria-labelledby="c-tags">
          <h2 id="c-tags">{t('contacts.tags')}</h2>
          {contact.tags.length ? contact.tags.map((tg) => <span class="chip">{tg}</span>) : <p>—</p>}
          <h2>{t('contact.consent')}</h2>
          <dl>
            {(['whatsapp', 'sms', 'email'] as const).map((ch) => (
              <><dt>{ch}</dt><dd>{t(`consent.${contact.consent[ch].status}` as Key)}{contact.consent[ch].at ? ` · ${dateTime(contact.consent[ch].at!)}` : ''}</dd></>
            ))}
          </dl>
        </section>
      </div>
      <section aria-labelledby="c-history">
        <h2 id="c-history">{t('contact.history')}</h2>
        {history.length === 0 ? <p class="empty">{t('contact.noHistory')}</p> : (
          <ol class="timeline">
            {history.map((entry) => {
              const status = entry.type === 'message' && entry.direction === 'outbound' ? String(entry.status) : null;
              return (
                <li>
                  <time>{dateTime(entry.at)}</time> <strong>{kind(entry)}</strong> {summary(entry)} {status && <StatusBadge status={status} />}
                </li>
              );
            })}
          </ol>
        )}
        {next && <button type="button" onClick={() => more(next)}>{t('more')}</button>}
      </section>
    </section>
  );
}
