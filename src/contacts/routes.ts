import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { ContactListSchema, ContactSchema, CreateContactBody, ListContactsQuery, UpdateContactBody } from './schema.ts';
import { createContact, deleteContact, getContact, getContactByPhone, updateContact } from './service.ts';
import { listContacts } from './list-service.ts';
import { UuidParams } from '../system/schemas.ts';

const tags = ['contacts'];
const One = Type.Object({ contact: ContactSchema });

/** Routes for contacts, with Callbell's paths and shapes. */
export function contactRoutes(app: App, deps: Deps): void {
  app.post('/v1/contacts', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'createContact',
      tags, body: CreateContactBody, response: { 201: One },
      summary: 'Create a contact',
      description: 'Needs a phone (any format; `identifier` is Callbell\'s alias) or an email. The phone is stored in E.164, the email lower-cased. '
        + 'custom_fields are checked against the workspace\'s definitions; a key without a definition takes a string (≤ 1000 characters), number or boolean. '
        + 'A phone or email already used in the workspace is a 409 `duplicate_contact` with `existing_uuid`. Emits contact_created.',
    },
  }, async (request, reply) => reply.code(201).send({ contact: await createContact(deps.db, deps, request.auth.workspaceId, request.body) }));

  app.get('/v1/contacts', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listContacts',
      tags, querystring: ListContactsQuery, response: { 200: ContactListSchema },
      summary: 'List contacts, newest first',
      description: 'Filters combine with AND: tags (comma-separated, all required), source, q (substring of name, email or phone), phone (any format), email, '
        + 'created_after / created_before (exclusive), and custom field equality as `custom_fields.<key>=<value>` (or `custom_fields[<key>]=<value>`), '
        + 'read with the field\'s type (number, true/false, YYYY-MM-DD). Pages of `limit` (1-100, default 20); pass meta.next_cursor as `cursor`.',
    },
  }, async (request) => listContacts(deps.db, request.auth.workspaceId, request.query));

  app.get('/v1/contacts/phone/:number', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getContactByPhone',
      tags, summary: 'Get a contact by phone number, typed in any format (URL-encode the +, or leave it out)',
      params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: One },
    },
  }, async (request) => ({ contact: await getContactByPhone(deps.db, request.auth.workspaceId, request.params.number) }));

  app.get('/v1/contacts/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getContact', tags, summary: 'Get a contact', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ contact: await getContact(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'updateContact',
      tags, params: UuidParams, body: UpdateContactBody, response: { 200: One },
      summary: 'Update a contact',
      description: 'tags are replaced; custom_fields are merged (a null value removes the key); consent is merged per channel type. '
        + 'Unlike Callbell, the phone may change (normalized, unique); phone or email may be set to null while the other remains. '
        + 'Emits contact_updated with the new view and `changed_fields`; a PATCH that changes nothing emits nothing.',
    },
  }, async (request) => ({ contact: await updateContact(deps.db, deps, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'deleteContact',
      tags, params: UuidParams, response: { 200: Type.Object({ status: Type.Literal('contact was destroyed') }) },
      summary: 'Delete a contact and all of its messages',
      description: 'The contact\'s messages (inbound and outbound) are deleted with it, so nothing of the person stays readable. Emits contact_deleted with the contact\'s last view.',
    },
  }, async (request) => {
    await deleteContact(deps.db, deps, request.auth.workspaceId, request.params.uuid);
    return { status: 'contact was destroyed' as const };
  });
}
