import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { PageMeta, PageQuery, UuidParams } from '../system/schemas.ts';
import { CreateFunnelBody, FunnelSchema, UpdateFunnelBody } from './schema.ts';
import { createFunnel, deleteFunnel, getFunnel, listFunnels, updateFunnel } from './service.ts';

const tags = ['funnels'];
const One = Type.Object({ funnel: FunnelSchema });

/** Routes for funnels (pipelines) and their ordered stages. */
export function funnelRoutes(app: App, deps: Deps): void {
  app.post('/v1/funnels', {
    config: { scope: 'full' },
    schema: { operationId: 'createFunnel', tags, body: CreateFunnelBody, response: { 201: One }, summary: 'Create a funnel with its ordered stages' },
  }, async (request, reply) => reply.code(201).send({ funnel: await createFunnel(deps.db, request.auth.workspaceId, request.body) }));

  app.get('/v1/funnels', {
    config: { scope: 'read' },
    schema: { operationId: 'listFunnels', tags, querystring: PageQuery, response: { 200: Type.Object({ funnels: Type.Array(FunnelSchema), meta: PageMeta }) }, summary: 'List funnels, newest first' },
  }, async (request) => listFunnels(deps.db, request.auth.workspaceId, request.query));

  app.get('/v1/funnels/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getFunnel', tags, params: UuidParams, response: { 200: One }, summary: 'Get a funnel with its stages' },
  }, async (request) => ({ funnel: await getFunnel(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/funnels/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateFunnel', tags, params: UuidParams, body: UpdateFunnelBody, response: { 200: One }, summary: 'Rename a funnel or replace its stages',
      description: '`stages` is the whole new list in order: a stage given with its uuid is kept (renamed, moved), one without is created, one left out is deleted (its conversations lose their stage).',
    },
  }, async (request) => ({ funnel: await updateFunnel(deps.db, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/funnels/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteFunnel', tags, params: UuidParams, response: { 200: Type.Object({ status: Type.Literal('funnel was destroyed') }) }, summary: 'Delete a funnel and its stages' },
  }, async (request) => {
    await deleteFunnel(deps.db, request.auth.workspaceId, request.params.uuid);
    return { status: 'funnel was destroyed' as const };
  });
}
