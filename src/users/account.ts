import type { Deps } from '../deps.ts';
import type { UsersTable } from '../db/types.ts';
import { AppError, invalidField } from '../errors.ts';
import { endSessionsOf, startSession } from './session-events.ts';
import { isEmail, normalizeEmail } from '../lib/email.ts';
import { newId } from '../lib/ids.ts';
import { hashPassword, verifyNothing, verifyPassword } from '../lib/password.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import { checkPassword, issueToken, RESET_TTL_HOURS, spendToken } from './tokens.ts';
import { userView, type UserView } from './view.ts';

/** A signed-in user and the token of their new session (for the cookie). */
export interface SignedIn {
  user: UserView;
  token: string;
}

/** Checks an email and password: the user and a new session (agent_session_updated), or 401 invalid_credentials (an unknown email takes as long as a wrong password). */
export async function login(deps: Deps, rawEmail: string, password: string): Promise<SignedIn> {
  const email = rawEmail.trim().toLowerCase();
  const row = isEmail(email) ? await q.findUserByEmail(deps.db, email) : undefined;
  const ok = row?.password_hash ? await verifyPassword(password, row.password_hash) : await verifyNothing(password);
  if (!row || !ok) throw new AppError(401, 'invalid_credentials', 'the email or the password is wrong');
  return { user: userView(row), token: await startSession(deps, row) };
}

/**
 * Accepts an invitation (or the bootstrap link): sets the password and signs the user in. The bootstrap link creates
 * the first admin user from `email` and `name`, which it requires.
 */
export async function acceptInvitation(deps: Deps, input: { token: string; password: string; email?: string; name?: string }): Promise<SignedIn> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = nowIso();
  const user = await deps.db.transaction().execute(async (trx) => {
    const token = await spendToken(trx, input.token, ['invitation', 'bootstrap']);
    if (token.kind === 'bootstrap') {
      if (input.email === undefined) throw invalidField('body.email', 'the first admin\'s email is required with this link');
      if (!input.name?.trim()) throw invalidField('body.name', 'the first admin\'s name is required with this link');
      const email = normalizeEmail(input.email);
      if (await q.emailTaken(trx, email)) throw new AppError(409, 'conflict', `a user with the email ${email} already exists`, [{ path: 'body.email', message: 'is taken' }]);
      const row: UsersTable = { id: newId(), workspace_id: token.workspace_id, email, name: input.name.trim(), role: 'admin', availability: 'available', custom_status: null, password_hash: passwordHash, created_at: now, updated_at: now, deleted_at: null };
      await q.insertUser(trx, row);
      return row;
    }
    const row = await q.findUser(trx, token.workspace_id, token.user_id!);
    if (!row) throw new AppError(400, 'token_invalid', 'this link\'s user was deleted', [{ path: 'body.token', message: 'unknown, used or expired' }]);
    await q.updateUser(trx, row.id, { password_hash: passwordHash, updated_at: now });
    return { ...row, password_hash: passwordHash, updated_at: now };
  });
  return { user: userView(user), token: await startSession(deps, user) };
}

/**
 * Asks for a password reset: when the email is a user's, a reset link (1 hour) is written to the log at info level
 * (Beckon has no mailer for it; an admin can also get one from POST /v1/users/:uuid/reset-link). The answer never says
 * whether the email exists.
 */
export async function requestPasswordReset(deps: Deps, rawEmail: string): Promise<void> {
  const email = rawEmail.trim().toLowerCase();
  const row = isEmail(email) ? await q.findUserByEmail(deps.db, email) : undefined;
  if (!row) return;
  await q.retireUserTokens(deps.db, row.id, nowIso(), 'password_reset');
  const link = await issueToken(deps.db, deps.config.publicUrl, row.workspace_id, row.id, 'password_reset', RESET_TTL_HOURS);
  deps.log.info({ user: row.id, email: row.email, reset_link: link.url, expires_at: link.expires_at }, 'password reset requested: hand this link to the user (it is a secret)');
}

/** Sets a new password from a reset link: every session of the user ends, and a new one begins. */
export async function confirmPasswordReset(deps: Deps, input: { token: string; password: string }): Promise<SignedIn> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = nowIso();
  const user = await deps.db.transaction().execute(async (trx) => {
    const token = await spendToken(trx, input.token, ['password_reset']);
    const row = await q.findUser(trx, token.workspace_id, token.user_id!);
    if (!row) throw new AppError(400, 'token_invalid', 'this link\'s user was deleted', [{ path: 'body.token', message: 'unknown, used or expired' }]);
    await q.updateUser(trx, row.id, { password_hash: passwordHash, updated_at: now });
    const user = { ...row, password_hash: passwordHash, updated_at: now };
    await endSessionsOf(trx, deps, user);
    return user;
  });
  return { user: userView(user), token: await startSession(deps, user) };
}
