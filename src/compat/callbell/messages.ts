import { Type, type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { AppError, invalidField } from '../../errors.ts';
import { getContact } from '../../contacts/service.ts';
import { SendBody } from '../../messages/schema.ts';
import { deleteMessage, getMessage, listContactMessages, sendMessage, type MessageView } from '../../messages/service.ts';
import { beckonId, CallbellId, CallbellUuidParams, callbellTime, conversationLink, PAGE_SIZE, PageParam, pageWithCursor } from './shared.ts';
import { withFieldRenamed } from './contact-input.ts';
import { ignoredFields, markIgnored } from './ignored.ts';
import { latestConversationOf } from '../../conversations/service.ts';

const tags = ['messages'];

/** Callbell's POST /messages/send body: Beckon's own send body, with `bsuid`, `fields` and ids in either form. */
const CallbellSendBody = Type.Object({
  ...SendBody.properties,
  to: Type.Optional(SendBody.properties.to),
  bsuid: Type.Optional(Type.String({ maxLength: 256, description: 'WhatsApp Business Suite User ID: Beckon stores none, so a send needs `to`' })),
  channel_uuid: Type.Optional(CallbellId),
  template_uuid: Type.Optional(CallbellId),
  fields: Type.Optional(Type.String({ pattern: '^\\s*(contact|conversation)?\\s*(,\\s*(contact|conversation)\\s*)*$', description: 'contact, conversation, or both comma-separated: adds them to the answer' })),
}, { additionalProperties: false });

const SendReply = Type.Object({
  message: Type.Object({
    uuid: Type.String(),
    status: Type.String(),
    contact: Type.Optional(Type.Object({ uuid: Type.String(), name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) })),
    conversation: Type.Optional(Type.Object({ source: Type.Union([Type.String(), Type.Null()]), href: Type.Union([Type.String(), Type.Null()], { description: 'The web app\'s link to the contact\'s latest conversation (/inbox/<uuid>); null while it has none' }), createdAt: Type.String() })),
  }),
});

/** The meta of a contact's messages: `{page, pages, next}` by page, `{next}` by cursor (R/contacts_api/get_contact_messages.md). */
const ContactMessagesMeta = Type.Object({
  page: Type.Optional(Type.Integer()), pages: Type.Optional(Type.Integer()),
  next: Type.Union([Type.String(), Type.Null()], { description: 'The cursor to pass as `?after=` for the next page; null on the last' }),
});

/** Callbell's Message of a contact's message list. */
const CallbellMessage = Type.Object({
  uuid: Type.String(), text: Type.String(), createdAt: Type.String(), status: Type.String({ description: 'sent (outbound) or received (inbound)' }),
  channel: Type.Union([Type.String(), Type.Null()]), from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]),
});

function toCallbellMessage(message: MessageView) {
  return {
    uuid: message.uuid, text: message.content.text ?? message.content.url ?? '', createdAt: callbellTime(message.created_at),
    status: message.direction === 'inbound' ? 'received' : 'sent', channel: message.channel, from: message.from, to: message.to,
  };
}

async function send(deps: Deps, workspaceId: string, body: Static<typeof CallbellSendBody>) {
  const { bsuid, fields, ...rest } = body;
  if (rest.to === undefined) {
    if (bsuid !== undefined) throw new AppError(422, 'validation_failed', 'body.bsuid: Beckon stores no WhatsApp BSUID; send with `to` (a phone number)', [{ path: 'body.bsuid', message: 'is not supported: send with `to`' }]);
    throw invalidField('body.to', 'is required (a phone number, or an email address with from: "email")');
  }
  // Callbell: with a template and no template_values, content.text fills the template's one variable
  const templateValues = rest.template_values ?? (rest.template_uuid !== undefined && rest.content?.text !== undefined ? [rest.content.text] : undefined);
  const input = { ...rest, to: rest.to, template_values: templateValues, channel_uuid: rest.channel_uuid && beckonId(rest.channel_uuid), template_uuid: rest.template_uuid && beckonId(rest.template_uuid) };
  const message = await sendMessage(deps, workspaceId, input);
  const wanted = new Set((fields ?? '').split(',').map((f) => f.trim()).filter(Boolean));
  const answer: Static<typeof SendReply>['message'] = { uuid: message.uuid, status: message.status };
  if (wanted.has('contact')) {
    const contact = await getContact(deps.db, workspaceId, message.contact.uuid);
    answer.contact = { uuid: contact.uuid, name: contact.name, phone: contact.phone, email: contact.email };
  }
  if (wanted.has('conversation')) {
    const conversationId = await latestConversationOf(deps, workspaceId, message.contact.uuid);
    answer.conversation = { source: message.channel, href: conversationId === null ? null : conversationLink(deps.config.publicUrl, conversationId), createdAt: callbellTime(message.created_at) };
  }
  return { message: answer };
}

