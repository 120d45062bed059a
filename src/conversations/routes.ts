import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { PageMeta, PageQuery, UuidParams } from '../system/schemas.ts';
import { conversationCounts, listConversations } from './list.ts';
import { markConversationRead, replyInConversation } from './replies.ts';
import {
  AssignBody, ConversationSchema, CountsQuery, CountsSchema, ListConversationsQuery, PatchConversationBody, ReplyBody, ReplyResult, StartConversationBody, StatusBody,
  ThreadItemSchema,
} from './schema.ts';
import { assignConversation, getConversation, patchConversation, setStatus, startConversation, type Actor } from './service.ts';
import { conversationThread, type ThreadItem } from './thread.ts';

const tags = ['conversations'];
const One = Type.Object({ conversation: ConversationSchema });

function actorOf(request: { auth: { workspaceId: string; userId: string | null } }): Actor {
  return { workspaceId: request.auth.workspaceId, userId: request.auth.userId ?? null };
}

/** Routes for the team inbox's conversations: list and counts, one conversation, assignment, status, replies and notes, read markers. */
export function conversationRoutes(app: App, deps: Deps): void {
  app.get('/v1/conversations', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listConversations', tags, querystring: ListConversationsQuery, response: { 200: Type.Object({ conversations: Type.Array(ConversationSchema), meta: PageMeta }) },
      summary: 'List conversations, latest activity first', description: 'Filters: status, assignee (me | unassigned | user uuid), team_uuid, channel_uuid, funnel_stage_uuid, q (contact name, phone or email).',
    },
  }, async (request) => listConversations(deps, actorOf(request), request.query));

  app.get('/v1/conversations/counts', {
    config: { scope: 'read' },
    schema: {
      operationId: 'countConversations', tags, querystring: CountsQuery, response: { 200: Type.Object({ counts: CountsSchema }) },
      summary: 'Count conversations: mine, unassigned and all (of status, default open), and every status',
    },
  }, async (request) => ({ counts: await conversationCounts(deps, actorOf(request), request.query.status) }));

  app.post('/v1/conversations', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'startConversation', tags, body: StartConversationBody, response: { 200: One, 201: One },
      summary: 'Start a conversation with a contact on a channel (201), or get the existing one (200, reopened when resolved or snoozed)',
    },
  }, async (request, reply) => {
    const { conversation, created } = await startConversation(deps, actorOf(request), request.body);
    return reply.code(created ? 201 : 200).send({ conversation });
  });

  app.get('/v1/conversations/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getConversation', tags, params: UuidParams, response: { 200: One }, summary: 'Get a conversation (unread_count for the caller)' },
  }, async (request) => ({ conversation: await getConversation(deps, actorOf(request), request.params.uuid) }));

  app.patch('/v1/conversations/:uuid', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'updateConversation', tags, params: UuidParams, body: PatchConversationBody, response: { 200: One },
      summary: 'Change a conversation\'s priority, funnel stage, team or bot status', description: 'A funnel stage move is recorded in the contact\'s history and as conversation_funnel_stage_updated.',
    },
  }, async (request) => ({ conversation: await patchConversation(deps, actorOf(request), request.params.uuid, request.body) }));

  app.post('/v1/conversations/:uuid/assign', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'assignConversation', tags, params: UuidParams, body: AssignBody, response: { 200: One },
      summary: 'Assign a conversation to a user and/or a team (null clears)', description: 'A team with auto_assign given without user_uuid assigns round-robin among its available members.',
    },
  }, async (request) => ({ conversation: await assignConversation(deps, actorOf(request), request.params.uuid, request.body) }));

  app.post('/v1/conversations/:uuid/status', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'setConversationStatus', tags, params: UuidParams, body: StatusBody, response: { 200: One },
      summary: 'Open, resolve, snooze (until snoozed_until) or set a conversation pending',
    },
  }, async (request) => ({ conversation: await setStatus(deps, actorOf(request), request.params.uuid, request.body) }));

  app.post('/v1/conversations/:uuid/messages', {
    config: { scope: 'full', agents: true },
    schema: {
      operationId: 'replyInConversation', tags, params: UuidParams, body: ReplyBody, response: { 201: ReplyResult },
      summary: 'Reply in a conversation (text or template), or add an internal note (private: true, never sent)',
      description: 'A free-form reply outside the WhatsApp 24-hour window is 422 `outside_customer_service_window` with `templates`: the approved templates that could be sent instead.',
    },
  }, async (request, reply) => reply.code(201).send(await replyInConversation(deps, actorOf(request), request.params.uuid, request.body)));

  app.get('/v1/conversations/:uuid/messages', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listConversationMessages', tags, params: UuidParams, querystring: PageQuery,
      response: { 200: Type.Object({ items: Type.Array(ThreadItemSchema), meta: PageMeta }) }, summary: 'The thread: messages and notes, newest first',
    },
  }, async (request) => conversationThread(deps, actorOf(request), request.params.uuid, request.query) as Promise<{ items: ThreadItem[]; meta: { next_cursor: string | null } }>);

  app.post('/v1/conversations/:uuid/read', {
    config: { scope: 'read' },
    schema: {
      operationId: 'markConversationRead', tags, params: UuidParams, response: { 200: One },
      summary: 'Mark a conversation read for the caller (a user\'s key; 403 for a workspace key)',
    },
  }, async (request) => {
    await markConversationRead(deps, actorOf(request), request.params.uuid);
    return { conversation: await getConversation(deps, actorOf(request), request.params.uuid) };
  });
}
