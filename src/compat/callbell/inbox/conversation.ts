// Callbell's per-contact conversation routes (open, close, note, update_funnel) and contact bot over Beckon's
// conversations service. Callbell has one conversation per contact: Beckon's is the contact's latest (any channel).
import { Type } from 'typebox';
import type { Deps } from '../../../deps.ts';
import type { App } from '../../../http.ts';
import { AppError, invalidField } from '../../../errors.ts';
import { getContact } from '../../../contacts/service.ts';
import { getConversation, latestConversationOf, patchConversation, setStatus, type Actor } from '../../../conversations/service.ts';
import { replyInConversation } from '../../../conversations/replies.ts';
import { findStage } from '../../../funnels/service.ts';
import { shapeContact, CallbellContactAnswer } from '../contact-shaper.ts';
import { callbellBot } from './shapes.ts';
import { BotBody, CallbellBot, FunnelBody, IdParams, NoteBody } from './schemas.ts';

const tags = ['callbell'];
const OneContact = Type.Object({ contact: CallbellContactAnswer });
const OneBot = Type.Object({ bot: CallbellBot });

function actorOf(auth: { workspaceId: string; userId: string | null }): Actor {
  return { workspaceId: auth.workspaceId, userId: auth.userId };
}

/** The uuid of the contact's latest conversation: 404 when the contact is unknown or has none. */
async function conversationIdOf(deps: Deps, workspaceId: string, contactId: string): Promise<string> {
  await getContact(deps.db, workspaceId, contactId);
  const id = await latestConversationOf(deps, workspaceId, contactId);
  if (!id) throw new AppError(404, 'not_found', 'the contact has no conversation yet', [{ path: 'params.uuid', message: 'no conversation for this contact' }]);
  return id;
}

/** `{contact}` in Callbell's shape, with the facts of its conversation. */
async function contactAnswer(deps: Deps, workspaceId: string, contactId: string) {
  return { contact: await shapeContact(deps, workspaceId, await getContact(deps.db, workspaceId, contactId)) };
}

/** Registers Callbell's conversation and bot routes under /v1/contacts/:uuid. */
export function callbellConversationRoutes(app: App, deps: Deps): void {
  for (const [verb, status] of [['open', 'open'], ['close', 'resolved']] as const) {
    app.post(`/v1/contacts/:uuid/conversation/${verb}`, {
      config: { scope: 'full', agents: true },
      schema: {
        operationId: verb === 'open' ? 'callbellOpenConversation' : 'callbellCloseConversation', tags,
        summary: verb === 'open' ? 'Callbell: reopen the contact\'s conversation (Beckon status open)' : 'Callbell: close the contact\'s conversation (Beckon status resolved)',
        params: IdParams, response: { 200: OneContact },
      },
    }, async (request) => {
      const { workspaceId } = request.auth;
      const id = await conversationIdOf(deps, workspaceId, request.params.uuid);
      await setStatus(deps, actorOf(request.auth), id, { status });
      return contactAnswer(deps, workspaceId, request.params.uuid);
    });
  }

  app.post('/v1/contacts/:uuid/conversation/note', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellNoteConversation', tags, summary: 'Callbell: add an internal note to the contact\'s conversation', params: IdParams, body: NoteBody, response: { 200: Type.Object({ success: Type.Boolean() }) } },
  }, async (request) => {
    const id = await conversationIdOf(deps, request.auth.workspaceId, request.params.uuid);
    await replyInConversation(deps, actorOf(request.auth), id, { text: request.body.text, private: true });
    return { success: true };
  });

  const funnelPaths = [
    ['PUT', '/v1/contacts/:uuid/conversation/update_funnel', 'callbellUpdateFunnel', 'Callbell: move the contact\'s conversation to a funnel (a Beckon funnel stage)'],
    ['POST', '/v1/contacts/:uuid/conversation/update_funnel', 'callbellUpdateFunnelPost', 'Callbell: the same with POST (Callbell\'s snippet uses POST)'],
    ['POST', '/v1/contacts/:uuid/messages/update_funnel', 'callbellUpdateFunnelSnippet', 'Callbell: the same at the path of Callbell\'s snippet'],
  ] as const;
  for (const [method, url, operationId, summary] of funnelPaths) {
    app.route({
      method, url,
      config: { scope: 'full', agents: true },
      schema: { operationId, tags, summary, params: IdParams, body: FunnelBody, response: { 200: OneContact } },
      handler: async (request) => {
        const { workspaceId } = request.auth;
        const { uuid } = request.params as { uuid: string };
        const body = request.body as { funnel_id?: string; funnel_uuid?: string };
        const stageId = body.funnel_id ?? body.funnel_uuid;
        const path = body.funnel_id !== undefined ? 'body.funnel_id' : 'body.funnel_uuid';
        if (stageId === undefined) throw invalidField('body.funnel_id', 'is required');
        if (!(await findStage(deps.db, workspaceId, stageId))) throw new AppError(404, 'not_found', 'funnel not found', [{ path, message: 'no such funnel (Beckon funnel stage) in this workspace' }]);
        const id = await conversationIdOf(deps, workspaceId, uuid);
        await patchConversation(deps, actorOf(request.auth), id, { funnel_stage_uuid: stageId });
        return contactAnswer(deps, workspaceId, uuid);
      },
    });
  }

  app.get('/v1/contacts/:uuid/bot', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetContactBot', tags, summary: 'Callbell: the bot status of the contact\'s conversation (Beckon\'s bot_status)', params: IdParams, response: { 200: OneBot } },
  }, async (request) => {
    const id = await conversationIdOf(deps, request.auth.workspaceId, request.params.uuid);
    return { bot: callbellBot(await getConversation(deps, actorOf(request.auth), id)) };
  });

  app.post('/v1/contacts/:uuid/bot', {
    config: { scope: 'full', agents: true },
    schema: { operationId: 'callbellSetContactBot', tags, summary: 'Callbell: start or end the bot on the contact\'s conversation (Beckon\'s bot_status)', params: IdParams, body: BotBody, response: { 200: OneBot } },
  }, async (request) => {
    const id = await conversationIdOf(deps, request.auth.workspaceId, request.params.uuid);
    return { bot: callbellBot(await patchConversation(deps, actorOf(request.auth), id, { bot_status: request.body.status })) };
  });
}
