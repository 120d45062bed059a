import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { sha256 } from '../lib/hash.ts';
import * as q from './idempotency-queries.ts';

/** The request header that makes a POST idempotent. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** The header set on a replayed answer. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** Longest accepted key. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long a key and its answer are kept (24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a key stays "in progress" without an answer before it is taken to be abandoned (a crash) and may run again. */
export const IDEMPOTENCY_LOCK_MS = 60 * 1000;

interface Claim {
  workspaceId: string;
  key: string;
  hash: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fingerprint of a request for key reuse checks: method, URL and the body as canonical JSON (key order does not matter). */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return sha256(`${method} ${url}\n${body === undefined ? '' : canonicalJson(body)}`);
}

function readKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    const message = `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters (got ${key.length})`;
    throw new AppError(400, 'validation_failed', `headers.${IDEMPOTENCY_HEADER} ${message}`, [{ path: `headers.${IDEMPOTENCY_HEADER}`, message }]);
  }
  return key;
}

function replay(reply: FastifyReply, row: q.IdempotencyRow): void {
  reply.code(row.status_code!).header(REPLAYED_HEADER, 'true');
  if (row.response_type) reply.type(row.response_type);
  reply.send(row.response_body === '' ? undefined : row.response_body);
}

/** Claims the key or answers for it; resolves true when the reply has been sent (a replay). */
async function begin(deps: Deps, request: FastifyRequest, reply: FastifyReply, key: string): Promise<boolean> {
  const workspaceId = request.auth.workspaceId;
  const hash = requestFingerprint(request.method, request.url, request.body);
  for (let tries = 0; tries < 3; tries++) {
    const now = Date.now();
    const claimed = await deps.writer.run((trx) => q.claimKey(trx, workspaceId, key, hash, new Date(now).toISOString(),
      new Date(now - IDEMPOTENCY_TTL_MS).toISOString(), new Date(now - IDEMPOTENCY_LOCK_MS).toISOString()));
    if (claimed) {
      claims.set(request, { workspaceId, key, hash });
      return false;
    }
    const row = await q.findKey(deps.db, workspaceId, key);
    if (!row) continue; // released between the two statements: claim again
    if (row.request_hash !== hash) {
      throw new AppError(409, 'idempotency_key_reused', `the Idempotency-Key "${key}" was already used with a different request (method, path or body); use a new key`);
    }
    if (row.status_code === null) {
      throw new AppError(409, 'idempotency_key_in_progress', `a request with the Idempotency-Key "${key}" is still in progress; retry once it has answered`);
    }
    replay(reply, row);
    return true;
  }
  throw new AppError(409, 'idempotency_key_in_progress', `the Idempotency-Key "${key}" is contended; retry`);
}

function bodyText(payload: unknown): string | null {
  if (payload === undefined || payload === null) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return null;
}

/** Stores a 2xx or 4xx answer for replay; releases the key after a 5xx (or an unstorable body) so a retry runs again. */
async function finish(deps: Deps, claim: Claim, status: number, payload: unknown, type: string | null): Promise<void> {
  const body = bodyText(payload);
  if (status >= 500 || body === null) {
    await deps.writer.run((trx) => q.releaseKey(trx, claim.workspaceId, claim.key, claim.hash));
    return;
  }
  await deps.writer.run((trx) => q.storeAnswer(trx, claim.workspaceId, claim.key, claim.hash, { status, body, type }));
}

/**
 * The preHandler and onSend hooks that make POSTs idempotent. Requests without an Idempotency-Key only pay a
 * header lookup; with one, the preHandler claims the key (or replays / refuses) and onSend stores the answer.
 */
export function idempotencyHooks(deps: Deps) {
  function preHandler(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined || !request.auth) return done();
    let key: string;
    try {
      key = readKey(raw)!;
    } catch (err) {
      return done(err as Error);
    }
    begin(deps, request, reply, key).then((replied) => {
      if (!replied) done();
    }, (err: Error) => done(err));
  }

  function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
    const claim = claims.get(request);
    if (!claim) return done(null, payload);
    claims.delete(request);
    const type = reply.getHeader('content-type');
    finish(deps, claim, reply.statusCode, payload, type === undefined ? null : String(type)).then(() => done(null, payload), (err) => {
      request.log.error({ err, key: claim.key }, 'could not store the idempotent answer; the key unlocks after the lock timeout');
      done(null, payload);
    });
  }

  return { preHandler, onSend };
}

function append<T>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

/** An onRoute hook that attaches the idempotency hooks to every authenticated POST route not marked `idempotent: false` (register before the routes). */
export function idempotencyOnRoute(deps: Deps): (route: RouteOptions) => void {
  const { preHandler, onSend } = idempotencyHooks(deps);
  return (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || route.config?.scope === 'public' || route.config?.idempotent === false) return;
    route.preHandler = append(route.preHandler as never, preHandler as never);
    route.onSend = append(route.onSend as never, onSend as never);
  };
}

/** Deletes keys older than 24 h every `everyMs` (keys past 24 h are already ignored when met); returns a stop function. */
export function startIdempotencyCleanup(deps: Deps, everyMs = 60 * 60 * 1000): () => void {
  const timer = setInterval(() => {
    const before = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    deps.writer.run((trx) => q.purgeKeys(trx, before)).then(
      (n) => { if (n > 0) deps.log.debug({ deleted: n }, 'expired idempotency keys deleted'); },
      (err) => deps.log.warn({ err }, 'idempotency key cleanup failed'),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
