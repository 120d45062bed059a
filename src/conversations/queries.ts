import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/connect.ts';
import { escapeLike, isPostgres, likeEscape } from '../db/dialect.ts';
import type { ConversationStatus } from '../db/enums.ts';
import type { ConversationNotesTable, ConversationsTable } from '../db/types.ts';
import type { Cursor } from '../lib/cursor.ts';

/** Columns of a conversation that change after it opened. */
export type ConversationChanges = Partial<Omit<ConversationsTable, 'id' | 'workspace_id' | 'contact_id' | 'channel_id' | 'channel_type' | 'created_at'>>;

/** A conversation with its contact's name and addresses and the reader's read marker (null: never read, or no reader). */
export type ConversationRow = ConversationsTable & { contact_name: string | null; contact_phone: string | null; contact_email: string | null; read_count: number | null };

/** Filters of the conversation list, as ids. */
export interface ConversationFilters {
  status?: ConversationStatus;
  /** A user id, or null for unassigned conversations. */
  assigneeId?: string | null;
  teamId?: string;
  channelId?: string;
  funnelStageId?: string;
  q?: string;
}

function joined(db: Db, readerId: string | null) {
  return db.selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('conversation_reads', (join) => join.onRef('conversation_reads.conversation_id', '=', 'conversations.id').on('conversation_reads.user_id', '=', readerId ?? ''))
    .selectAll('conversations')
    .select(['contacts.name as contact_name', 'contacts.phone as contact_phone', 'contacts.email as contact_email', 'conversation_reads.inbound_count as read_count']);
}

/** Inserts a conversation. */
export async function insertConversation(db: Db, row: ConversationsTable): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

