import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';
import type { TeamsTable } from '../db/types.ts';
import { AppError, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { findUsersOr400 } from '../users/service.ts';
import { userView, type UserView } from '../users/view.ts';
import * as q from './queries.ts';

/** A team as the API shows it. */
export interface TeamView {
  uuid: string;
  name: string;
  /** Conversations that open for the team are assigned round-robin among its available members. */
  auto_assign: boolean;
  member_uuids: string[];
  created_at: string;
  updated_at: string;
}

function teamView(row: TeamsTable, members: string[]): TeamView {
  return { uuid: row.id, name: row.name, auto_assign: row.auto_assign === 1, member_uuids: members, created_at: row.created_at, updated_at: row.updated_at };
}

async function viewsOf(db: Db, rows: TeamsTable[]): Promise<TeamView[]> {
  const members = await q.memberIds(db, rows.map((r) => r.id));
  return rows.map((row) => teamView(row, members.filter((m) => m.team_id === row.id).map((m) => m.user_id)));
}

async function findOr404(db: Db, workspaceId: string, id: string): Promise<TeamsTable> {
  const row = await q.findTeam(db, workspaceId, id);
  if (!row) throw notFound('team');
  return row;
}

async function nameFree(db: Db, workspaceId: string, name: string, except?: string): Promise<void> {
  const other = await q.findTeamByName(db, workspaceId, name);
  if (other && other.id !== except) throw new AppError(409, 'conflict', `a team named "${name}" already exists`, [{ path: 'body.name', message: 'is taken' }]);
}

/** Creates a team, with its first members when given. */
export async function createTeam(deps: Deps, workspaceId: string, input: { name: string; auto_assign?: boolean; user_uuids?: string[] }): Promise<TeamView> {
  const name = input.name.trim();
  await nameFree(deps.db, workspaceId, name);
  const now = nowIso();
  const row: TeamsTable = { id: newId(), workspace_id: workspaceId, name, auto_assign: input.auto_assign ? 1 : 0, created_at: now, updated_at: now };
  const users = await findUsersOr400(deps.db, workspaceId, input.user_uuids ?? [], (i) => `body.user_uuids.${i}`);
  await deps.db.transaction().execute(async (trx) => {
    await q.insertTeam(trx, row);
    await changeMembers(trx, deps, workspaceId, row, [], users.map((u) => u.id), now);
  });
  return (await viewsOf(deps.db, [row]))[0];
}

/** One team. */
export async function getTeam(db: Db, workspaceId: string, id: string): Promise<TeamView> {
  return (await viewsOf(db, [await findOr404(db, workspaceId, id)]))[0];
}

/** A page of the workspace's teams, newest first. */
export async function listTeams(db: Db, workspaceId: string, query: { limit?: number; cursor?: string }): Promise<{ teams: TeamView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const page = pageOf(await q.listTeams(db, workspaceId, limit, decodeCursor(query.cursor)), limit, (row) => row.created_at);
  return { teams: await viewsOf(db, page.items), meta: { next_cursor: page.next_cursor } };
}

/** Renames a team or switches its auto-assignment. */
export async function updateTeam(db: Db, workspaceId: string, id: string, changes: { name?: string; auto_assign?: boolean }): Promise<TeamView> {
  const row = await findOr404(db, workspaceId, id);
  const next: Partial<TeamsTable> = {};
  if (changes.name !== undefined && changes.name.trim() !== row.name) {
    await nameFree(db, workspaceId, changes.name.trim(), id);
    next.name = changes.name.trim();
  }
  if (changes.auto_assign !== undefined) next.auto_assign = changes.auto_assign ? 1 : 0;
  if (Object.keys(next).length > 0) {
    next.updated_at = nowIso();
    await q.updateTeam(db, id, next);
  }
  return getTeam(db, workspaceId, id);
}

/** Deletes a team; its members' removal is recorded as team_membership_updated. */
export async function deleteTeam(deps: Deps, workspaceId: string, id: string): Promise<TeamView> {
  const [team] = await viewsOf(deps.db, [await findOr404(deps.db, workspaceId, id)]);
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteTeam(trx, id);
    if (team.member_uuids.length > 0) {
      const users = await usersOf(trx, workspaceId, team.member_uuids);
      await recordEvent(trx, deps, workspaceId, 'team_membership_updated', { team: { ...team, member_uuids: [] }, added: [], removed: team.member_uuids, users });
    }
  });
  if (team.member_uuids.length > 0) deps.queue.notify();
  return team;
}

/** The users an event names, as views (team_membership_updated carries them so that a webhook can show their email and availability). */
async function usersOf(db: Db, workspaceId: string, ids: string[]): Promise<UserView[]> {
  const rows = await findUsersOr400(db, workspaceId, ids, () => 'params.uuid');
  return ids.flatMap((id) => rows.filter((r) => r.id === id).map(userView));
}

/** Adds and removes members in a transaction and records team_membership_updated when anything changed. */
async function changeMembers(trx: Db, deps: Deps, workspaceId: string, row: TeamsTable, remove: string[], add: string[], at: string): Promise<boolean> {
  if (remove.length === 0 && add.length === 0) return false;
  await q.removeMembers(trx, row.id, remove);
  await q.addMembers(trx, row.id, add, at);
  const [team] = await viewsOf(trx, [row]);
  await recordEvent(trx, deps, workspaceId, 'team_membership_updated', { team, added: add, removed: remove, users: await usersOf(trx, workspaceId, [...add, ...remove]) });
  return true;
}

/** Sets a team's members: `set` replaces them all, `add` adds one, `remove` removes one (404 when they are not a member). */
export async function editMembers(deps: Deps, workspaceId: string, id: string, edit: { set?: string[]; add?: string; remove?: string }): Promise<TeamView> {
  const row = await findOr404(deps.db, workspaceId, id);
  const current = (await q.memberIds(deps.db, [id])).map((m) => m.user_id);
  let add: string[] = [];
  let remove: string[] = [];
  if (edit.set) {
    const wanted = (await findUsersOr400(deps.db, workspaceId, edit.set, (i) => `body.user_uuids.${i}`)).map((u) => u.id);
    add = [...new Set(edit.set)].filter((u) => wanted.includes(u) && !current.includes(u));
    remove = current.filter((u) => !edit.set!.includes(u));
  } else if (edit.add) {
    await findUsersOr400(deps.db, workspaceId, [edit.add], () => 'body.user_uuid');
    if (!current.includes(edit.add)) add = [edit.add];
  } else if (edit.remove) {
    if (!current.includes(edit.remove)) throw notFound('team member');
    remove = [edit.remove];
  }
  const changed = await deps.db.transaction().execute((trx) => changeMembers(trx, deps, workspaceId, row, remove, add, nowIso()));
  if (changed) deps.queue.notify();
  return getTeam(deps.db, workspaceId, id);
}

/** The members of a team, as users. */
export async function listMembers(db: Db, workspaceId: string, id: string): Promise<UserView[]> {
  await findOr404(db, workspaceId, id);
  const ids = (await q.memberIds(db, [id])).map((m) => m.user_id);
  const users = await findUsersOr400(db, workspaceId, ids, () => 'params.uuid');
  return ids.map((uid) => userView(users.find((u) => u.id === uid)!));
}
