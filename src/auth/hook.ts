import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { allows } from './scopes.ts';
import type { KeyVerifier } from './service.ts';

/** Builds the onRequest hook that authenticates `Authorization: Bearer <key>` and checks the route's scope. */
export function authHook(verifier: KeyVerifier) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const needed = request.routeOptions.config?.scope ?? 'admin';
    if (needed === 'public' || !request.routeOptions.url) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError(401, 'unauthorized', 'send your API key as "Authorization: Bearer <key>"');
    const auth = await verifier.verify(match[1]);
    if (!auth) throw new AppError(401, 'unauthorized', 'the API key is unknown or revoked');
    if (!allows(auth.scopes, needed)) {
      throw new AppError(403, 'forbidden', `this route needs the "${needed}" scope; the key has ${auth.scopes.join(', ') || 'none'}`);
    }
    request.auth = auth;
  };
}
