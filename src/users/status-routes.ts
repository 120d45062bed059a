import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { UuidParams } from '../system/schemas.ts';
import { createCustomStatus, deleteCustomStatus, listCustomStatuses } from './custom-statuses.ts';
import { CustomStatusSchema } from './schema.ts';

const tags = ['users'];

/** Routes for the workspace's preset custom statuses (Callbell's custom_statuses); a user's custom_status is free text. */
export function customStatusRoutes(app: App, deps: Deps): void {
  app.get('/v1/custom_statuses', {
    config: { scope: 'read' },
    schema: { operationId: 'listCustomStatuses', tags, summary: 'List the workspace\'s preset custom statuses, by name', response: { 200: Type.Object({ custom_statuses: Type.Array(CustomStatusSchema) }) } },
  }, async (request) => ({ custom_statuses: await listCustomStatuses(deps.db, request.auth.workspaceId) }));

  app.post('/v1/custom_statuses', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'createCustomStatus', tags, summary: 'Add a preset custom status (its name is unique in the workspace)',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ custom_status: CustomStatusSchema }) },
    },
  }, async (request, reply) => reply.code(201).send({ custom_status: await createCustomStatus(deps.db, request.auth.workspaceId, request.body.name) }));

  app.delete('/v1/custom_statuses/:uuid', {
    config: { scope: 'admin' },
    schema: { operationId: 'deleteCustomStatus', tags, summary: 'Delete a preset custom status (users showing it keep their text)', params: UuidParams, response: { 200: Type.Object({ custom_status: CustomStatusSchema }) } },
  }, async (request) => ({ custom_status: await deleteCustomStatus(deps.db, request.auth.workspaceId, request.params.uuid) }));
}
