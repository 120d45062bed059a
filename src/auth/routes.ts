import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { createApiKey, createUserApiKey, listApiKeys, type KeyVerifier } from './service.ts';
import { getWorkspace, updateWorkspace } from './workspace.ts';
import { UuidParams } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const ScopeSchema = Type.Union([Type.Literal('read'), Type.Literal('full'), Type.Literal('admin')]);

const ApiKey = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  scopes: Type.Array(ScopeSchema),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  user_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The user the key belongs to (it acts with min(its scopes, the user\'s role)); null: a workspace key' }),
});
nameSchema('ApiKey', ApiKey);
const ScopeList = Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true });

/** A list of scopes, as GET /v1/auth/me answers them. */
export const ScopeListSchema = ScopeList;

const Workspace = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  time_zone: Type.Union([Type.String(), Type.Null()], { description: 'The default IANA time zone (automation date triggers read dates in it); null: UTC' }),
  created_at: Type.String({ format: 'date-time' }),
});
nameSchema('Workspace', Workspace);
const UpdateWorkspaceBody = Type.Object({
  time_zone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'An IANA time zone (America/Montreal), or null for UTC' })),
}, { additionalProperties: false });
nameSchema('UpdateWorkspaceBody', UpdateWorkspaceBody);

/** Routes for API keys and the workspace's settings (GET /v1/auth/me is in users/, which knows users). */
export function authRoutes(app: App, deps: Deps, verifier: KeyVerifier): void {
  app.get('/v1/workspace', {
    config: { scope: 'read' },
    schema: { operationId: 'getWorkspace', tags: ['auth'], summary: 'The caller\'s workspace and its settings', response: { 200: Type.Object({ workspace: Workspace }) } },
  }, async (request) => ({ workspace: await getWorkspace(deps.db, request.auth.workspaceId) }));

  app.patch('/v1/workspace', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'updateWorkspace', tags: ['auth'], summary: 'Change the workspace\'s settings (its default time zone)', body: UpdateWorkspaceBody,
      response: { 200: Type.Object({ workspace: Workspace }) },
    },
  }, async (request) => ({ workspace: await updateWorkspace(deps.db, request.auth.workspaceId, request.body) }));

  app.get('/v1/api_keys', {
    config: { scope: 'admin' },
    schema: { operationId: 'listApiKeys', tags: ['auth'], summary: 'List the workspace\'s API keys (secrets are never shown again)', response: { 200: Type.Object({ api_keys: Type.Array(ApiKey) }) } },
  }, async (request) => ({ api_keys: await listApiKeys(deps.db, request.auth.workspaceId) }));

  app.post('/v1/api_keys', {
    config: { scope: 'admin', idempotent: false },
    schema: {
      operationId: 'createApiKey',
      tags: ['auth'], summary: 'Create an API key; its secret is in the answer once',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Optional(ScopeList),
        user_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'Make it a key of this user: it acts with min(its scopes, the user\'s role), and dies with the user' })),
      }),
      response: { 201: Type.Object({ api_key: Type.Intersect([ApiKey, Type.Object({ key: Type.String({ description: 'The secret, shown once' }) })]) }) },
    },
  }, async (request, reply) => {
    const { name, scopes = ['full'], user_uuid: userId } = request.body;
    const { workspaceId } = request.auth;
    const { key, secret } = userId ? await createUserApiKey(deps.db, workspaceId, userId, name, scopes) : await createApiKey(deps.db, workspaceId, name, scopes);
    return reply.code(201).send({ api_key: { ...key, key: secret } });
  });

  app.delete('/v1/api_keys/:uuid', {
    config: { scope: 'admin' },
    schema: { operationId: 'revokeApiKey', tags: ['auth'], summary: 'Revoke an API key', params: UuidParams, response: { 200: Type.Object({ api_key: ApiKey }) } },
  }, async (request) => ({ api_key: await verifier.revoke(request.auth.workspaceId, request.params.uuid) }));
}
