import { Type, type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { notFound } from '../../errors.ts';
import { createContact, deleteContact, getContact, getContactByPhone, updateContact, type ContactView } from '../../contacts/service.ts';
import { listContacts } from '../../contacts/list-service.ts';
import { definitionsByKey, type CustomFieldView } from '../../contacts/custom-fields/service.ts';
import { beckonId, CallbellContactSchema, CallbellUuidParams, PageParam, pageOfCursor, toCallbellContact } from './shared.ts';
import { asIdentifier, beckonCustomFields, CallbellCreateContactBody, CallbellUpdateContactBody, IGNORED_CONTACT_FIELDS } from './contact-input.ts';
import { ignoredFields, markIgnored } from './ignored.ts';

const tags = ['contacts'];
const FieldTypes = Type.Optional(Type.Boolean({ description: 'Adds customFieldsMetadata {name: {value, type, options?}}' }));
const Contact = Type.Intersect([CallbellContactSchema, Type.Object({ customFieldsMetadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })]);
const One = Type.Object({ contact: Contact });

/** Shapes contacts for one request: reads the workspace's custom field names once. */
async function shaper(deps: Deps, workspaceId: string, withTypes = false): Promise<(view: ContactView) => Static<typeof Contact>> {
  const definitions = await definitionsByKey(deps.db, workspaceId);
  const labels = new Map([...definitions.values()].map((d) => [d.key, d.label]));
  return (view) => {
    const contact = toCallbellContact(view, { publicUrl: deps.config.publicUrl, labels });
    return withTypes ? { ...contact, customFieldsMetadata: fieldTypes(view, definitions) } : contact;
  };
}

function fieldTypes(view: ContactView, definitions: Map<string, CustomFieldView>) {
  return Object.fromEntries([...definitions.values()].map((d) => {
    const value = view.custom_fields[d.key] ?? null;
    return [d.label, { value: d.type === 'checkbox' ? (value === true ? [d.label] : []) : value, type: d.type, ...(d.options.length > 0 ? { options: d.options } : {}) }];
  }));
}

async function customFieldsOf(deps: Deps, workspaceId: string, values: Record<string, unknown> | undefined) {
  return values === undefined ? undefined : beckonCustomFields(await definitionsByKey(deps.db, workspaceId), values);
}

/** Callbell's contact routes: list by page, get (by uuid, phone, bsuid), create, update, delete. */
export function callbellContactRoutes(app: App, deps: Deps): void {
  app.get('/v1/contacts', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListContacts', tags, summary: 'Contacts, newest first, by page (50 a page)',
      querystring: Type.Object({
        page: PageParam, source: Type.Optional(Type.String({ minLength: 1 })), tags: Type.Optional(Type.String({ description: 'Comma-separated: contacts having all of them' })),
        team_uuid: Type.Optional(Type.String({ description: 'See docs/compat-callbell.md (inbox part)' })), include_field_types: FieldTypes,
      }),
      response: { 200: Type.Object({ contacts: Type.Array(Contact) }) },
    },
  }, async (request) => {
    const { page = 1, source, tags: tagList, include_field_types: withTypes } = request.query;
    const shape = await shaper(deps, request.auth.workspaceId, withTypes);
    const got = await pageOfCursor(async (limit, cursor) => {
      const list = await listContacts(deps.db, request.auth.workspaceId, { limit, cursor, source, tags: tagList ? [tagList] : undefined });
      return { items: list.contacts, next: list.meta.next_cursor };
    }, page);
    return { contacts: got.items.map(shape) };
  });

  app.get('/v1/contacts/phone/:number', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContactByPhone', tags, summary: 'A contact by phone number, in any format', params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }), querystring: Type.Object({ channel_uuid: Type.Optional(Type.String()) }), response: { 200: One } },
  }, async (request) => ({ contact: (await shaper(deps, request.auth.workspaceId))(await getContactByPhone(deps.db, request.auth.workspaceId, request.params.number)) }));

  app.get('/v1/contacts/bsuid/:bsuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContactByBsuid', tags, summary: 'Not applicable: Beckon stores no WhatsApp BSUID, so this is always 404', params: Type.Object({ bsuid: Type.String({ minLength: 1, maxLength: 256 }) }), response: { 200: One } },
  }, async () => {
    throw notFound('contact (Beckon stores no WhatsApp BSUID)');
  });

  app.get('/v1/contacts/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContact', tags, summary: 'A contact', params: CallbellUuidParams, querystring: Type.Object({ include_field_types: FieldTypes }), response: { 200: One } },
  }, async (request) => ({ contact: (await shaper(deps, request.auth.workspaceId, request.query.include_field_types))(await getContact(deps.db, request.auth.workspaceId, beckonId(request.params.uuid))) }));

  const create = async (request: { auth: { workspaceId: string }; body: Static<typeof CallbellCreateContactBody> }, reply: Parameters<typeof markIgnored>[0]) => {
    const { workspaceId } = request.auth;
    const body = request.body;
    markIgnored(reply, ignoredFields(body, IGNORED_CONTACT_FIELDS));
    const customFields = await customFieldsOf(deps, workspaceId, body.custom_fields);
    const view = await asIdentifier(() => createContact(deps.db, deps, workspaceId, {
      phone: body.identifier, email: body.email, name: body.name, tags: body.tags, source: body.source ?? 'api', custom_fields: customFields,
    }));
    return { contact: (await shaper(deps, workspaceId))(view) };
  };
  app.post('/v1/contacts', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellCreateContact', tags, summary: 'Create a contact (identifier: its phone number)', body: CallbellCreateContactBody, response: { 200: One } },
  }, async (request, reply) => create(request, reply));
  app.post('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellCreateContactAtUuid', tags, summary: 'Create a contact (the snippet\'s form, which posts to /contacts/:uuid; the uuid is not used)', params: CallbellUuidParams, body: CallbellCreateContactBody, response: { 200: One } },
  }, async (request, reply) => create(request, reply));

  app.patch('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellUpdateContact', tags, summary: 'Update a contact\'s name, tags (replaced) or custom fields (merged)', params: CallbellUuidParams, body: CallbellUpdateContactBody, response: { 200: One } },
  }, async (request, reply) => {
    const { workspaceId } = request.auth;
    const body = request.body;
    markIgnored(reply, ignoredFields(body, IGNORED_CONTACT_FIELDS));
    const view = await updateContact(deps.db, deps, workspaceId, beckonId(request.params.uuid), {
      name: body.name, tags: body.tags, custom_fields: await customFieldsOf(deps, workspaceId, body.custom_fields),
    });
    return { contact: (await shaper(deps, workspaceId))(view) };
  });

  app.delete('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellDeleteContact', tags, summary: 'Delete a contact and its messages', params: CallbellUuidParams, response: { 200: Type.Object({ status: Type.Literal('contact was destroyed') }) } },
  }, async (request) => {
    await deleteContact(deps.db, deps, request.auth.workspaceId, beckonId(request.params.uuid));
    return { status: 'contact was destroyed' as const };
  });
}