/** A workspace's conversation (the bare row), or undefined. */
export async function findConversation(db: Db, workspaceId: string, id: string): Promise<ConversationsTable | undefined> {
  return db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A workspace's conversation with its contact and `readerId`'s read marker, or undefined. */
export async function findConversationRow(db: Db, workspaceId: string, id: string, readerId: string | null): Promise<ConversationRow | undefined> {
  return joined(db, readerId).where('conversations.workspace_id', '=', workspaceId).where('conversations.id', '=', id).executeTakeFirst();
}

/** The thread of a contact on a channel, or undefined. */
export async function findByContactChannel(db: Db, workspaceId: string, contactId: string, channelId: string): Promise<ConversationsTable | undefined> {
  return db.selectFrom('conversations').selectAll()
    .where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('channel_id', '=', channelId).executeTakeFirst();
}

/** The contact's conversation with the latest activity (any channel, any status), or undefined. */
export async function findLatestOfContact(db: Db, workspaceId: string, contactId: string): Promise<ConversationsTable | undefined> {
  return db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId)
    .orderBy('last_message_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
}

/** Writes a conversation's changed columns. */
export async function updateConversation(db: Db, workspaceId: string, id: string, changes: ConversationChanges): Promise<void> {
  await db.updateTable('conversations').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Counts one more inbound message on a thread (its unread counter), and when it came. */
export async function countInbound(db: Db, id: string, changes: ConversationChanges): Promise<void> {
  await db.updateTable('conversations').set((eb) => ({ ...changes, inbound_count: eb('inbound_count', '+', 1) })).where('id', '=', id).execute();
}

/**
 * A page (limit + 1 rows) of a workspace's conversations, latest activity first (last_message_at, id), past the
 * cursor; each filter is the next column of one of the conversations indexes.
 */
export async function listConversations(db: Db, workspaceId: string, filters: ConversationFilters, readerId: string | null, limit: number, cursor?: Cursor): Promise<ConversationRow[]> {
  let query = joined(db, readerId).where('conversations.workspace_id', '=', workspaceId);
  if (filters.status) query = query.where('conversations.status', '=', filters.status);
  if (filters.assigneeId !== undefined) query = query.where('conversations.assignee_id', filters.assigneeId === null ? 'is' : '=', filters.assigneeId);
  if (filters.teamId) query = query.where('conversations.team_id', '=', filters.teamId);
  if (filters.channelId) query = query.where('conversations.channel_id', '=', filters.channelId);
  if (filters.funnelStageId) query = query.where('conversations.funnel_stage_id', '=', filters.funnelStageId);
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q.toLowerCase())}%`;
    const escape = likeEscape();
    query = query.where(sql<SqlBool>`(lower(coalesce(contacts.name, '')) like ${pattern} ${escape} or lower(coalesce(contacts.email, '')) like ${pattern} ${escape}
      or coalesce(contacts.phone, '') like ${pattern} ${escape})`);
  }
  if (cursor) {
    query = query.where(sql<SqlBool>`(conversations.last_message_at < ${cursor.at} or (conversations.last_message_at = ${cursor.at} and conversations.id < ${cursor.id}))`);
  }
  return query.orderBy('conversations.last_message_at', 'desc').orderBy('conversations.id', 'desc').limit(limit + 1).execute();
}

/** The workspace's conversation counts by (status, assignee id, '' for unassigned): a few rows, kept by triggers. */
export async function countBuckets(db: Db, workspaceId: string): Promise<{ status: string; assignee_id: string; n: number }[]> {
  const rows = await db.selectFrom('conversation_counts').select(['status', 'assignee_id', 'n']).where('workspace_id', '=', workspaceId).execute();
  return rows.map((r) => ({ status: r.status, assignee_id: r.assignee_id, n: Number(r.n) }));
}

/** Sets a user's read marker on a conversation to the thread's current inbound count. */
export async function markRead(db: Db, conversationId: string, userId: string, inboundCount: number, at: string): Promise<void> {
  await db.insertInto('conversation_reads').values({ conversation_id: conversationId, user_id: userId, inbound_count: inboundCount, read_at: at })
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ inbound_count: inboundCount, read_at: at })).execute();
}

/** Inserts an internal note. */
export async function insertNote(db: Db, row: ConversationNotesTable): Promise<void> {
  await db.insertInto('conversation_notes').values(row).execute();
}

/** Up to `limit` notes of a conversation, newest first, strictly before the cursor. */
export async function listNotes(db: Db, conversationId: string, limit: number, cursor?: Cursor): Promise<ConversationNotesTable[]> {
  let query = db.selectFrom('conversation_notes').selectAll().where('conversation_id', '=', conversationId);
  if (cursor) query = query.where(sql<SqlBool>`(created_at < ${cursor.at} or (created_at = ${cursor.at} and id < ${cursor.id}))`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A workspace's user that is not deleted, or undefined. */
export async function findUser(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'availability']).where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A workspace's team, or undefined. */
export async function findTeam(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('teams').select(['id', 'name', 'auto_assign']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/**
 * Locks a team's round-robin rotation for the rest of the transaction and returns the member who got the last
 * conversation (creating the rotation row on first use). On PostgreSQL the row lock serialises concurrent openings;
 * on SQLite the single writer does.
 */
export async function lockRotation(trx: Db, teamId: string, at: string): Promise<string | null> {
  await trx.insertInto('team_rotations').values({ team_id: teamId, last_user_id: null, updated_at: at }).onConflict((oc) => oc.column('team_id').doNothing()).execute();
  let query = trx.selectFrom('team_rotations').select('last_user_id').where('team_id', '=', teamId);
  if (isPostgres(trx)) query = query.forUpdate();
  const row = await query.executeTakeFirstOrThrow();
  return row.last_user_id;
}

/** Records who got the team's last conversation. */
export async function setRotation(trx: Db, teamId: string, userId: string, at: string): Promise<void> {
  await trx.updateTable('team_rotations').set({ last_user_id: userId, updated_at: at }).where('team_id', '=', teamId).execute();
}

/** The ids of a team's members who are available now (not deleted), in id order: the rotation's ring. */
export async function availableMembers(db: Db, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').innerJoin('users', 'users.id', 'team_members.user_id').select('users.id')
    .where('team_members.team_id', '=', teamId).where('users.availability', '=', 'available').where('users.deleted_at', 'is', null)
    .orderBy('users.id').execute();
  return rows.map((r) => r.id);
}
