import type { UserRole } from '../db/enums.ts';

/** What a key may do: read (GET), full (read and write), admin (full plus keys and workspace settings). */
export const SCOPES = ['read', 'full', 'admin'] as const;

/** One of SCOPES. */
export type Scope = (typeof SCOPES)[number];

const RANK: Record<Scope, number> = { read: 1, full: 2, admin: 3 };

/** The widest scope a user's role grants: an admin has today's admin scope, an agent reads and writes (agent routes only). */
export const ROLE_SCOPE: Record<UserRole, Scope> = { admin: 'admin', agent: 'full' };

/** True when a key holding `held` may call a route that needs `needed`. */
export function allows(held: readonly Scope[], needed: Scope): boolean {
  return held.some((scope) => RANK[scope] >= RANK[needed]);
}

/** A user's key acts with min(its scopes, the user's role): each scope above the role's is lowered to it. */
export function capScopes(held: readonly Scope[], role: UserRole): Scope[] {
  const cap = ROLE_SCOPE[role];
  return [...new Set(held.map((scope) => (RANK[scope] > RANK[cap] ? cap : scope)))];
}

/**
 * True when a caller of `role` may call a route needing `needed` whose config says `agents`: admins and workspace
 * keys (role null) always (their scopes decide); agents never on admin routes, on read routes unless `agents: false`,
 * on full routes only with `agents: true`.
 */
export function roleAllows(role: UserRole | null, needed: Scope, agents: boolean | undefined): boolean {
  if (role !== 'agent') return true;
  if (needed === 'admin') return false;
  return agents ?? needed === 'read';
}
