import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import type { AuthContext } from '../http.ts';
import { parseCookies } from '../lib/cookies.ts';
import { allows, roleAllows } from './scopes.ts';
import type { KeyVerifier } from './service.ts';
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE, verifySession } from './sessions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Builds the onRequest hook that authenticates `Authorization: Bearer <key>` or, without that header, the session
 * cookie (a write then needs X-CSRF-Token equal to the beckon_csrf cookie), and checks the route's scope and the
 * caller's role.
 */
export function authHook(verifier: KeyVerifier, db: Db, config: Config) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const routeConfig = request.routeOptions.config;
    const needed = routeConfig?.scope ?? 'admin';
    if (needed === 'public' || !request.routeOptions.url) return;
    const header = request.headers.authorization;
    let auth: AuthContext | null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError(401, 'unauthorized', 'send your API key as "Authorization: Bearer <key>"');
      auth = await verifier.verify(match[1]);
      if (!auth) throw new AppError(401, 'unauthorized', 'the API key is unknown or revoked');
    } else {
      const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
      if (!token) throw new AppError(401, 'unauthorized', 'send your API key as "Authorization: Bearer <key>", or sign in (POST /v1/auth/login)');
      auth = await verifySession(db, config, token);
      if (!auth) throw new AppError(401, 'unauthorized', 'the session expired or was ended: sign in again');
      const csrf = request.headers[CSRF_HEADER];
      if (!SAFE_METHODS.has(request.method) && !csrfMatches(token, typeof csrf === 'string' ? csrf : undefined)) {
        throw new AppError(403, 'csrf_failed', 'a write with the session cookie needs the X-CSRF-Token header, equal to the beckon_csrf cookie');
      }
    }
    if (!allows(auth.scopes, needed)) {
      throw new AppError(403, 'forbidden', `this route needs the "${needed}" scope; the key has ${auth.scopes.join(', ') || 'none'}`);
    }
    if (!roleAllows(auth.role, needed, routeConfig?.agents)) {
      throw new AppError(403, 'forbidden', 'this route is for admins; an agent may read, and write conversations, contacts and messages');
    }
    request.auth = auth;
  };
}
