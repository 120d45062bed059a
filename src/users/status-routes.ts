import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { UuidParams } from '../system/schemas.ts';
import * as q from './queries.ts';
import { CustomStatusSchema } from './schema.ts';

const tags = ['users'];

function view(row: { id: string; name: string; created_at: string }) {
  return { uuid: row.id, name: row.name, created_at: row.created_at };
}

/** Routes for the workspace's preset custom statuses (Callbell's custom_statuses); a user's custom_status is free text. */
export function customStatusRoutes(app: App, deps: Deps): void {
  app.get('/v1/custom_statuses', {
    config: { scope: 'read' },
    schema: { operationId: 'listCustomStatuses', tags, summary: 'List the workspace\'s preset custom statuses, by name', response: { 200: Type.Object({ custom_statuses: Type.Array(CustomStatusSchema) }) } },
  }, async (request) => ({ custom_statuses: (await q.listCustomStatuses(deps.db, request.auth.workspaceId)).map(view) }));

  app.post('/v1/custom_statuses', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'createCustomStatus', tags, summary: 'Add a preset custom status (its name is unique in the workspace)',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ custom_status: CustomStatusSchema }) },
    },
  }, async (request, reply) => {
    const name = request.body.name.trim();
    if (await q.findCustomStatusByName(deps.db, request.auth.workspaceId, name)) {
      throw new AppError(409, 'conflict', `a custom status named "${name}" already exists`, [{ path: 'body.name', message: 'is taken' }]);
    }
    const row = { id: newId(), workspace_id: request.auth.workspaceId, name, created_at: nowIso() };
    await q.insertCustomStatus(deps.db, row);
    return reply.code(201).send({ custom_status: view(row) });
  });

  app.delete('/v1/custom_statuses/:uuid', {
    config: { scope: 'admin' },
    schema: { operationId: 'deleteCustomStatus', tags, summary: 'Delete a preset custom status (users showing it keep their text)', params: UuidParams, response: { 200: Type.Object({ custom_status: CustomStatusSchema }) } },
  }, async (request) => {
    const row = await q.deleteCustomStatus(deps.db, request.auth.workspaceId, request.params.uuid);
    if (!row) throw notFound('custom status');
    return { custom_status: view(row) };
  });
}
