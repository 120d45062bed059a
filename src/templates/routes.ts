import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import * as s from './schema.ts';
import * as svc from './service.ts';
import { UuidParams } from '../system/schemas.ts';

const tags = ['templates'];
const One = Type.Object({ template: s.TemplateSchema });

/** Routes to create, read, change and delete the workspace's message templates (sync lives in sync-routes.ts). */
export function templateRoutes(app: App, deps: Deps): void {
  const { db } = deps;

  app.post('/v1/templates', {
    config: { scope: 'full' },
    schema: { operationId: 'createTemplate', tags, summary: 'Create a template: a body with {{1}} or {{name}} variables; WhatsApp templates may have a header, footer and buttons', body: s.CreateTemplateBody, response: { 201: One } },
  }, async (request, reply) => reply.code(201).send({ template: await svc.createTemplate(db, request.auth.workspaceId, request.body) }));

  app.get('/v1/templates', {
    config: { scope: 'read' },
    schema: { operationId: 'listTemplates', tags, summary: 'List templates, newest first', querystring: s.ListTemplatesQuery, response: { 200: s.TemplateListReply } },
  }, async (request) => {
    const { channel_type, channel_uuid, status, category, name, limit = 20, cursor } = request.query;
    const page = await svc.listTemplates(db, request.auth.workspaceId, { channelType: channel_type, channelId: channel_uuid, status, category, name }, limit, cursor);
    return { templates: page.templates, meta: { next_cursor: page.next_cursor } };
  });

  app.get('/v1/templates/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getTemplate', tags, summary: 'Get a template', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ template: await svc.getTemplate(db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/templates/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'updateTemplate', tags, summary: 'Change a template (checked as a whole, as at creation); status approved lets it send', params: UuidParams, body: s.UpdateTemplateBody, response: { 200: One } },
  }, async (request) => ({ template: await svc.updateTemplate(db, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/templates/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteTemplate', tags, summary: 'Delete a template (messages sent with it keep its uuid)', params: UuidParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await svc.deleteTemplate(db, request.auth.workspaceId, request.params.uuid);
    return reply.code(204).send(null);
  });
}
