import type { Db } from '../db/connect.ts';
import type { ChannelsTable } from '../db/types.ts';
import { prepared } from '../db/prepared.ts';

/** Inserts a channel. */
export async function insertChannel(db: Db, row: ChannelsTable): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

/** Lists a workspace's channels, oldest first. */
export async function listChannels(db: Db, workspaceId: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

/** Finds one of a workspace's channels. */
export async function findChannel(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The workspace's default channel of a type (or its oldest of that type). */
export async function findDefaultChannel(db: Db, workspaceId: string, type: string) {
  return (await defaultChannel(db, workspaceId, type))[0];
}
const defaultChannel = prepared((db, workspaceId: string, type: string) =>
  db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('type', '=', type)
    .orderBy('is_default', 'desc').orderBy('created_at').limit(1));
