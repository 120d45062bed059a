import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import type { KeyVerifier } from '../auth/service.ts';
import { AppError } from '../errors.ts';
import { PageMeta, PageQuery, UuidParams } from '../system/schemas.ts';
import { CreateUserBody, LinkSchema, StatusBody, UpdateUserBody, UserSchema } from './schema.ts';
import { createUser, deleteUser, findUserOr404, listUsers, resetLink, updateUser } from './service.ts';
import { userView } from './view.ts';

const tags = ['users'];
const One = Type.Object({ user: UserSchema });

/** Routes for the workspace's users: CRUD (admins), a user's own status (anyone signed in as a user), reset links. */
export function userRoutes(app: App, deps: Deps, verifier: KeyVerifier): void {
  app.get('/v1/users', {
    config: { scope: 'read' },
    schema: { operationId: 'listUsers', tags, summary: 'List the workspace\'s users, newest first', querystring: PageQuery, response: { 200: Type.Object({ users: Type.Array(UserSchema), meta: PageMeta }) } },
  }, async (request) => listUsers(deps.db, request.auth.workspaceId, request.query));

  app.post('/v1/users', {
    config: { scope: 'admin', idempotent: false },
    schema: {
      operationId: 'createUser', tags, summary: 'Create a user; the answer holds their one-time invitation link (to set a password)',
      description: 'Beckon sends no email: hand the invitation link over. It lives BECKON_INVITATION_TTL_HOURS hours and works once. Emails are unique among all workspaces.',
      body: CreateUserBody, response: { 201: Type.Object({ user: UserSchema, invitation: LinkSchema }) },
    },
  }, async (request, reply) => {
    const { user, invitation } = await createUser(deps.db, deps.config, request.auth.workspaceId, request.body);
    return reply.code(201).send({ user, invitation: invitation! });
  });

  app.patch('/v1/users/me/status', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'updateMyStatus', tags, summary: 'Set your availability and custom status (records agent_status_updated)',
      description: 'For a user\'s session or a user\'s key; a workspace key acts as no user (400: use PATCH /v1/users/{uuid}).',
      body: StatusBody, response: { 200: One },
    },
  }, async (request) => {
    if (!request.auth.userId) throw new AppError(400, 'bad_request', 'a workspace key acts as no user: use PATCH /v1/users/{uuid}, or a user\'s key or session');
    return { user: await updateUser(deps, verifier, request.auth.workspaceId, request.auth.userId, request.body) };
  });

  app.get('/v1/users/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getUser', tags, summary: 'Get a user', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ user: userView(await findUserOr404(deps.db, request.auth.workspaceId, request.params.uuid)) }));

  app.patch('/v1/users/:uuid', {
    config: { scope: 'admin' },
    schema: { operationId: 'updateUser', tags, summary: 'Change a user (a new role applies to their keys and sessions at once)', params: UuidParams, body: UpdateUserBody, response: { 200: One } },
  }, async (request) => ({ user: await updateUser(deps, verifier, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/users/:uuid', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'deleteUser', tags, summary: 'Delete a user: their keys are revoked, their sessions end, they leave their teams',
      description: 'The last admin cannot be deleted (409). The row is kept, without email, so what they wrote still names them.',
      params: UuidParams, response: { 200: One },
    },
  }, async (request) => ({ user: await deleteUser(deps.db, verifier, request.auth.workspaceId, request.params.uuid) }));

  app.post('/v1/users/:uuid/reset-link', {
    config: { scope: 'admin', idempotent: false },
    schema: {
      operationId: 'createUserResetLink', tags, summary: 'A one-time password reset link for a user (1 hour), to hand over: Beckon sends no email',
      params: UuidParams, response: { 201: Type.Object({ reset_link: LinkSchema }) },
    },
  }, async (request, reply) => reply.code(201).send({ reset_link: await resetLink(deps.db, deps.config, request.auth.workspaceId, request.params.uuid) }));
}
