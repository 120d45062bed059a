// Settings › API keys (admins): the workspace's keys (name, prefix, scopes, owner, last use, revoked), a form to
// create one (its secret shown once, with a copy button and a warning) and revoke, asked twice.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { dateTime, t, type Key } from '../../i18n.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { ConfirmButton, ShownOnce } from '../../widgets.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { copyWords } from './words.ts';
import './settings-h5.css';

type ApiKey = Schema<'ApiKey'>;
type Scope = ApiKey['scopes'][number];
const SCOPES: Scope[] = ['read', 'full', 'admin'];

/** The form that creates a key; `onCreated` gets the secret. */
function NewKey({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['full']);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const { data, error: problem } = await safely(() => api.POST('/v1/api_keys', { body: { name: name.trim(), scopes } }));
    setBusy(false);
    if (problem) {
      const parsed = fieldErrors(problem);
      setFields(parsed.fields);
      setError(Object.keys(parsed.fields).length ? null : parsed.message);
      return;
    }
    setFields({});
    setError(null);
    setName('');
    onCreated(data!.api_key.name, data!.api_key.key);
  };
  const scopeError = Object.entries(fields).find(([k]) => k === 'scopes' || k.startsWith('scopes.'))?.[1];
  return (
    <form class="card key-form" onSubmit={submit} noValidate aria-labelledby="key-new-title">
      <h2 id="key-new-title">{t('keys.new')}</h2>
      <ErrorLine message={error} />
      <Field id="key-name" label={t('keys.name')} error={fields.name}>
        <input id="key-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} placeholder={t('keys.namePlaceholder')} />
      </Field>
      <fieldset class="key-scopes" aria-describedby={scopeError ? 'key-scopes-error' : undefined}>
        <legend>{t('keys.scopes')}</legend>
        {SCOPES.map((s) => (
          <label class="check">
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((e.currentTarget as HTMLInputElement).checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
            {' '}<strong>{s}</strong> <span class="hint">{t(`keys.scope.${s}` as Key)}</span>
          </label>
        ))}
        {scopeError && <p class="field-error" id="key-scopes-error" role="alert">{scopeError}</p>}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>{t('keys.create')}</button>
    </form>
  );
}

/** The API keys settings tab (the settings area shows it to admins only). */
export function KeysSettings() {
  const [rows, setRows] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const load = async () => {
    const { data, error: problem } = await safely(() => api.GET('/v1/api_keys'));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setRows(data!.api_keys);
  };
  useEffect(() => { void load(); }, []);
  const revoke = async (uuid: string) => {
    const { error: problem } = await safely(() => api.DELETE('/v1/api_keys/{uuid}', { params: { path: { uuid } } }));
    if (problem) return setError(fieldErrors(problem).message);
    void load();
  };

  return (
    <div class="key-tab">
      <p class="hint">{t('keys.intro')}</p>
      <ErrorLine message={error} />
      {created && (
        <ShownOnce id="key-secret" title={t('keys.secretTitle', { name: created.name })} warning={t('keys.secretOnce')} value={created.secret} words={copyWords()} onDone={() => setCreated(null)} />
      )}
      <NewKey onCreated={(name, secret) => { setCreated({ name, secret }); void load(); }} />
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead><tr>
              <th scope="col">{t('keys.name')}</th><th scope="col">{t('keys.prefix')}</th><th scope="col">{t('keys.scopes')}</th><th scope="col">{t('keys.owner')}</th>
              <th scope="col">{t('keys.created')}</th><th scope="col">{t('keys.lastUsed')}</th><th scope="col">{t('keys.state')}</th>
            </tr></thead>
            <tbody>
              {rows.map((k) => (
                <tr data-key={k.uuid}>
                  <td data-label={t('keys.name')}><strong>{k.name}</strong></td>
                  <td data-label={t('keys.prefix')}><code>{k.prefix}…</code></td>
                  <td data-label={t('keys.scopes')}>{k.scopes.map((s) => <span class="chip">{s}</span>)}</td>
                  <td data-label={t('keys.owner')}>{k.user_uuid ? t('keys.ownerUser') : t('keys.ownerWorkspace')}</td>
                  <td data-label={t('keys.created')}>{dateTime(k.created_at)}</td>
                  <td data-label={t('keys.lastUsed')}>{k.last_used_at ? dateTime(k.last_used_at) : t('keys.never')}</td>
                  <td data-label={t('keys.state')}>
                    {k.revoked_at ? <span class="badge key-revoked">{t('keys.revokedAt', { at: dateTime(k.revoked_at) })}</span> : (
                      <ConfirmButton label={t('keys.revoke')} question={t('keys.revoke.question', { name: k.name })} confirm={t('keys.revoke')} cancel={t('channels.cancel')} action={() => revoke(k.uuid)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
