import type { UserAvailability, UserRole } from './enums.ts';
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
