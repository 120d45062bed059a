// One conversation: its messages and notes (oldest first) with every message's status ticking live, assignment and
// status actions, and the reply box. Shortcuts: r reply, a assign to me, e resolve, o reopen.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely } from '../api.ts';
import { dateTime, t } from '../i18n.ts';
import { onEvents } from '../live.ts';
import { navigate } from '../router.ts';
import { ErrorLine, StatusBadge } from '../ui.tsx';
import { isTyping } from './Inbox.tsx';
import { Reply } from './Reply.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

type Conversation = Schema<'Conversation'>;
type Item = Schema<'ThreadItem'>;

/** The thread of conversation `uuid`; `onChanged` tells the list that something it shows changed. */
export function Thread({ uuid, onChanged }: { uuid: string; onChanged: () => void }) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [c, m] = await Promise.all([
      safely(() => api.GET('/v1/conversations/{uuid}', { params: { path: { uuid } } })),
      safely(() => api.GET('/v1/conversations/{uuid}/messages', { params: { path: { uuid }, query: { limit: 100 } } })),
    ]);
    if (c.error || m.error) return setError(fieldErrors(c.error ?? m.error).message);
    setError(null);
    setConversation(c.data!.conversation);
    setItems([...m.data!.items].reverse());
    void api.POST('/v1/conversations/{uuid}/read', { params: { path: { uuid } } }).catch(() => undefined);
  }, [uuid]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => onEvents((event) => {
    const payload = event.payload as { uuid?: string; status?: string; status_history?: unknown; contact?: { uuid?: string }; conversation?: { uuid?: string } };
    if (event.event === 'message_status_updated' && payload.uuid) {
      // the status ticks in place: sent → delivered → read
      setItems((before) => before.map((item) => (item.message?.uuid === payload.uuid ? { ...item, message: { ...item.message!, status: payload.status! } } : item)));
    } else if (event.event === 'message_created' && conversation && payload.contact?.uuid === conversation.contact.uuid) {
      void load();
    } else if (event.event.startsWith('conversation_') && (payload.uuid === uuid || payload.conversation?.uuid === uuid)) {
      void load();
    }
  }), [load, conversation, uuid]);

  const act = async (call: () => Promise<{ error?: { detail: string } }>) => {
    const { error: failed } = await safely(call as never) as { error?: Schema<'Problem'> };
    if (failed) return setError(fieldErrors(failed).message);
    await load();
    onChanged();
  };
  const userUuid = me.get()?.uuid ?? null;
  const assign = (user: string | null) => act(() => api.POST('/v1/conversations/{uuid}/assign', { params: { path: { uuid } }, body: { user_uuid: user } }));
  const setStatus = (status: Conversation['status'], snoozedUntil?: string) =>
    act(() => api.POST('/v1/conversations/{uuid}/status', { params: { path: { uuid } }, body: { status, ...(snoozedUntil ? { snoozed_until: snoozedUntil } : {}) } }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      if (e.key === 'r') { e.preventDefault(); document.getElementById('reply-text')?.focus(); }
      if (e.key === 'a' && userUuid) void assign(userUuid);
      if (e.key === 'e') void setStatus('resolved');
      if (e.key === 'o') void setStatus('open');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!conversation) return <section class="thread"><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  const c = conversation;
  const name = c.contact.name ?? c.contact.phone ?? c.contact.email ?? '';
  return (
    <section class="thread" aria-label={t('inbox.thread', { name })}>
      <header class="thread-head">
        <a class="back" href="/inbox" onClick={(e) => { e.preventDefault(); navigate('/inbox'); }}>← {t('nav.inbox')}</a>
        <h2><a href={`/contacts/${c.contact.uuid}`}>{name}</a></h2>
        <p class="meta">{c.channel_type} · <StatusBadge status={c.status} /> · {c.assignee_uuid ? (c.assignee_uuid === userUuid ? t('inbox.assignedToMe') : t('inbox.assigned')) : t('inbox.unassignedOne')}</p>
        <div class="actions">
          {c.assignee_uuid !== userUuid && userUuid && <button type="button" onClick={() => assign(userUuid)} aria-keyshortcuts="a">{t('inbox.assignMe')}</button>}
          {c.assignee_uuid && <button type="button" onClick={() => assign(null)}>{t('inbox.unassign')}</button>}
          {c.status !== 'resolved' && <button type="button" onClick={() => setStatus('resolved')} aria-keyshortcuts="e">{t('inbox.resolve')}</button>}
          {c.status !== 'open' && <button type="button" onClick={() => setStatus('open')} aria-keyshortcuts="o">{t('inbox.reopen')}</button>}
          {c.status !== 'pending' && <button type="button" onClick={() => setStatus('pending')}>{t('inbox.pending')}</button>}
          {c.status !== 'snoozed' && <button type="button" onClick={() => setStatus('snoozed', new Date(Date.now() + 86_400_000).toISOString())}>{t('inbox.snooze')}</button>}
        </div>
      </header>
      <ErrorLine message={error} />
      <ol class="messages" aria-live="polite">
        {items.map((item) => item.note ? (
          <li class="note"><span class="tag">{t('inbox.note')}</span> {item.note.text}<time>{dateTime(item.at)}</time></li>
        ) : item.message ? (
          <li class={item.message.direction === 'inbound' ? 'in' : 'out'} data-message={item.message.uuid}>
            <p>{item.message.content.text ?? item.message.subject ?? `[${item.message.type}]`}</p>
            <footer><time>{dateTime(item.at)}</time>{item.message.direction === 'outbound' && <StatusBadge status={item.message.status} />}</footer>
          </li>
        ) : null)}
      </ol>
      <Reply conversation={c} onSent={async () => { await load(); onChanged(); }} />
    </section>
  );
}
