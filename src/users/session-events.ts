// agent_session_updated: a user's session begins (sign-in: user_logged_in), is ended by them (sign-out:
// user_logged_out) or by Beckon (expiry, found by the sweep, or a password reset: system_logged_out); Callbell's
// action names. Each is recorded in the transaction that starts or ends the session, with the user's view.
import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import type { UsersTable } from '../db/types.ts';
import { recordEvent } from '../events/service.ts';
import { createSession, endSession, endUserSessions, sweepSessions } from '../auth/sessions.ts';
import * as q from './queries.ts';
import { userView } from './view.ts';

/** What an agent_session_updated event says happened to the session. */
export type SessionAction = 'user_logged_in' | 'user_logged_out' | 'system_logged_out';

/** Records agent_session_updated `{action, user}` for a user of the workspace (nothing when the user is gone). */
async function recordSessionEvent(trx: Db, deps: Deps, workspaceId: string, userId: string, action: SessionAction, row?: UsersTable): Promise<void> {
  const user = row ?? await q.findUser(trx, workspaceId, userId);
  if (user) await recordEvent(trx, deps, workspaceId, 'agent_session_updated', { action, user: userView(user) });
}

/** Signs a user in: a new session and its user_logged_in event, together; returns the session's token (for the cookie). */
export async function startSession(deps: Deps, user: UsersTable): Promise<string> {
  const token = await deps.db.transaction().execute(async (trx) => {
    const session = await createSession(trx, deps.config, user);
    await recordSessionEvent(trx, deps, user.workspace_id, user.id, 'user_logged_in', user);
    return session.token;
  });
  deps.queue.notify();
  return token;
}

/** Signs out: ends the caller's session and records user_logged_out. */
export async function signOut(deps: Deps, auth: { workspaceId: string; userId: string | null; sessionId?: string | null }): Promise<void> {
  const { sessionId, userId } = auth;
  if (!sessionId) return;
  await deps.db.transaction().execute(async (trx) => {
    await endSession(trx, sessionId);
    if (userId) await recordSessionEvent(trx, deps, auth.workspaceId, userId, 'user_logged_out');
  });
  deps.queue.notify();
}

/** Ends every session of a user inside `trx` (their password was reset) and records system_logged_out when they had any. */
export async function endSessionsOf(trx: Db, deps: Deps, user: UsersTable): Promise<void> {
  if ((await endUserSessions(trx, user.id)) > 0) await recordSessionEvent(trx, deps, user.workspace_id, user.id, 'system_logged_out', user);
}

/** Deletes the expired sessions and records system_logged_out for each (the hourly sweep); returns how many ended. */
export async function sweepExpiredSessions(deps: Deps): Promise<number> {
  const ended = await deps.db.transaction().execute(async (trx) => {
    const rows = await sweepSessions(trx);
    for (const row of rows) await recordSessionEvent(trx, deps, row.workspace_id, row.user_id, 'system_logged_out');
    return rows.length;
  });
  if (ended > 0) deps.queue.notify();
  return ended;
}
