import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { listMessages } from '../messages/service.ts';
import type { MessageView } from '../messages/view.ts';
import * as q from './queries.ts';
import type { Actor } from './service.ts';
import { noteView, type NoteView } from './view.ts';

/** One entry of a conversation's thread: a message (either direction) or an internal note. */
export type ThreadItem = { type: 'message'; at: string; message: MessageView } | { type: 'note'; at: string; note: NoteView };

/**
 * A page of a conversation's thread, newest first: the messages of its contact on its channel (every sender's) and
 * its internal notes, merged by (time, uuid) and keyset-paginated across both.
 */
export async function conversationThread(deps: Pick<Deps, 'db'>, actor: Actor, id: string, query: { limit?: number; cursor?: string }): Promise<{ items: ThreadItem[]; meta: { next_cursor: string | null } }> {
  const row = await q.findConversation(deps.db, actor.workspaceId, id);
  if (!row) throw notFound('conversation');
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor);
  const [{ messages }, notes] = await Promise.all([
    listMessages(deps, actor.workspaceId, { contact_uuid: row.contact_id, channel_uuid: row.channel_id, limit: limit + 1, cursor: query.cursor }),
    q.listNotes(deps.db, row.id, limit + 1, cursor),
  ]);
  const merged = [
    ...messages.map((m) => ({ id: m.uuid, at: m.created_at, item: { type: 'message' as const, at: m.created_at, message: m } })),
    ...notes.map((n) => ({ id: n.id, at: n.created_at, item: { type: 'note' as const, at: n.created_at, note: noteView(n) } })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const page = pageOf(merged.slice(0, limit + 1), limit, (e) => e.at);
  return { items: page.items.map((e) => e.item), meta: { next_cursor: page.next_cursor } };
}
