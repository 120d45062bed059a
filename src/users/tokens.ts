import type { Db } from '../db/connect.ts';
import type { UserTokenKind } from '../db/enums.ts';
import { AppError, invalidField } from '../errors.ts';
import { sha256 } from '../lib/hash.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { MIN_PASSWORD_LENGTH } from '../lib/password.ts';
import * as q from './queries.ts';
import type { LinkView } from './view.ts';

/** Where each kind of link points in the web app: `<BECKON_PUBLIC_URL><path><token>`. */
const LINK_PATHS: Record<UserTokenKind, string> = { invitation: '/invite/', bootstrap: '/invite/', password_reset: '/reset-password/' };

/** Hours a password reset link lives. */
export const RESET_TTL_HOURS = 1;

/** Stores a one-time token (hashed) and returns its link; `userId` is null for the bootstrap link. */
export async function issueToken(db: Db, publicUrl: string, workspaceId: string, userId: string | null, kind: UserTokenKind, ttlHours: number): Promise<LinkView> {
  const token = randomToken(32);
  const now = Date.now();
  const expires = new Date(now + ttlHours * 3_600_000).toISOString();
  await q.insertToken(db, { id: newId(), workspace_id: workspaceId, user_id: userId, kind, token_hash: sha256(token), created_at: new Date(now).toISOString(), expires_at: expires, used_at: null });
  return { url: `${publicUrl}${LINK_PATHS[kind]}${token}`, expires_at: expires };
}

/** Spends a one-time token of one of `kinds`: 400 token_invalid when unknown, used, expired or spent by a concurrent request. */
export async function spendToken(db: Db, token: string, kinds: UserTokenKind[]) {
  const row = await q.findUnusedToken(db, sha256(token), kinds);
  const now = new Date().toISOString();
  if (!row || row.expires_at <= now || !(await q.useToken(db, row.id, now))) {
    throw new AppError(400, 'token_invalid', 'this link is unknown, was already used or has expired: ask an admin for a new one', [{ path: 'body.token', message: 'unknown, used or expired' }]);
  }
  return row;
}

/** Throws a 400 naming `path` when a password is too short. */
export function checkPassword(password: string, path = 'body.password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalidField(path, `must be at least ${MIN_PASSWORD_LENGTH} characters`);
}
