import type { UsersTable } from '../db/types.ts';

/** A user as the API shows it (never the password hash). */
export interface UserView {
  uuid: string;
  email: string;
  name: string;
  role: UsersTable['role'];
  availability: UsersTable['availability'];
  custom_status: string | null;
  /** False until the user set a password (from their invitation). */
  has_password: boolean;
  created_at: string;
  updated_at: string;
}

/** The API view of a user row. */
export function userView(row: UsersTable): UserView {
  return {
    uuid: row.id, email: row.email, name: row.name, role: row.role, availability: row.availability, custom_status: row.custom_status,
    has_password: row.password_hash !== null, created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** A one-time link (invitation, password reset, bootstrap) as the API answers it. */
export interface LinkView {
  url: string;
  expires_at: string;
}
