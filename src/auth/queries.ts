import type { Db } from '../db/connect.ts';
import type { ApiKeysTable, SessionsTable } from '../db/types.ts';

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

/** Finds a key by the hash of its secret, with its user's role and deletion (null for a workspace key). */
export async function findKeyByHash(db: Db, keyHash: string) {
  return db.selectFrom('api_keys').leftJoin('users', 'users.id', 'api_keys.user_id')
    .select(['api_keys.id', 'api_keys.workspace_id', 'api_keys.scopes', 'api_keys.revoked_at', 'api_keys.user_id', 'users.role', 'users.deleted_at'])
    .where('api_keys.key_hash', '=', keyHash).executeTakeFirst();
}

/** A live user of a workspace (the owner of a new key), or undefined. */
export async function findLiveUser(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('users').select(['id', 'role']).where('workspace_id', '=', workspaceId).where('id', '=', id)
    .where('deleted_at', 'is', null).executeTakeFirst();
}

/** Revokes every live key of a user; returns their hashes (to forget them in the verifier's cache). */
export async function revokeUserKeys(db: Db, userId: string, at: string): Promise<string[]> {
  const rows = await db.updateTable('api_keys').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null)
    .returning('key_hash').execute();
  return rows.map((r) => r.key_hash);
}

/** Inserts a session row. */
export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A session by its token's hash, with its user's role (undefined when unknown or the user was deleted). */
export async function findSessionByHash(db: Db, tokenHash: string) {
  return db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.workspace_id', 'sessions.user_id', 'sessions.idle_expires_at', 'sessions.expires_at', 'sessions.last_seen_at', 'users.role'])
    .where('sessions.token_hash', '=', tokenHash).where('users.deleted_at', 'is', null).executeTakeFirst();
}

/** Moves a session's idle expiry forward. */
export async function touchSession(db: Db, id: string, at: string, idleExpiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at, idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
}

/** Deletes one session. */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes every session of a user; returns how many there were. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes sessions past either expiry; returns whose they were (one row per session). */
export async function deleteExpiredSessions(db: Db, now: string): Promise<{ workspace_id: string; user_id: string }[]> {
  return db.deleteFrom('sessions').where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('expires_at', '<=', now)])).returning(['workspace_id', 'user_id']).execute();
}

/** Lists a workspace's keys, newest first, revoked ones included. */
export async function listApiKeys(db: Db, workspaceId: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at', 'user_id'])
    .where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Finds one of a workspace's keys. */
export async function findApiKey(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at', 'key_hash', 'user_id'])
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
