import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { ListQuery, ListReply, SendBody, SendReply, StatusReply } from './schema.ts';
import { deleteMessage, getMessage, listContactMessages, listMessages, sendMessage } from './service.ts';
import { PageMeta, PageQuery, UuidParams } from '../system/schemas.ts';
import { MessageSchema } from './schema.ts';

/** Routes to send messages and follow them: send, status, read, list, delete. */
export function messageRoutes(app: App, deps: Deps): void {
  app.post('/v1/messages/send', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'sendMessage',
      tags: ['messages'],
      summary: 'Send a message (Callbell-compatible); it is enqueued and sent by a worker',
      description: 'Validates, finds or creates the contact (by phone; by email for `from: "email"`, which needs `subject`), and stores the message with its send job in one transaction. '
        + 'A template send (`template_uuid`, `template_values`) takes its text from the approved template. '
        + 'Refused with a 422 and nothing stored: `contact_blocked`, `contact_opted_out` (the contact opted out of this channel type), '
        + '`optin_required` (templates need the contact\'s opt-in, or `optin_contact: true`), `outside_customer_service_window` '
        + '(a free-form WhatsApp message more than 24 h after the contact last wrote on the channel), `template_not_approved`, `channel_unavailable` (see docs/sending-rules.md). '
        + 'Answers `{"message": {"uuid", "status": "enqueued", …}}`; follow it with GET /v1/messages/status/{uuid} or the message_status_updated webhook.',
      body: SendBody,
      response: { 200: SendReply },
    },
  }, async (request) => ({ message: await sendMessage(deps, request.auth.workspaceId, request.body) }));

  app.get('/v1/messages/status/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getMessageStatus', tags: ['messages'], summary: 'The status of a message (Callbell-compatible)', params: UuidParams, response: { 200: StatusReply } },
  }, async (request) => {
    const message = await getMessage(deps, request.auth.workspaceId, request.params.uuid);
    return { message: { uuid: message.uuid, status: message.status, status_history: message.status_history, error: message.error, metadata: message.metadata, updated_at: message.updated_at } };
  });

  app.get('/v1/messages/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getMessage', tags: ['messages'], summary: 'A message with its channel, contact, content, status history and error', params: UuidParams, response: { 200: SendReply } },
  }, async (request) => ({ message: await getMessage(deps, request.auth.workspaceId, request.params.uuid) }));

  app.get('/v1/messages', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listMessages',
      tags: ['messages'], summary: 'List messages, newest first, with filters and cursor pagination (limit 1..100, default 20)',
      querystring: ListQuery, response: { 200: ListReply },
    },
  }, async (request) => {
    const page = await listMessages(deps, request.auth.workspaceId, request.query);
    return { messages: page.messages, meta: { next_cursor: page.next_cursor } };
  });

  app.delete('/v1/messages/:uuid', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'deleteMessage',
      tags: ['messages'], summary: 'Delete a message: hidden from reads; an enqueued message deleted before sending is not sent',
      params: UuidParams, response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await deleteMessage(deps, request.auth.workspaceId, request.params.uuid);
    return reply.code(204).send(null);
  });

  app.get('/v1/contacts/:uuid/messages', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listContactMessages',
      tags: ['contacts'], summary: 'List a contact\'s messages, newest first', params: UuidParams, querystring: PageQuery,
      response: { 200: Type.Object({ messages: Type.Array(MessageSchema), meta: PageMeta }) },
    },
  }, async (request) => listContactMessages(deps, request.auth.workspaceId, request.params.uuid, request.query));
}
