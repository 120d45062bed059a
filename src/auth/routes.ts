import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { createApiKey, listApiKeys, type KeyVerifier } from './service.ts';
import { findWorkspace } from './queries.ts';
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
});
nameSchema('ApiKey', ApiKey);
const ScopeList = Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true });

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

/** Routes for API keys and the caller's identity. */
export function authRoutes(app: App, deps: Deps, verifier: KeyVerifier): void {
  app.get('/v1/auth/me', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getAuthMe',
      tags: ['auth'], summary: 'The workspace and key behind the bearer token',
      response: { 200: Type.Object({ workspace: Type.Object({ uuid: Type.String(), name: Type.String() }), api_key: Type.Object({ uuid: Type.String(), scopes: ScopeList }) }) },
    },
  }, async (request) => {
    const workspace = await findWorkspace(deps.db, request.auth.workspaceId);
    return { workspace: { uuid: request.auth.workspaceId, name: workspace?.name ?? '' }, api_key: { uuid: request.auth.keyId, scopes: request.auth.scopes } };
  });

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
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Optional(ScopeList) }),
      response: { 201: Type.Object({ api_key: Type.Intersect([ApiKey, Type.Object({ key: Type.String({ description: 'The secret, shown once' }) })]) }) },
    },
  }, async (request, reply) => {
    const { key, secret } = await createApiKey(deps.db, request.auth.workspaceId, request.body.name, request.body.scopes ?? ['full']);
    return reply.code(201).send({ api_key: { ...key, key: secret } });
  });

  app.delete('/v1/api_keys/:uuid', {
    config: { scope: 'admin' },
    schema: { operationId: 'revokeApiKey', tags: ['auth'], summary: 'Revoke an API key', params: UuidParams, response: { 200: Type.Object({ api_key: ApiKey }) } },
  }, async (request) => ({ api_key: await verifier.revoke(request.auth.workspaceId, request.params.uuid) }));
}
