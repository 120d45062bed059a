import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { getChannel, listChannels } from './service.ts';

/** The API shape of a channel. */
export const ChannelSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  type: Type.String({ description: 'whatsapp | sms | email' }),
  provider: Type.String({ description: 'sandbox | whatsapp_cloud | twilio | smtp' }),
  title: Type.String(),
  main: Type.Boolean({ description: 'The default channel of its type' }),
  config: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

/** Routes to read the workspace's channels. */
export function channelRoutes(app: App, deps: Deps): void {
  app.get('/v1/channels', {
    config: { scope: 'read' },
    schema: { tags: ['channels'], summary: 'List channels', response: { 200: Type.Object({ channels: Type.Array(ChannelSchema) }) } },
  }, async (request) => ({ channels: await listChannels(deps.db, request.auth.workspaceId) }));

  app.get('/v1/channels/:uuid', {
    config: { scope: 'read' },
    schema: { tags: ['channels'], summary: 'Get a channel', params: Type.Object({ uuid: Type.String({ format: 'uuid' }) }), response: { 200: Type.Object({ channel: ChannelSchema }) } },
  }, async (request) => ({ channel: await getChannel(deps.db, request.auth.workspaceId, request.params.uuid) }));
}
