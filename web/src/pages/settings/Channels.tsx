// Settings › Channels: every channel with its type, provider, settings (secrets as hints only) and the callback URLs
// to paste into the provider's console (with copy buttons); admins create, edit and delete channels.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine } from '../../ui.tsx';
import { ConfirmButton, CopyValue } from '../../widgets.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { ChannelForm } from './ChannelForm.tsx';
import { copyWords } from './words.ts';
import { en } from './i18n.ts';
import './settings-h5.css';

type Channel = Schema<'Channel'>;
const CALLBACKS = ['webhook', 'inbound', 'status'];

/** A label from the dictionary when it has one, else the API's own name. */
const known = (key: string, fallback: string) => (key in en ? t(key as Key) : fallback);

/** One channel: what it is, where providers call back, its settings; edit and delete for admins. */
function ChannelCard({ channel, canManage, onEdit, onDeleted }: { channel: Channel; canManage: boolean; onEdit: () => void; onDeleted: (error?: string) => void }) {
  const c = channel;
  const id = `ch-${c.uuid.slice(-8)}`;
  const urls = Object.entries(c.callback_urls);
  const remove = async () => {
    const { error } = await safely(() => api.DELETE('/v1/channels/{uuid}', { params: { path: { uuid: c.uuid } } }));
    onDeleted(error ? fieldErrors(error).message ?? undefined : undefined);
  };
  return (
    <li class="card ch-card" data-channel={c.uuid}>
      <div class="page-head">
        <h2 id={`${id}-name`}>{c.title} {c.main && <span class="badge ch-main">{t('channels.default')}</span>}</h2>
        {canManage && (
          <div class="actions">
            <button type="button" onClick={onEdit}>{t('channels.edit')}</button>
            <ConfirmButton label={t('channels.delete')} question={t('channels.delete.question')} confirm={t('channels.delete')} cancel={t('channels.cancel')} action={remove} />
          </div>
        )}
      </div>
      <p class="hint">{known(`channels.type.${c.type}`, c.type)} · {known(`channels.provider.${c.provider}`, c.provider)}</p>
      <ErrorLine message={c.secrets_error} />
      <h3>{t('channels.callbacks')}</h3>
      {urls.length === 0 ? <p class="empty">{t('channels.noCallbacks')}</p> : urls.map(([name, url]) => (
        <div class="ch-callback">
          <CopyValue id={`${id}-cb-${name}`} label={known(`channels.callback.${name}`, name)} value={url} words={copyWords()} />
          {CALLBACKS.includes(name) && <p class="hint">{t(`channels.callback.${name}.hint` as Key)}</p>}
        </div>
      ))}
      <details>
        <summary>{t('channels.settings')}</summary>
        <dl>
          {Object.entries(c.config).map(([name, value]) => <><dt>{known(`channels.setting.${name}`, name)}</dt><dd>{String(value)}</dd></>)}
          {Object.entries(c.secrets).map(([name, hint]) => <><dt>{known(`channels.setting.${name}`, name)}</dt><dd>{hint} <span class="hint">({t('channels.secret')})</span></dd></>)}
        </dl>
      </details>
    </li>
  );
}

/** The channels settings tab. */
export function ChannelsSettings() {
  const canManage = useSignal(me)?.role === 'admin';
  const [rows, setRows] = useState<Channel[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null); // a channel's uuid, 'new', or null

  const load = async (cursor?: string) => {
    const { data, error: problem } = await safely(() => api.GET('/v1/channels', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    setRows((before) => (cursor ? [...(before ?? []), ...data!.channels] : data!.channels));
    setNext(data!.meta.next_cursor ?? null);
  };
  useEffect(() => { void load(); }, []);
  const saved = () => { setEditing(null); void load(); };

  return (
    <div class="ch-tab">
      <div class="page-head">
        <p class="hint">{t('channels.intro')}</p>
        {canManage && editing !== 'new' && <button type="button" class="primary" onClick={() => setEditing('new')}>{t('channels.new')}</button>}
      </div>
      <ErrorLine message={error} />
      {editing === 'new' && <ChannelForm onSaved={saved} onCancel={() => setEditing(null)} />}
      {rows === null ? (!error && <p role="status">{t('loading')}</p>) : rows.length === 0 ? <p class="empty">{t('channels.empty')}</p> : (
        <ul class="ch-list">
          {rows.map((c) => (editing === c.uuid
            ? <li><ChannelForm channel={c} onSaved={saved} onCancel={() => setEditing(null)} /></li>
            : <ChannelCard channel={c} canManage={canManage} onEdit={() => setEditing(c.uuid)} onDeleted={(message) => { if (message) setError(message); else void load(); }} />))}
        </ul>
      )}
      {next && <button type="button" onClick={() => load(next)}>{t('more')}</button>}
    </div>
  );
}
