import type { Db } from '../db/connect.ts';
import type { ApiKeysTable } from '../db/types.ts';

/** Inserts a workspace. */
export async function insertWorkspace(db: Db, row: { id: string; name: string; created_at: string }): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

/** Finds a workspace by its unique name. */
export async function findWorkspaceByName(db: Db, name: string) {
  return db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Finds a workspace by id. */
export async function findWorkspace(db: Db, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a workspace's settings. */
export async function updateWorkspace(db: Db, id: string, changes: { time_zone: string | null }): Promise<void> {
  await db.updateTable('workspaces').set(changes).where('id', '=', id).execute();
}

/** Number of workspaces (0 on a fresh store). */
export async function countWorkspaces(db: Db): Promise<number> {
  const r = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Inserts an API key row (hash only). */
export async function insertApiKey(db: Db, row: ApiKeysTable): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** Finds a live (not revoked) key by the hash of its secret. */
export async function findKeyByHash(db: Db, keyHash: string) {
  return db.selectFrom('api_keys').select(['id', 'workspace_id', 'scopes', 'revoked_at', 'user_id'])
    .where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Lists a workspace's keys, newest first, revoked ones included. */
export async function listApiKeys(db: Db, workspaceId: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Finds one of a workspace's keys. */
export async function findApiKey(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at', 'key_hash'])
    .where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Marks a key revoked. */
export async function revokeApiKey(db: Db, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Records when a key was last used. */
export async function touchApiKey(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