/** Callbell's message routes: send, status, delete (both documented forms), and a contact's messages. */
export function callbellMessageRoutes(app: App, deps: Deps): void {
  app.post('/v1/messages/send', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'callbellSendMessage', tags, summary: 'Send a message (text, image, document, audio, video, template)', body: CallbellSendBody, response: { 200: SendReply },
      description: 'Beckon\'s send (the same rules: opt-in, 24-hour window, templates) with Callbell\'s answer; `fields=contact,conversation` adds them. '
        + '`assigned_user`, `team_uuid` and `bot_status` are accepted and listed in the `Beckon-Ignored-Fields` answer header.',
    },
  }, async (request, reply) => {
    markIgnored(reply, ignoredFields(request.body, ['assigned_user', 'team_uuid', 'bot_status']));
    return send(deps, request.auth.workspaceId, request.body);
  });

  app.get('/v1/messages/status/:uuid', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellGetMessageStatus', tags, summary: 'The status of a message', params: CallbellUuidParams,
      response: { 200: Type.Object({ message: Type.Object({ uuid: Type.String(), status: Type.String(), messageStatusPayload: Type.Unknown({ description: 'Beckon\'s status history, provider message id and error (Callbell: the raw provider payload)' }) }) }) },
    },
  }, async (request) => {
    const message = await getMessage(deps, request.auth.workspaceId, beckonId(request.params.uuid));
    return { message: { uuid: message.uuid, status: message.status, messageStatusPayload: { provider_message_id: message.provider_message_id, status_history: message.status_history, error: message.error } } };
  });

  app.delete('/v1/messages/:uuid', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellDeleteMessage', tags, summary: 'Delete a message (the reference page\'s form)', params: CallbellUuidParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteMessage(deps, request.auth.workspaceId, beckonId(request.params.uuid));
    return reply.code(204).send(null);
  });

  app.delete('/v1/messages', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellDeleteMessageByBody', tags, summary: 'Delete a message (the snippets\' form: {"uuid"} in the body)', body: Type.Object({ uuid: CallbellId }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteMessage(deps, request.auth.workspaceId, beckonId(request.body.uuid));
    return reply.code(204).send(null);
  });

  app.get('/v1/contacts/:uuid/messages', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListContactMessages', tags: ['contacts'], summary: 'A contact\'s messages, newest first, by page or by cursor (`after`)', params: CallbellUuidParams,
      querystring: Type.Object({ page: PageParam, after: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'The `meta.next` of the previous answer; when given, `page` is ignored and `meta` is `{next}`' })) }),
      response: { 200: Type.Object({ messages: Type.Array(CallbellMessage), meta: ContactMessagesMeta }) },
    },
  }, async (request) => {
    const id = beckonId(request.params.uuid);
    const fetch = async (limit: number, cursor?: string) => {
      const got = await withFieldRenamed('query.cursor', 'query.after', () => listContactMessages(deps, request.auth.workspaceId, id, { limit, cursor }));
      return { items: got.messages, next: got.meta.next_cursor };
    };
    const { after } = request.query;
    if (after !== undefined) {
      const got = await fetch(PAGE_SIZE, after);
      return { messages: got.items.map(toCallbellMessage), meta: { next: got.next } };
    }
    const { items, meta, next } = await pageWithCursor(fetch, request.query.page ?? 1);
    return { messages: items.map(toCallbellMessage), meta: { ...meta, next } };
  });
}
