import type { ChannelType } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { ChannelsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { prepared } from '../db/prepared.ts';
import { rowCache } from '../db/sqlite-generations.ts';

// every send reads its channel (the API's default of the type, the worker's by id): on SQLite they are kept in memory
// until a committed write changes any channel (db/sqlite-generations.ts), by either thread
const cachedChannel = rowCache<ChannelsTable>('channels');

/** Columns of a channel that may change after creation. */
export type ChannelChanges = Partial<Pick<ChannelsTable, 'title' | 'config' | 'secrets' | 'is_default' | 'updated_at'>>;

/** Inserts a channel. */
export async function insertChannel(db: Db, row: ChannelsTable): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

/** Lists a workspace's channels, oldest first. */
export async function listChannels(db: Db, workspaceId: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

/** Filters of a channel list. */
export interface ChannelFilters {
  type?: ChannelType;
  provider?: string;
}

/** A page (limit + 1 rows) of a workspace's channels, oldest first, after the cursor. */
export async function listChannelsPage(db: Db, workspaceId: string, filters: ChannelFilters, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.provider) query = query.where('provider', '=', filters.provider);
  if (cursor) query = query.where(pastCursor(cursor, 'asc'));
  return query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
}

/** Finds one of a workspace's channels (kept in memory on SQLite until a channel changes). */
export async function findChannel(db: Db, workspaceId: string, id: string): Promise<ChannelsTable | undefined> {
  return cachedChannel(db, `id ${workspaceId} ${id}`, async () => (await channelOf(db, workspaceId, id))[0]);
}
const channelOf = prepared((db, workspaceId: string, id: string) => db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id));

/** Finds a channel by id alone: only for provider webhooks, whose URL names the channel (its workspace comes from the row). */
export async function findChannelById(db: Db, id: string) {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The workspace's default channel of a type (or its oldest of that type; kept in memory on SQLite until a channel changes). */
export async function findDefaultChannel(db: Db, workspaceId: string, type: string): Promise<ChannelsTable | undefined> {
  return cachedChannel(db, `default ${workspaceId} ${type}`, async () => (await defaultChannel(db, workspaceId, type as ChannelType))[0]);
}
const defaultChannel = prepared((db, workspaceId: string, type: ChannelType) =>
  db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('type', '=', type)
    .orderBy('is_default', 'desc').orderBy('created_at').limit(1));

/** Writes a channel's changed columns. */
export async function updateChannel(db: Db, workspaceId: string, id: string, changes: ChannelChanges): Promise<void> {
  await db.updateTable('channels').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Takes the default mark off the workspace's channels of a type (before another one gets it). */
export async function clearDefault(db: Db, workspaceId: string, type: ChannelType, at: string): Promise<void> {
  await db.updateTable('channels').set({ is_default: 0, updated_at: at }).where('workspace_id', '=', workspaceId).where('type', '=', type)
    .where('is_default', '=', 1).execute();
}

/** Deletes one channel; returns how many rows went (its templates go with it). */
export async function deleteChannel(db: Db, workspaceId: string, id: string): Promise<number> {
  const r = await db.deleteFrom('channels').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}
