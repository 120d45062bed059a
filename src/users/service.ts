import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';
import type { UserAvailability, UserRole } from '../db/enums.ts';
import type { UsersTable } from '../db/types.ts';
import { AppError, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { KeyVerifier } from '../auth/service.ts';
import { endUserSessions } from '../auth/sessions.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { normalizeEmail } from '../lib/email.ts';
import { newId } from '../lib/ids.ts';
import { hashPassword } from '../lib/password.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import { checkPassword, issueToken, RESET_TTL_HOURS } from './tokens.ts';
import { userView, type LinkView, type UserView } from './view.ts';

/** What creating a user takes (the CLI may set a password at once; the API sends an invitation). */
export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  availability?: UserAvailability;
  password?: string;
}

/** A user's live row, or a 404. */
export async function findUserOr404(db: Db, workspaceId: string, id: string): Promise<UsersTable> {
  const row = await q.findUser(db, workspaceId, id);
  if (!row) throw notFound('user');
  return row;
}

async function emailFree(db: Db, email: string): Promise<void> {
  if (await q.emailTaken(db, email)) throw new AppError(409, 'conflict', `a user with the email ${email} already exists`, [{ path: 'body.email', message: 'is taken' }]);
}

/** Creates a user; without a password it answers a one-time invitation link (BECKON_INVITATION_TTL_HOURS) to set one. */
export async function createUser(db: Db, config: Pick<Deps['config'], 'publicUrl' | 'invitationTtlHours'>, workspaceId: string, input: NewUser): Promise<{ user: UserView; invitation: LinkView | null }> {
  const email = normalizeEmail(input.email);
  if (input.password !== undefined) checkPassword(input.password);
  await emailFree(db, email);
  const now = nowIso();
  const row: UsersTable = {
    id: newId(), workspace_id: workspaceId, email, name: input.name.trim(), role: input.role, availability: input.availability ?? 'offline',
    custom_status: null, password_hash: input.password !== undefined ? await hashPassword(input.password) : null, created_at: now, updated_at: now, deleted_at: null,
  };
  let invitation: LinkView | null = null;
  await db.transaction().execute(async (trx) => {
    await q.insertUser(trx, row);
    if (!row.password_hash) invitation = await issueToken(trx, config.publicUrl, workspaceId, row.id, 'invitation', config.invitationTtlHours);
  });
  return { user: userView(row), invitation };
}

/** A page of the workspace's users, newest first. */
export async function listUsers(db: Db, workspaceId: string, query: { limit?: number; cursor?: string }): Promise<{ users: UserView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const page = pageOf(await q.listUsers(db, workspaceId, limit, decodeCursor(query.cursor)), limit, (row) => row.created_at);
  return { users: page.items.map(userView), meta: { next_cursor: page.next_cursor } };
}

/** Refuses to leave a workspace without an admin who can sign in or hold admin rights. */
async function keepOneAdmin(db: Db, workspaceId: string, user: UsersTable): Promise<void> {
  if (user.role !== 'admin') return;
  if ((await q.countAdmins(db, workspaceId)) <= 1) throw new AppError(409, 'conflict', 'this is the workspace\'s last admin user: make another user admin first');
}

/** Changes, as PATCH /v1/users/:uuid and PATCH /v1/users/me/status take them. */
export interface UserChanges {
  email?: string;
  name?: string;
  role?: UserRole;
  availability?: UserAvailability;
  custom_status?: string | null;
}

/** Updates a user; a change of availability or custom status records agent_status_updated, a change of role applies to their keys at once. */
export async function updateUser(deps: Deps, verifier: Pick<KeyVerifier, 'forgetAll'>, workspaceId: string, id: string, changes: UserChanges): Promise<UserView> {
  const row = await findUserOr404(deps.db, workspaceId, id);
  const next: Partial<UsersTable> = {};
  if (changes.email !== undefined) {
    const email = normalizeEmail(changes.email);
    if (email !== row.email) {
      await emailFree(deps.db, email);
      next.email = email;
    }
  }
  if (changes.name !== undefined) next.name = changes.name.trim();
  if (changes.role !== undefined && changes.role !== row.role) {
    if (changes.role !== 'admin') await keepOneAdmin(deps.db, workspaceId, row);
    next.role = changes.role;
  }
  if (changes.availability !== undefined && changes.availability !== row.availability) next.availability = changes.availability;
  if (changes.custom_status !== undefined && (changes.custom_status?.trim() || null) !== row.custom_status) next.custom_status = changes.custom_status?.trim() || null;
  if (Object.keys(next).length === 0) return userView(row);
  const updated: UsersTable = { ...row, ...next, updated_at: nowIso() };
  const statusChanged = 'availability' in next || 'custom_status' in next;
  await deps.db.transaction().execute(async (trx) => {
    await q.updateUser(trx, id, { ...next, updated_at: updated.updated_at });
    if (statusChanged) await recordEvent(trx, deps, workspaceId, 'agent_status_updated', { user: userView(updated) });
  });
  if (statusChanged) deps.queue.notify();
  if (next.role) verifier.forgetAll();
  return userView(updated);
}

/** Sets a user's availability and custom status (records agent_status_updated when either changed); no role change, so no key to forget. */
export async function setUserStatus(deps: Deps, workspaceId: string, id: string, changes: Pick<UserChanges, 'availability' | 'custom_status'>): Promise<UserView> {
  return updateUser(deps, { forgetAll: () => undefined }, workspaceId, id, { availability: changes.availability, custom_status: changes.custom_status });
}

/**
 * Deletes a user: the row stays (messages and notes they wrote still name them) with deleted_at set and the email
 * freed (`<uuid>@deleted.invalid`); their API keys are revoked, their sessions ended, their links retired and their
 * team memberships removed.
 */
export async function deleteUser(db: Db, verifier: KeyVerifier, workspaceId: string, id: string): Promise<UserView> {
  const row = await findUserOr404(db, workspaceId, id);
  await keepOneAdmin(db, workspaceId, row);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await q.updateUser(trx, id, { deleted_at: now, updated_at: now, email: `${id}@deleted.invalid`, password_hash: null, availability: 'offline' });
    await q.retireUserTokens(trx, id, now);
    await q.deleteMemberships(trx, id);
    await endUserSessions(trx, id);
  });
  await verifier.revokeUserKeys(id);
  return userView({ ...row, updated_at: now });
}

/** A new password reset link for a user (an admin hands it over: Beckon sends no email for it); earlier reset links die. */
export async function resetLink(db: Db, config: Deps['config'], workspaceId: string, id: string): Promise<LinkView> {
  await findUserOr404(db, workspaceId, id);
  await q.retireUserTokens(db, id, nowIso(), 'password_reset');
  return issueToken(db, config.publicUrl, workspaceId, id, 'password_reset', RESET_TTL_HOURS);
}

/** The live users of a workspace named by `ids`, or a 400 naming the first unknown one at `path(i)`. */
export async function findUsersOr400(db: Db, workspaceId: string, ids: string[], path: (i: number) => string): Promise<UsersTable[]> {
  const rows = await q.findUsers(db, workspaceId, [...new Set(ids)]);
  const known = new Set(rows.map((r) => r.id));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0) throw new AppError(404, 'not_found', 'user not found', [{ path: path(missing), message: 'names no user of this workspace' }]);
  return rows;
}
