import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { CreateCustomFieldBody, CustomFieldSchema, UpdateCustomFieldBody } from '../schema.ts';
import { UuidParams } from '../../system/schemas.ts';
import { createCustomField, deleteCustomField, getCustomField, listCustomFields, updateCustomField } from './service.ts';

const tags = ['custom fields'];
const One = Type.Object({ custom_field: CustomFieldSchema });

/** Routes for custom field definitions, which type and validate contacts' custom_fields values. */
export function customFieldRoutes(app: App, deps: Deps): void {
  app.get('/v1/custom_fields', {
    config: { scope: 'read' },
    schema: { operationId: 'listCustomFields', tags, summary: 'List custom field definitions', response: { 200: Type.Object({ custom_fields: Type.Array(CustomFieldSchema) }) } },
  }, async (request) => ({ custom_fields: await listCustomFields(deps.db, request.auth.workspaceId) }));

  app.post('/v1/custom_fields', {
    config: { scope: 'full' },
    schema: {
      operationId: 'createCustomField',
      tags, body: CreateCustomFieldBody, response: { 201: One },
      summary: 'Define a custom field',
      description: 'Values of contacts\' custom_fields under this key are then checked on create and update: text → string ≤ 1000 characters; '
        + 'email → valid address (stored lower-cased); number → finite number (a numeric string is converted); date → YYYY-MM-DD; '
        + 'checkbox → true/false (or "true"/"false"); dropdown → one of `options`. Values stored before the definition existed are not re-checked. '
        + 'A key taken in the workspace is a 409 with `existing_uuid`.',
    },
  }, async (request, reply) => reply.code(201).send({ custom_field: await createCustomField(deps.db, request.auth.workspaceId, request.body) }));

  app.get('/v1/custom_fields/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getCustomField', tags, summary: 'Get a custom field definition', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ custom_field: await getCustomField(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/custom_fields/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateCustomField',
      tags, summary: 'Change a custom field\'s label or dropdown options (key and type are immutable; existing values are not re-checked)',
      params: UuidParams, body: UpdateCustomFieldBody, response: { 200: One },
    },
  }, async (request) => ({ custom_field: await updateCustomField(deps.db, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/custom_fields/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'deleteCustomField',
      tags, summary: 'Delete a custom field definition (contacts keep their values under the key, as unchecked free values)',
      params: UuidParams, response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await deleteCustomField(deps.db, request.auth.workspaceId, request.params.uuid);
    return reply.code(204).send(null);
  });
}
