import type { MessageDirection, MessageStatus } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { ChannelsTable, ContactsTable, MessagesTable } from '../db/types.ts';
import type { ChannelType } from '../db/enums.ts';
import { sql } from 'kysely';
import type { EnabledEndpoint } from '../webhooks/queries.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { insertRows, prepared } from '../db/prepared.ts';
import { pipelined } from '../db/pg-pipeline.ts';

/** Inserts a message. */
export async function insertMessage(db: Db, row: MessagesTable): Promise<void> {
  await insertRows(db, 'messages', [row]);
}

/** Inserts messages with multi-row statements. */
export async function insertMessages(db: Db, rows: MessagesTable[]): Promise<void> {
  await insertRows(db, 'messages', rows);
}

/** What a send reads before it writes, as one PostgreSQL statement returns it (sendContext). */
export interface SendContext {
  channel: ChannelsTable | undefined;
  contact: ContactsTable | undefined;
  /** The contact's last inbound message on that channel (its 24-hour window), null when none. */
  lastInbound: string | null;
  endpoints: EnabledEndpoint[];
}

/**
 * PostgreSQL, one statement: the channel (`channelId` in the workspace, else the workspace's default of `type`), the
 * contact with this phone (or email), its window on that channel and the workspace's enabled webhook endpoints.
 */
export async function sendContext(db: Db, workspaceId: string, channelId: string | null, type: string, by: 'phone' | 'email', address: string): Promise<SendContext> {
  const rows = await (by === 'phone' ? contextByPhone : contextByEmail)(db, workspaceId, channelId, type, address);
  const row = rows[0] as { channel: ChannelsTable | null; contact: ContactsTable | null; last_inbound: string | null; endpoints: EnabledEndpoint[] };
  return { channel: row.channel ?? undefined, contact: row.contact ?? undefined, lastInbound: row.last_inbound, endpoints: row.endpoints };
}
const contextQuery = (column: 'phone' | 'email') => prepared((db, workspaceId: string, channelId: string | null, type: string, address: string) =>
  db.with('ch', (qb) => qb.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb.and([eb(sql`${channelId}::text`, 'is not', null), eb('id', '=', sql<string>`${channelId}::text`)]),
      eb.and([eb(sql`${channelId}::text`, 'is', null), eb('type', '=', sql<ChannelType>`${type}::text`)])]))
    .orderBy('is_default', 'desc').orderBy('created_at').limit(1))
    .with('ct', (qb) => qb.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where(column, '=', address).limit(1))
    .selectNoFrom((eb) => [
      sql<unknown>`(select row_to_json(ch) from ch)`.as('channel'),
      sql<unknown>`(select row_to_json(ct) from ct)`.as('contact'),
      eb.selectFrom('contact_channel_windows as w').select('w.last_inbound_at')
        .where('w.contact_id', '=', sql<string>`(select id from ct)`).where('w.channel_id', '=', sql<string>`(select id from ch)`).as('last_inbound'),
      sql<unknown>`(select coalesce(json_agg(json_build_object('id', e.id, 'events', e.events, 'origin', e.origin, 'format', e.format)), '[]')
        from webhook_endpoints e where e.workspace_id = ${workspaceId} and e.enabled = 1)`.as('endpoints'),
    ]));
const contextByPhone = contextQuery('phone');
const contextByEmail = contextQuery('email');

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

/**
 * Writes a status change only if the message is still in `expectedStatus` and still deleted (or not) as `next` says
 * (so a row read before a soft delete does not write or announce its change as if it were visible); true when written.
 */
export async function updateStatusIf(db: Db, id: string, expectedStatus: MessageStatus, next: MessagesTable): Promise<boolean> {
  const rows = await statusIf(db, next.status, next.status_history, next.provider_message_id, next.error, next.updated_at, id, expectedStatus, next.deleted_at);
  return rows.length === 1;
}
const statusIf = prepared((db, status: MessageStatus, history: string, providerId: string | null, error: string | null, at: string, id: string, expected: MessageStatus, deletedAt: string | null) =>
  db.updateTable('messages').set({ status, status_history: history, provider_message_id: providerId, error, updated_at: at })
    .where('id', '=', id).where('status', '=', expected).where(sql<boolean>`deleted_at is not distinct from ${deletedAt}`).returning('id'));

/** The text of the error updateStatusOrFail raises when the message is no longer in the status it was read in. */
export const STATUS_MOVED = 'beckon: the message status moved';

/**
 * PostgreSQL: writes a status change as updateStatusIf does, but answers nothing: when the message is no longer in
 * `expectedStatus` (or its deletion changed) the statement fails (an error whose message holds STATUS_MOVED), and so does its transaction. It is
 * held back (pipelined) and sent with the transaction's commit.
 */
export async function updateStatusOrFail(db: Db, id: string, expectedStatus: MessageStatus, next: MessagesTable): Promise<void> {
  await statusOrFail(db, next.status, next.status_history, next.provider_message_id, next.error, next.updated_at, id, expectedStatus, next.deleted_at);
}
const statusOrFail = prepared((db, status: MessageStatus, history: string, providerId: string | null, error: string | null, at: string, id: string, expected: MessageStatus, deletedAt: string | null) =>
  pipelined(db.with('upd', (qb) => qb.updateTable('messages').set({ status, status_history: history, provider_message_id: providerId, error, updated_at: at })
    .where('id', '=', id).where('status', '=', expected).where(sql<boolean>`deleted_at is not distinct from ${deletedAt}::text`).returning('id'))
    .selectFrom('upd').select(sql<number>`(case when count(*) = 1 then '1' else ${sql.lit(STATUS_MOVED)} end)::int`.as('ok'))));

/** True when `err` is updateStatusOrFail's refusal. */
export function isStatusMoved(err: unknown): boolean {
  return err instanceof Error && err.message.includes(STATUS_MOVED);
}

/** PostgreSQL, one statement: a message (by id, or the outbound one a provider knows by its id) and its workspace's enabled webhook endpoints. */
export async function statusContext(db: Db, where: { id: string } | { providerMessageId: string }): Promise<{ message: MessagesTable | undefined; endpoints: EnabledEndpoint[] }> {
  const rows = 'id' in where ? await statusContextById(db, where.id) : await statusContextByProviderId(db, where.providerMessageId);
  const row = rows[0] as { message: MessagesTable | null; endpoints: EnabledEndpoint[] };
  return { message: row.message ?? undefined, endpoints: row.endpoints };
}
const statusContextQuery = (by: 'id' | 'provider') => prepared((db, key: string) =>
  db.with('m', (qb) => {
    const base = qb.selectFrom('messages').selectAll();
    return by === 'id' ? base.where('id', '=', key) : base.where('provider_message_id', '=', key).where('direction', '=', 'outbound').limit(1);
  }).selectNoFrom([
    sql<unknown>`(select row_to_json(m) from m)`.as('message'),
    sql<unknown>`(select coalesce(json_agg(json_build_object('id', e.id, 'events', e.events, 'origin', e.origin, 'format', e.format)), '[]')
      from webhook_endpoints e where e.workspace_id = (select workspace_id from m) and e.enabled = 1)`.as('endpoints'),
  ]));
const statusContextById = statusContextQuery('id');
const statusContextByProviderId = statusContextQuery('provider');

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
