import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { nameSchema } from '../system/components.ts';
import { PageMeta, PageQuery, UuidParams } from '../system/schemas.ts';
import { UserSchema } from '../users/schema.ts';
import { createTeam, deleteTeam, editMembers, getTeam, listMembers, listTeams, updateTeam } from './service.ts';

const tags = ['teams'];
const TeamSchema = nameSchema('Team', Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  auto_assign: Type.Boolean({ description: 'Conversations that open for the team are assigned round-robin among its available members' }),
  member_uuids: Type.Array(Type.String({ format: 'uuid' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}));
const One = Type.Object({ team: TeamSchema });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const UserUuids = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 });
const MemberParams = Type.Object({ uuid: Type.String({ format: 'uuid' }), user_uuid: Type.String({ format: 'uuid' }) });

/** Routes for teams and their members (changes record team_membership_updated). */
export function teamRoutes(app: App, deps: Deps): void {
  app.get('/v1/teams', {
    config: { scope: 'read' },
    schema: { operationId: 'listTeams', tags, summary: 'List teams, newest first', querystring: PageQuery, response: { 200: Type.Object({ teams: Type.Array(TeamSchema), meta: PageMeta }) } },
  }, async (request) => listTeams(deps.db, request.auth.workspaceId, request.query));

  app.post('/v1/teams', {
    config: { scope: 'full' },
    schema: {
      operationId: 'createTeam', tags, summary: 'Create a team (its name is unique in the workspace)',
      body: Type.Object({ name: Name, auto_assign: Type.Optional(Type.Boolean()), user_uuids: Type.Optional(UserUuids) }, { additionalProperties: false }),
      response: { 201: One },
    },
  }, async (request, reply) => reply.code(201).send({ team: await createTeam(deps, request.auth.workspaceId, request.body) }));

  app.get('/v1/teams/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getTeam', tags, summary: 'Get a team', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ team: await getTeam(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/teams/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateTeam', tags, summary: 'Rename a team or switch its auto-assignment', params: UuidParams,
      body: Type.Object({ name: Type.Optional(Name), auto_assign: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: One },
    },
  }, async (request) => ({ team: await updateTeam(deps.db, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/teams/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteTeam', tags, summary: 'Delete a team', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ team: await deleteTeam(deps, request.auth.workspaceId, request.params.uuid) }));

  app.get('/v1/teams/:uuid/members', {
    config: { scope: 'read' },
    schema: { operationId: 'listTeamMembers', tags, summary: 'List a team\'s members', params: UuidParams, response: { 200: Type.Object({ members: Type.Array(UserSchema) }) } },
  }, async (request) => ({ members: await listMembers(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.put('/v1/teams/:uuid/members', {
    config: { scope: 'full' },
    schema: {
      operationId: 'setTeamMembers', tags, summary: 'Replace a team\'s members', params: UuidParams,
      body: Type.Object({ user_uuids: UserUuids }, { additionalProperties: false }), response: { 200: One },
    },
  }, async (request) => ({ team: await editMembers(deps, request.auth.workspaceId, request.params.uuid, { set: request.body.user_uuids }) }));

  app.post('/v1/teams/:uuid/members', {
    config: { scope: 'full' },
    schema: {
      operationId: 'addTeamMember', tags, summary: 'Add a member to a team (already a member: no change)', params: UuidParams,
      body: Type.Object({ user_uuid: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: One },
    },
  }, async (request) => ({ team: await editMembers(deps, request.auth.workspaceId, request.params.uuid, { add: request.body.user_uuid }) }));

  app.delete('/v1/teams/:uuid/members/:user_uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'removeTeamMember', tags, summary: 'Remove a member from a team', params: MemberParams, response: { 200: One } },
  }, async (request) => ({ team: await editMembers(deps, request.auth.workspaceId, request.params.uuid, { remove: request.params.user_uuid }) }));
}
