import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { AppError } from '../errors.ts';
import { clearedCookies, sessionCookies } from '../auth/sessions.ts';
import { signOut, sweepExpiredSessions } from './session-events.ts';
import { ScopeListSchema } from '../auth/routes.ts';
import { findWorkspace } from '../auth/queries.ts';
import { AcceptBody, LoginBody, ResetConfirmBody, ResetRequestBody, UserSchema } from './schema.ts';
import { acceptInvitation, confirmPasswordReset, login, requestPasswordReset, type SignedIn } from './account.ts';
import { findUserOr404 } from './service.ts';
import { userView } from './view.ts';

const tags = ['auth'];
const SignedInSchema = Type.Object({ user: UserSchema });

/** Sends a signed-in user with their session and CSRF cookies. */
function signedIn(deps: Deps, reply: FastifyReply, result: SignedIn) {
  return reply.header('set-cookie', sessionCookies(deps.config, result.token)).send({ user: result.user });
}

/** Per-email and per-address counters of sign-in attempts on the app's rate-limit store (shared across processes on PostgreSQL). */
function loginLimiter(app: App, deps: Deps) {
  const window = deps.config.loginRateLimitWindowMs;
  const never = () => false;
  const byEmail = app.createRateLimit({ max: deps.config.loginRateLimit, timeWindow: window, allowList: never, keyGenerator: (req) => `login-email:${String((req.body as { email?: unknown })?.email ?? '').trim().toLowerCase()}` });
  const byAddress = app.createRateLimit({ max: deps.config.loginRateLimit * 5, timeWindow: window, allowList: never, keyGenerator: (req) => `login-ip:${req.ip}` });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const limiter of [byAddress, byEmail]) {
      const state = await limiter(request);
      if (!state.isAllowed && state.isExceeded) {
        reply.header('retry-after', String(state.ttlInSeconds));
        throw new AppError(429, 'rate_limited', `too many sign-in attempts: try again in ${state.ttlInSeconds} s`);
      }
    }
  };
}

/** Sign-in routes: login, logout, the caller's identity, invitations and password resets. */
export function accountRoutes(app: App, deps: Deps): void {
  const limitLogin = loginLimiter(app, deps);
  // expired sessions are refused when used; this deletes them hourly, recording each end (agent_session_updated)
  const sweeper = setInterval(() => sweepExpiredSessions(deps).catch((err) => deps.log.warn({ err }, 'session sweep failed')), 3_600_000);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.post('/v1/auth/login', {
    config: { scope: 'public', idempotent: false },
    schema: {
      operationId: 'login', tags, summary: 'Sign in with email and password: answers the user and sets the session cookie',
      description: 'Sets `beckon_session` (HttpOnly, SameSite=Lax, Secure behind https) and `beckon_csrf` (readable by scripts: send it back as X-CSRF-Token on every write). Rate limited per email and per client address (429 with Retry-After).',
      body: LoginBody, response: { 200: SignedInSchema },
    },
  }, async (request, reply) => {
    await limitLogin(request, reply);
    return signedIn(deps, reply, await login(deps, request.body.email, request.body.password));
  });

  app.post('/v1/auth/logout', {
    config: { scope: 'read' },
    schema: { operationId: 'logout', tags, summary: 'End the session (and delete its cookies; records agent_session_updated); with an API key it does nothing', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await signOut(deps, request.auth);
    return reply.code(204).header('set-cookie', clearedCookies(deps.config)).send(null);
  });

  app.get('/v1/auth/me', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getAuthMe', tags, summary: 'The workspace, key and user behind the request (a bearer key or a session)',
      response: {
        200: Type.Object({
          workspace: Type.Object({ uuid: Type.String(), name: Type.String() }),
          api_key: Type.Union([Type.Object({ uuid: Type.String(), scopes: ScopeListSchema }), Type.Null()], { description: 'null for a session' }),
          user: Type.Union([UserSchema, Type.Null()], { description: 'The user of a session or of a user\'s key; null for a workspace key' }),
          scopes: ScopeListSchema,
        }),
      },
    },
  }, async (request) => {
    const { workspaceId, keyId, scopes, userId, sessionId } = request.auth;
    const workspace = await findWorkspace(deps.db, workspaceId);
    const user = userId ? userView(await findUserOr404(deps.db, workspaceId, userId)) : null;
    return { workspace: { uuid: workspaceId, name: workspace?.name ?? '' }, api_key: sessionId ? null : { uuid: keyId, scopes }, user, scopes };
  });

  app.post('/v1/auth/invitations/accept', {
    config: { scope: 'public', idempotent: false },
    schema: {
      operationId: 'acceptInvitation', tags, summary: 'Set your password from an invitation link (or the first start\'s link) and sign in',
      description: 'The token is the last part of the link. The first start\'s link also needs `email` and `name`: it creates the first admin user.',
      body: AcceptBody, response: { 200: SignedInSchema },
    },
  }, async (request, reply) => signedIn(deps, reply, await acceptInvitation(deps, request.body)));

  app.post('/v1/auth/password-reset', {
    config: { scope: 'public', idempotent: false },
    schema: {
      operationId: 'requestPasswordReset', tags, summary: 'Ask for a password reset link: always 202',
      description: 'Beckon has no mailer for this: when the email is a user\'s, the link is written to the server log (info level), and an admin can make one with POST /v1/users/{uuid}/reset-link.',
      body: ResetRequestBody, response: { 202: Type.Object({ status: Type.Literal('accepted') }) },
    },
  }, async (request, reply) => {
    await limitLogin(request, reply);
    await requestPasswordReset(deps, request.body.email);
    return reply.code(202).send({ status: 'accepted' as const });
  });

  app.post('/v1/auth/password-reset/confirm', {
    config: { scope: 'public', idempotent: false },
    schema: {
      operationId: 'confirmPasswordReset', tags, summary: 'Set a new password from a reset link: every other session ends, and you are signed in',
      body: ResetConfirmBody, response: { 200: SignedInSchema },
    },
  }, async (request, reply) => signedIn(deps, reply, await confirmPasswordReset(deps, request.body)));
}
