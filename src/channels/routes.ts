import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import * as s from './schema.ts';
import * as svc from './service.ts';
import { UuidParams } from '../system/schemas.ts';

export { ChannelSchema } from './schema.ts';

const tags = ['channels'];
const One = Type.Object({ channel: s.ChannelSchema });

/** Routes to create, read, change and delete the workspace's channels. */
export function channelRoutes(app: App, deps: Deps): void {
  app.post('/v1/channels', {
    config: { scope: 'full' },
    schema: { operationId: 'createChannel', tags, summary: 'Create a channel (a WhatsApp number, an SMS number, an email sender or a sandbox) with its provider settings', body: s.CreateChannelBody, response: { 201: One } },
  }, async (request, reply) => reply.code(201).send({ channel: await svc.createChannel(deps, request.auth.workspaceId, request.body) }));

  app.get('/v1/channels', {
    config: { scope: 'read' },
    schema: { operationId: 'listChannels', tags, summary: 'List channels, oldest first', querystring: s.ListChannelsQuery, response: { 200: s.ChannelListReply } },
  }, async (request) => {
    const { type, provider, limit = 20, cursor } = request.query;
    const page = await svc.listChannels(deps, request.auth.workspaceId, { type, provider }, limit, cursor);
    return { channels: page.channels, meta: { next_cursor: page.next_cursor } };
  });

  app.get('/v1/channels/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getChannel', tags, summary: 'Get a channel', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ channel: await svc.getChannel(deps, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/channels/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'updateChannel', tags, summary: 'Change a channel\'s title, default mark or settings (settings are merged)', params: UuidParams, body: s.UpdateChannelBody, response: { 200: One } },
  }, async (request) => ({ channel: await svc.updateChannel(deps, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/channels/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'deleteChannel', tags, summary: 'Delete a channel and its templates; its unsent messages fail with channel_unavailable', params: UuidParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await svc.deleteChannel(deps, request.auth.workspaceId, request.params.uuid);
    return reply.code(204).send(null);
  });
}
