import type { MessageDirection, MessageStatus } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { MessagesTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { insertRows, prepared } from '../db/prepared.ts';

/** Inserts a message. */
export async function insertMessage(db: Db, row: MessagesTable): Promise<void> {
  await insertRows(db, 'messages', [row]);
}

/** Inserts messages with multi-row statements. */
export async function insertMessages(db: Db, rows: MessagesTable[]): Promise<void> {
  await insertRows(db, 'messages', rows);
}

/** Finds one of a workspace's messages that has not been deleted. */
export async function findMessage(db: Db, workspaceId: string, id: string): Promise<MessagesTable | undefined> {
  return db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id)
    .where('deleted_at', 'is', null).executeTakeFirst();
}

/** Finds a message by id in any workspace, deleted ones included (for workers). */
export async function findMessageById(db: Db, id: string): Promise<MessagesTable | undefined> {
  return (await messageById(db, id))[0];
}
const messageById = prepared((db, id: string) => db.selectFrom('messages').selectAll().where('id', '=', id));

/** Finds the outbound message a provider knows by its own id. */
export async function findMessageByProviderId(db: Db, providerMessageId: string): Promise<MessagesTable | undefined> {
  return (await messageByProviderId(db, providerMessageId))[0];
}
const messageByProviderId = prepared((db, providerMessageId: string) =>
  db.selectFrom('messages').selectAll().where('provider_message_id', '=', providerMessageId).where('direction', '=', 'outbound').limit(1));

/** Writes a status change only if the message is still in `expectedStatus`; true when it was written. */
export async function updateStatusIf(db: Db, id: string, expectedStatus: MessageStatus, next: MessagesTable): Promise<boolean> {
  const rows = await statusIf(db, next.status, next.status_history, next.provider_message_id, next.error, next.updated_at, id, expectedStatus);
  return rows.length === 1;
}
const statusIf = prepared((db, status: MessageStatus, history: string, providerId: string | null, error: string | null, at: string, id: string, expected: MessageStatus) =>
  db.updateTable('messages').set({ status, status_history: history, provider_message_id: providerId, error, updated_at: at })
    .where('id', '=', id).where('status', '=', expected).returning('id'));

/** Hides a message from reads; true when a visible message was deleted. */
export async function softDeleteMessage(db: Db, workspaceId: string, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('messages').set({ deleted_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Filters for listing messages; every one is optional. */
export interface MessageFilters {
  status?: string;
  direction?: string;
  channelId?: string;
  contactId?: string;
  createdAfter?: string;
  createdBefore?: string;
}

/** Lists a workspace's visible messages newest first, `limit` rows after the keyset `cursor`. */
export async function listMessages(db: Db, workspaceId: string, filters: MessageFilters, limit: number, cursor?: Cursor): Promise<MessagesTable[]> {
  let query = db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (filters.status) query = query.where('status', '=', filters.status as MessageStatus); // the route's schema allows only MESSAGE_STATUSES
  if (filters.direction) query = query.where('direction', '=', filters.direction as MessageDirection);
  if (filters.channelId) query = query.where('channel_id', '=', filters.channelId);
  if (filters.contactId) query = query.where('contact_id', '=', filters.contactId);
  if (filters.createdAfter) query = query.where('created_at', '>', filters.createdAfter);
  if (filters.createdBefore) query = query.where('created_at', '<', filters.createdBefore);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
