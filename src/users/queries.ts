import type { Db } from '../db/connect.ts';
import type { UserTokenKind } from '../db/enums.ts';
import type { CustomStatusesTable, UsersTable, UserTokensTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts a user. */
export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** A live (not deleted) user of a workspace. */
export async function findUser(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A live user by (lower-cased) email, in any workspace (emails are unique among all). */
export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).where('deleted_at', 'is', null).executeTakeFirst();
}

/** True when any row (a deleted user's included) holds the email. */
export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
}

/** Number of live admin users of a workspace. */
export async function countAdmins(db: Db, workspaceId: string): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A page of a workspace's live users, newest first (limit + 1 rows). */
export async function listUsers(db: Db, workspaceId: string, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes a user's changed columns. */
export async function updateUser(db: Db, id: string, changes: Partial<Omit<UsersTable, 'id' | 'workspace_id'>>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Inserts a one-time token. */
export async function insertToken(db: Db, row: UserTokensTable): Promise<void> {
  await db.insertInto('user_tokens').values(row).execute();
}

/** A one-time token by its hash and kinds, unused (its expiry is checked by the caller). */
export async function findUnusedToken(db: Db, tokenHash: string, kinds: UserTokenKind[]) {
  return db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).where('kind', 'in', kinds).where('used_at', 'is', null).executeTakeFirst();
}

/** Marks a token used, unless another request did first; true when this call did. */
export async function useToken(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('user_tokens').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks every unused token of a user used (deleted, or a new link supersedes the old ones of the kind). */
export async function retireUserTokens(db: Db, userId: string, at: string, kind?: UserTokenKind): Promise<void> {
  let query = db.updateTable('user_tokens').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null);
  if (kind) query = query.where('kind', '=', kind);
  await query.execute();
}

/** A workspace's custom statuses, by name. */
export async function listCustomStatuses(db: Db, workspaceId: string) {
  return db.selectFrom('custom_statuses').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
}

/** A custom status by name. */
export async function findCustomStatusByName(db: Db, workspaceId: string, name: string) {
  return db.selectFrom('custom_statuses').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

/** Inserts a custom status. */
export async function insertCustomStatus(db: Db, row: CustomStatusesTable): Promise<void> {
  await db.insertInto('custom_statuses').values(row).execute();
}

/** Renames a custom status; the updated row, or undefined. */
export async function renameCustomStatus(db: Db, workspaceId: string, id: string, name: string) {
  return db.updateTable('custom_statuses').set({ name }).where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes a custom status; the deleted row, or undefined. */
export async function deleteCustomStatus(db: Db, workspaceId: string, id: string) {
  return db.deleteFrom('custom_statuses').where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Removes a deleted user from every team (team_members belongs to teams/, which imports users/: this one statement lives here to keep one direction). */
export async function deleteMemberships(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('team_members').where('user_id', '=', userId).execute();
}

/** The live users of a workspace among `ids`. */
export async function findUsers(db: Db, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}
