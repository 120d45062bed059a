import type { Db } from '../db/connect.ts';
import { AppError, notFound } from '../errors.ts';
import { sha256 } from '../lib/hash.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { AuthContext } from '../http.ts';
import * as q from './queries.ts';
import { capScopes, type Scope } from './scopes.ts';
import type { UserRole } from '../db/enums.ts';

const KEY_PREFIX = 'bk_';
const CACHE_TTL_MS = 10_000;
const TOUCH_EVERY_MS = 60_000;

/** An API key as the API shows it (never the secret, except once at creation). */
export interface ApiKeyView {
  uuid: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The user the key belongs to (it acts with min(its scopes, the user's role)), null for a workspace key. */
  user_uuid: string | null;
}

function view(row: { id: string; name: string; prefix: string; scopes: string; created_at: string; last_used_at: string | null; revoked_at: string | null; user_id: string | null }): ApiKeyView {
  return { uuid: row.id, name: row.name, prefix: row.prefix, scopes: parseJson(row.scopes, []), created_at: row.created_at, last_used_at: row.last_used_at, revoked_at: row.revoked_at, user_uuid: row.user_id };
}

/** A new random API key secret. */
export function newKeySecret(): string {
  return KEY_PREFIX + randomToken(24);
}

/** Creates a key in a workspace (a user's key when `userId` is given); returns its view and the secret, which is never stored. */
export async function createApiKey(db: Db, workspaceId: string, name: string, scopes: Scope[], secret?: string, userId: string | null = null): Promise<{ key: ApiKeyView; secret: string }> {
  const plain = secret ?? newKeySecret();
  const row = { id: newId(), workspace_id: workspaceId, name, prefix: plain.slice(0, 10), key_hash: sha256(plain), scopes: JSON.stringify([...new Set(scopes)]), created_at: nowIso(), last_used_at: null, revoked_at: null, user_id: userId };
  await q.insertApiKey(db, row);
  return { key: view(row), secret: plain };
}

/** Creates a workspace with an admin key (the given secret, or a new one); 409 when the name is taken. */
export async function createWorkspace(db: Db, name: string, secret?: string): Promise<{ workspaceId: string; secret: string }> {
  if (await q.findWorkspaceByName(db, name)) throw new AppError(409, 'conflict', `a workspace named "${name}" already exists`);
  const workspaceId = newId();
  const plain = secret ?? newKeySecret();
  await db.transaction().execute(async (trx) => {
    await q.insertWorkspace(trx, { id: workspaceId, name, created_at: nowIso() });
    await createApiKey(trx, workspaceId, 'admin', ['admin'], plain);
  });
  return { workspaceId, secret: plain };
}

/** Creates a key that belongs to one of the workspace's users (404 when there is no such live user). */
export async function createUserApiKey(db: Db, workspaceId: string, userId: string, name: string, scopes: Scope[]): Promise<{ key: ApiKeyView; secret: string }> {
  if (!(await q.findLiveUser(db, workspaceId, userId))) throw new AppError(404, 'not_found', 'user not found', [{ path: 'body.user_uuid', message: 'names no user of this workspace' }]);
  return createApiKey(db, workspaceId, name, scopes, undefined, userId);
}

/** What a key row authorizes: null when revoked or its user was deleted; a user's key is capped by the user's role. */
function keyAuth(row: { id: string; workspace_id: string; scopes: string; revoked_at: string | null; user_id: string | null; role: UserRole | null; deleted_at: string | null }): AuthContext | null {
  if (row.revoked_at || (row.user_id && (row.deleted_at || !row.role))) return null;
  const scopes: Scope[] = parseJson(row.scopes, []);
  const role = row.user_id ? row.role : null;
  return { workspaceId: row.workspace_id, keyId: row.id, scopes: role ? capScopes(scopes, role) : scopes, userId: row.user_id ?? null, role, sessionId: null };
}

/** Lists a workspace's keys. */
export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKeyView[]> {
  return (await q.listApiKeys(db, workspaceId)).map(view);
}

/** Verifies bearer secrets against stored hashes, with a short-lived in-process cache. */
export class KeyVerifier {
  private readonly db: Db;
  private readonly cache = new Map<string, { auth: AuthContext | null; expires: number }>();
  private readonly touched = new Map<string, number>();

  constructor(db: Db) {
    this.db = db;
  }

  /** The caller behind a bearer secret, or null when the key is unknown or revoked. */
  async verify(secret: string): Promise<AuthContext | null> {
    const hash = sha256(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    let auth: AuthContext | null;
    if (cached && cached.expires > now) {
      auth = cached.auth;
    } else {
      const row = await q.findKeyByHash(this.db, hash);
      auth = row ? keyAuth(row) : null;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { auth, expires: now + CACHE_TTL_MS });
    }
    if (auth && (this.touched.get(auth.keyId) ?? 0) + TOUCH_EVERY_MS < now) {
      this.touched.set(auth.keyId, now);
      await q.touchApiKey(this.db, auth.keyId, new Date(now).toISOString());
    }
    return auth;
  }

  /** Revokes every key of a user (deleted) and forgets them at once in this process. */
  async revokeUserKeys(userId: string): Promise<void> {
    for (const hash of await q.revokeUserKeys(this.db, userId, nowIso())) this.cache.delete(hash);
  }

  /** Forgets every cached answer (a user's role changed: their keys' rights change at once in this process). */
  forgetAll(): void {
    this.cache.clear();
  }

  /** Revokes a key and forgets it at once in this process. */
  async revoke(workspaceId: string, keyId: string): Promise<ApiKeyView> {
    const row = await q.findApiKey(this.db, workspaceId, keyId);
    if (!row) throw notFound('api key');
    if (!row.revoked_at) {
      row.revoked_at = nowIso();
      await q.revokeApiKey(this.db, workspaceId, keyId, row.revoked_at);
    }
    this.cache.delete(row.key_hash);
    return view(row);
  }
}
