import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { UserRole } from '../db/enums.ts';
import type { AuthContext } from '../http.ts';
import { serializeCookie } from '../lib/cookies.ts';
import { sha256 } from '../lib/hash.ts';
import { newId, randomToken } from '../lib/ids.ts';
import * as q from './queries.ts';
import { ROLE_SCOPE } from './scopes.ts';

/** The HttpOnly cookie holding a session's token. */
export const SESSION_COOKIE = 'beckon_session';
/** The cookie (readable by the page's scripts) holding the CSRF token a cookie-authenticated write echoes in X-CSRF-Token. */
export const CSRF_COOKIE = 'beckon_csrf';
/** The header a cookie-authenticated write must carry, equal to the beckon_csrf cookie. */
export const CSRF_HEADER = 'x-csrf-token';

/** Session lifetimes: sliding idle seconds and absolute seconds (from the config). */
export type SessionTimes = Pick<Config, 'sessionIdleSeconds' | 'sessionMaxSeconds'>;

/** The CSRF token of a session: derived from its secret token (sha256 with a label), so it needs no storage and another session's token never matches. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`beckon-csrf:${sessionToken}`);
}

/** True when a request's X-CSRF-Token header is the CSRF token of its session (constant-time comparison). */
export function csrfMatches(sessionToken: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Signs a user in: stores a new session (its token hashed) and returns the token for the cookie. */
export async function createSession(db: Db, times: SessionTimes, user: { id: string; workspace_id: string }): Promise<{ token: string; sessionId: string }> {
  const token = randomToken(32);
  const now = Date.now();
  const id = newId();
  await q.insertSession(db, {
    id, workspace_id: user.workspace_id, user_id: user.id, token_hash: sha256(token),
    created_at: new Date(now).toISOString(), last_seen_at: new Date(now).toISOString(),
    idle_expires_at: new Date(now + times.sessionIdleSeconds * 1000).toISOString(),
    expires_at: new Date(now + times.sessionMaxSeconds * 1000).toISOString(),
  });
  return { token, sessionId: id };
}

/**
 * The caller behind a session token, or null when it is unknown, ended, expired (idle or absolute; the sweep deletes
 * it and records its end) or its user was deleted. Each use moves the idle expiry forward (written at most every tenth
 * of the idle time, ≤ 1 min).
 */
export async function verifySession(db: Db, times: SessionTimes, token: string): Promise<AuthContext | null> {
  const row = await q.findSessionByHash(db, sha256(token));
  if (!row) return null;
  const now = Date.now();
  if (Date.parse(row.idle_expires_at) <= now || Date.parse(row.expires_at) <= now) return null;
  const idleMs = times.sessionIdleSeconds * 1000;
  if (now - Date.parse(row.last_seen_at) >= Math.min(60_000, idleMs / 10)) {
    await q.touchSession(db, row.id, new Date(now).toISOString(), new Date(now + idleMs).toISOString());
  }
  const role = row.role as UserRole;
  return { workspaceId: row.workspace_id, keyId: row.id, scopes: [ROLE_SCOPE[role]], userId: row.user_id, role, sessionId: row.id };
}

/** Ends one session (logout). */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await q.deleteSession(db, sessionId);
}

/** Ends every session of a user (deleted, or their password changed); returns how many ended. */
export async function endUserSessions(db: Db, userId: string): Promise<number> {
  return q.deleteUserSessions(db, userId);
}

/** Deletes expired sessions (called now and then; an expired session is refused anyway); returns whose they were, one per session. */
export async function sweepSessions(db: Db): Promise<{ workspace_id: string; user_id: string }[]> {
  return q.deleteExpiredSessions(db, new Date().toISOString());
}

/** The two Set-Cookie values of a new session: the HttpOnly session cookie and the script-readable CSRF cookie; Secure behind https. */
export function sessionCookies(config: Pick<Config, 'publicUrl' | 'sessionMaxSeconds'>, token: string): string[] {
  const secure = config.publicUrl.startsWith('https:');
  return [
    serializeCookie(SESSION_COOKIE, token, { httpOnly: true, secure, maxAge: config.sessionMaxSeconds }),
    serializeCookie(CSRF_COOKIE, csrfTokenFor(token), { httpOnly: false, secure, maxAge: config.sessionMaxSeconds }),
  ];
}

/** The Set-Cookie values that delete both cookies (logout). */
export function clearedCookies(config: Pick<Config, 'publicUrl'>): string[] {
  const secure = config.publicUrl.startsWith('https:');
  return [
    serializeCookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAge: 0 }),
    serializeCookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAge: 0 }),
  ];
}
