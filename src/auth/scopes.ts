/** What a key may do: read (GET), full (read and write), admin (full plus keys and workspace settings). */
export const SCOPES = ['read', 'full', 'admin'] as const;

/** One of SCOPES. */
export type Scope = (typeof SCOPES)[number];

const RANK: Record<Scope, number> = { read: 1, full: 2, admin: 3 };

/** True when a key holding `held` may call a route that needs `needed`. */
export function allows(held: readonly Scope[], needed: Scope): boolean {
  return held.some((scope) => RANK[scope] >= RANK[needed]);
}
