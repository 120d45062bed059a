// The inbox: conversations with their counts (mine, unassigned, all) and filters, the selected thread beside them,
// both kept live by the event stream; j/k move between conversations.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { dateTime, num, t, type Key } from '../i18n.ts';
import { onEvents } from '../live.ts';
import { navigate } from '../router.ts';
import { ErrorLine, StatusBadge } from '../ui.tsx';
import { Thread } from './Thread.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

type Conversation = Schema<'Conversation'>;
type Counts = Schema<'ConversationCounts'>;
type View = 'mine' | 'unassigned' | 'all';
type Status = Conversation['status'];

/** The inbox page; `selected` is the open conversation's uuid (from the path). */
export function Inbox({ selected }: { selected: string | null }) {
  const [view, setView] = useState<View>('all');
  const [status, setStatus] = useState<Status>('open');
  const [q, setQ] = useState('');
  const [counts, setCounts] = useState<Counts | null>(null);
  const [items, setItems] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (after?: string) => {
    const query = { status, limit: 50, ...(view === 'all' ? {} : { assignee: view === 'mine' ? 'me' : 'unassigned' }), ...(q ? { q } : {}), ...(after ? { cursor: after } : {}) };
    const [list, count] = await Promise.all([
      safely(() => api.GET('/v1/conversations', { params: { query } })),
      safely(() => api.GET('/v1/conversations/counts', { params: { query: { status } } })),
    ]);
    setLoading(false);
    if (list.error) return setError(fieldErrors(list.error).message);
    setError(null);
    setItems((before) => (after ? [...before, ...list.data!.conversations] : list.data!.conversations));
    setCursor(list.data!.meta.next_cursor ?? null);
    if (count.data) setCounts(count.data.counts);
  }, [view, status, q]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => onEvents((event) => {
    if (event.event.startsWith('conversation_') || event.event === 'message_created') void load();
  }), [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || (e.key !== 'j' && e.key !== 'k')) return;
      const at = items.findIndex((c) => c.uuid === selected);
      const next = items[Math.min(items.length - 1, Math.max(0, at + (e.key === 'j' ? 1 : -1)))];
      if (next) navigate(`/inbox/${next.uuid}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected]);

  const tabs: [View, Key][] = [['mine', 'inbox.mine'], ['unassigned', 'inbox.unassigned'], ['all', 'inbox.all']];
  return (
    <div class={selected ? 'inbox has-thread' : 'inbox'}>
      <section class="list" aria-label={t('inbox.conversations')}>
        <h1>{t('nav.inbox')}</h1>
        <div class="tabs" role="group" aria-label={t('inbox.views')}>
          {tabs.map(([v, key]) => (
            <button type="button" aria-pressed={view === v} onClick={() => setView(v)}>
              {t(key)} <span class="count">{counts ? num(counts[v]) : '…'}</span>
            </button>
          ))}
        </div>
        <div class="filters">
          <label>
            <span>{t('inbox.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
              {(['open', 'pending', 'snoozed', 'resolved'] as const).map((s) => (
                <option value={s}>{t(`status.${s}`)}{counts ? ` (${num(counts.by_status[s])})` : ''}</option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('inbox.search')}</span>
            <input type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} placeholder={t('inbox.searchHint')} />
          </label>
        </div>
        <ErrorLine message={error} />
        {loading ? <p role="status">{t('loading')}</p> : items.length === 0 ? <p class="empty">{t('inbox.empty')}</p> : (
          <ul class="conversations">
            {items.map((c) => (
              <li>
                <a href={`/inbox/${c.uuid}`} aria-current={c.uuid === selected ? 'true' : undefined}
                  onClick={(e) => { e.preventDefault(); navigate(`/inbox/${c.uuid}`); }}>
                  <span class="name">{c.contact.name ?? c.contact.phone ?? c.contact.email}</span>
                  <span class="meta">{c.channel_type} · {dateTime(c.last_message_at)}</span>
                  <StatusBadge status={c.status} />
                  {c.unread_count ? <span class="unread" aria-label={t('inbox.unread', { n: c.unread_count })}>{num(c.unread_count)}</span> : null}
                </a>
              </li>
            ))}
          </ul>
        )}
        {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
        <p class="hint">{t('inbox.keys')}</p>
      </section>
      {selected ? <Thread uuid={selected} key={selected} onChanged={() => load()} /> : <section class="thread placeholder"><p>{t('inbox.pick')}</p></section>}
    </div>
  );
}

/** Whether a key press goes to a text field (shortcuts stay out of the way then). */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement;
  return e.ctrlKey || e.metaKey || e.altKey || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}
