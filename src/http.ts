import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Scope } from './auth/scopes.ts';
import type { UserRole } from './db/enums.ts';

/** The Fastify instance type every routes.ts registers on (TypeBox-typed requests). */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Who is calling: set by the auth hook on every authenticated request. */
export interface AuthContext {
  workspaceId: string;
  keyId: string;
  scopes: Scope[];
  /** The user the caller acts as (a user's key or session), null for a workspace key. */
  userId: string | null;
  /** That user's role (an agent's key or session may call only agent routes: see `agents`), null for a workspace key. */
  role: UserRole | null;
  /** The session behind a cookie-authenticated request (keyId is then the session's id too), null for an API key. */
  sessionId: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; 'public' skips authentication. Routes without one need admin. */
    scope?: Scope | 'public';
    /**
     * Whether a user with the agent role (their session or their key) may call the route. Unset: read routes yes,
     * full routes no, admin routes never. Contacts, messages, conversations and a user's own status say true.
     */
    agents?: boolean;
    /** false on a POST whose answer carries a secret stored only hashed: it is never kept for replay, so Idempotency-Key is ignored. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext;
  }
}
