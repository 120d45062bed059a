import type { Db } from '../db/connect.ts';
import type { TeamsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts a team. */
export async function insertTeam(db: Db, row: TeamsTable): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

/** A team of a workspace. */
export async function findTeam(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A team by its name (unique per workspace). */
export async function findTeamByName(db: Db, workspaceId: string, name: string) {
  return db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

/** A page of a workspace's teams, newest first (limit + 1 rows). */
export async function listTeams(db: Db, workspaceId: string, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes a team's changed columns. */
export async function updateTeam(db: Db, id: string, changes: Partial<Pick<TeamsTable, 'name' | 'auto_assign' | 'updated_at'>>): Promise<void> {
  await db.updateTable('teams').set(changes).where('id', '=', id).execute();
}

/** Deletes a team (its memberships go with it). */
export async function deleteTeam(db: Db, id: string): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', id).execute();
  await db.deleteFrom('teams').where('id', '=', id).execute();
}

/** The member user ids of some teams, oldest membership first. */
export async function memberIds(db: Db, teamIds: string[]): Promise<{ team_id: string; user_id: string }[]> {
  if (teamIds.length === 0) return [];
  return db.selectFrom('team_members').select(['team_id', 'user_id']).where('team_id', 'in', teamIds).orderBy('created_at').orderBy('user_id').execute();
}

/** Adds members (already members are skipped). */
export async function addMembers(db: Db, teamId: string, userIds: string[], at: string): Promise<void> {
  if (userIds.length === 0) return;
  await db.insertInto('team_members').values(userIds.map((user_id) => ({ team_id: teamId, user_id, created_at: at })))
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing()).execute();
}

/** Removes members. */
export async function removeMembers(db: Db, teamId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', 'in', userIds).execute();
}
