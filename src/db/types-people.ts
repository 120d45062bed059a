import type { UserAvailability, UserRole, UserTokenKind } from './enums.ts';
import type { Timestamp } from './types.ts';

// The people tables (team inbox), part of the one Database interface of types.ts.

/** A person of a workspace: an admin or an agent. */
export interface UsersTable {
  id: string;
  workspace_id: string;
  /** Lower-cased; unique among all workspaces. */
  email: string;
  name: string;
  role: UserRole;
  availability: UserAvailability;
  /** A custom status (Callbell's custom_statuses), e.g. "At lunch"; null when none. */
  custom_status: string | null;
  /** scrypt hash (`scrypt$N$r$p$salt$hash`), null until the user set a password from an invitation. */
  password_hash: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set when the user was removed (kept so that authored messages and notes still name them). */
  deleted_at: Timestamp | null;
}

/** A team of users (conversations are assigned to a team, a user, or both). */
export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** 1: conversations that open for this team are assigned round-robin among its available members. */
  auto_assign: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A user's membership of a team. */
export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** A signed-in browser: the hash of its session cookie, with a sliding idle expiry and an absolute one. */
export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** sha256 of the cookie's token (the token itself is never stored). */
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** Moves forward as the session is used (BECKON_SESSION_IDLE_SECONDS after the last use). */
  idle_expires_at: Timestamp;
  /** Never moves (BECKON_SESSION_MAX_SECONDS after sign-in). */
  expires_at: Timestamp;
}

/** A one-time link's token (invitation, password reset, bootstrap), stored as a hash; used once, then dead. */
export interface UserTokensTable {
  id: string;
  workspace_id: string;
  /** null for the bootstrap link (it creates its admin user when accepted). */
  user_id: string | null;
  kind: UserTokenKind;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A workspace's preset custom status (Callbell's custom_statuses), offered for a user's custom_status. */
export interface CustomStatusesTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: Timestamp;
}
