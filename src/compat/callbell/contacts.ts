import { Type, type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { notFound } from '../../errors.ts';
import { createContact, deleteContact, getContact, getContactByPhone, updateContact } from '../../contacts/service.ts';
import { listContacts } from '../../contacts/list-service.ts';
import { definitionsByKey } from '../../contacts/custom-fields/service.ts';
import { beckonId, CallbellUuidParams, PageParam, pageOfCursor } from './shared.ts';
import { CallbellContactAnswer, contactShaper, shapeContact } from './contact-shaper.ts';
import { latestConversationOf } from '../../conversations/service.ts';
import { applyInbox, checkChannel, noConversation, planInbox, type InboxFields } from './contact-inbox.ts';
import { asIdentifier, beckonCustomFields, CallbellCreateContactBody, CallbellUpdateContactBody, IGNORED_CONTACT_FIELDS } from './contact-input.ts';
import { ignoredFields, markIgnored } from './ignored.ts';

const tags = ['contacts'];
const FieldTypes = Type.Optional(Type.Boolean({ description: 'Adds customFieldsMetadata {name: {value, type, options?}}' }));
const Contact = CallbellContactAnswer;
const One = Type.Object({ contact: Contact });

/**
 * Checks the inbox fields (an unknown team, user or channel_uuid is a 400 naming it, before anything is written), names
 * the unused ones in Beckon-Ignored-Fields; `apply` runs them once the contact is written.
 */
async function inboxOf(deps: Deps, auth: { workspaceId: string; userId: string | null }, body: InboxFields & { note?: unknown }, reply: Parameters<typeof markIgnored>[0], contactId: string | null) {
  if (body.channel_uuid !== undefined) await checkChannel(deps, auth.workspaceId, beckonId(body.channel_uuid));
  const plan = await planInbox(deps, auth.workspaceId, body);
  const hasConversation = contactId !== null && (await latestConversationOf(deps, auth.workspaceId, contactId)) !== null;
  if (plan && !hasConversation && body.channel_uuid === undefined) throw noConversation(plan);
  markIgnored(reply, ignoredFields(body, plan ? IGNORED_CONTACT_FIELDS : [...IGNORED_CONTACT_FIELDS, 'channel_uuid']));
  const channelId = body.channel_uuid === undefined ? undefined : beckonId(body.channel_uuid);
  return async (contactId: string) => {
    if (plan) await applyInbox(deps, { workspaceId: auth.workspaceId, userId: auth.userId }, contactId, plan, channelId);
  };
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
    const shape = await contactShaper(deps, request.auth.workspaceId, withTypes);
    const got = await pageOfCursor(async (limit, cursor) => {
      const list = await listContacts(deps.db, request.auth.workspaceId, { limit, cursor, source, tags: tagList ? [tagList] : undefined });
      return { items: list.contacts, next: list.meta.next_cursor };
    }, page);
    return { contacts: await shape(got.items) };
  });

  app.get('/v1/contacts/phone/:number', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContactByPhone', tags, summary: 'A contact by phone number, in any format', params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }), querystring: Type.Object({ channel_uuid: Type.Optional(Type.String()) }), response: { 200: One } },
  }, async (request) => ({ contact: await shapeContact(deps, request.auth.workspaceId, await getContactByPhone(deps.db, request.auth.workspaceId, request.params.number)) }));

  app.get('/v1/contacts/bsuid/:bsuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContactByBsuid', tags, summary: 'Not applicable: Beckon stores no WhatsApp BSUID, so this is always 404', params: Type.Object({ bsuid: Type.String({ minLength: 1, maxLength: 256 }) }), response: { 200: One } },
  }, async () => {
    throw notFound('contact (Beckon stores no WhatsApp BSUID)');
  });

  app.get('/v1/contacts/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContact', tags, summary: 'A contact', params: CallbellUuidParams, querystring: Type.Object({ include_field_types: FieldTypes }), response: { 200: One } },
  }, async (request) => ({ contact: await shapeContact(deps, request.auth.workspaceId, await getContact(deps.db, request.auth.workspaceId, beckonId(request.params.uuid)), request.query.include_field_types) }));

  const create = async (request: { auth: { workspaceId: string; userId: string | null }; body: Static<typeof CallbellCreateContactBody> }, reply: Parameters<typeof markIgnored>[0]) => {
    const { workspaceId } = request.auth;
    const body = request.body;
    const apply = await inboxOf(deps, request.auth, body, reply, null);
    const customFields = await customFieldsOf(deps, workspaceId, body.custom_fields);
    const view = await asIdentifier(() => createContact(deps.db, deps, workspaceId, {
      phone: body.identifier, email: body.email, name: body.name, tags: body.tags, source: body.source ?? 'api', custom_fields: customFields,
    }));
    await apply(view.uuid);
    return { contact: await shapeContact(deps, workspaceId, view) };
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
    const apply = await inboxOf(deps, request.auth, body, reply, beckonId(request.params.uuid));
    const view = await updateContact(deps.db, deps, workspaceId, beckonId(request.params.uuid), {
      name: body.name, tags: body.tags, custom_fields: await customFieldsOf(deps, workspaceId, body.custom_fields),
    });
    await apply(view.uuid);
    return { contact: await shapeContact(deps, workspaceId, view) };
  });

  app.delete('/v1/contacts/:uuid', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellDeleteContact', tags, summary: 'Delete a contact and its messages', params: CallbellUuidParams, response: { 200: Type.Object({ status: Type.Literal('contact was destroyed') }) } },
  }, async (request) => {
    await deleteContact(deps.db, deps, request.auth.workspaceId, beckonId(request.params.uuid));
    return { status: 'contact was destroyed' as const };
  });
}
