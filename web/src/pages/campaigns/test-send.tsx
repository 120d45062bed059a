// The test send: find contacts by name, phone or email (up to 10), send them the campaign's message now, and see for
// each whether it went (with its message) or why it was skipped. Test messages never count in the statistics.
import { useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t } from '../../i18n.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { skipReason, type Campaign } from './shared.tsx';

type Contact = Schema<'Contact'>;
type Result = { contact_uuid: string; message_uuid: string | null; skip_reason: string | null };
const MAX = 10;

const labelOf = (c: Contact) => [c.name, c.phone ?? c.email].filter(Boolean).join(' — ') || c.uuid;

/** The test-send box of a campaign page. */
export function TestSend({ campaign }: { campaign: Campaign }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [picked, setPicked] = useState<Contact[]>([]);
  const [results, setResults] = useState<Result[] | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const search = async (e: Event) => {
    e.preventDefault();
    const { data, error: problem } = await safely(() => api.GET('/v1/contacts', { params: { query: { q: q.trim(), limit: 5 } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setFound(data!.contacts);
  };
  const send = async () => {
    const { data, error: problem } = await safely(() => api.POST('/v1/campaigns/{uuid}/test', { params: { path: { uuid: campaign.uuid } }, body: { contact_uuids: picked.map((c) => c.uuid) } }));
    if (problem) {
      const parsed = fieldErrors(problem);
      setFields(parsed.fields);
      return setError(parsed.message);
    }
    setFields({});
    setError(null);
    setResults(data!.results);
  };
  const name = (uuid: string) => { const c = picked.find((p) => p.uuid === uuid); return c ? labelOf(c) : uuid; };

  return (
    <section class="card test-send" aria-labelledby="test-title">
      <h2 id="test-title">{t('campaigns.testTitle')}</h2>
      <form class="filters" role="search" onSubmit={search}>
        <Field id="test-q" label={t('campaigns.testFind')}>
          <input id="test-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder={t('campaigns.testHint')} />
        </Field>
        <button type="submit">{t('campaigns.testSearch')}</button>
      </form>
      {found && (found.length === 0 ? <p class="empty">{t('campaigns.testNone')}</p> : (
        <ul class="found">
          {found.map((c) => (
            <li><button type="button" disabled={picked.length >= MAX || picked.some((p) => p.uuid === c.uuid)} onClick={() => setPicked([...picked, c])}>{t('campaigns.testAdd', { who: labelOf(c) })}</button></li>
          ))}
        </ul>
      ))}
      {picked.length > 0 && (
        <div class={fields.contact_uuids ? 'field invalid' : 'field'}>
          <p>{t('campaigns.testTo')}</p>
          <ul class="picked">{picked.map((c) => <li><span class="chip">{labelOf(c)}</span><button type="button" class="link" onClick={() => setPicked(picked.filter((p) => p.uuid !== c.uuid))} aria-label={t('campaigns.testRemove', { who: labelOf(c) })}>×</button></li>)}</ul>
          {fields.contact_uuids && <p class="field-error" role="alert">{fields.contact_uuids}</p>}
          <button type="button" class="primary" onClick={() => void send()}>{t('campaigns.testSend', { n: picked.length })}</button>
        </div>
      )}
      <ErrorLine message={error} />
      {results && (
        <ul class="results" aria-live="polite">
          {results.map((r) => <li data-result={r.skip_reason ?? 'sent'}>{r.message_uuid ? t('campaigns.testSent', { who: name(r.contact_uuid) }) : t('campaigns.testSkipped', { who: name(r.contact_uuid), reason: skipReason(r.skip_reason) })}</li>)}
        </ul>
      )}
    </section>
  );
}
