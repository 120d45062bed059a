import { Type } from 'typebox';
import type { App } from '../../http.ts';
import type { InboundSchemas } from '../module.ts';
import type { ProviderPort } from '../port.ts';
import { SANDBOX_DOC } from './adapter.ts';
import { simulateInbound } from './service.ts';

function inboundBody({ messageTypes, maxTextLength }: InboundSchemas) {
  return Type.Object({
    channel_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'A sandbox channel of the workspace; default: its default sandbox channel' })),
    from: Type.String({ minLength: 1, maxLength: 64, description: 'The customer\'s phone number in any format' }),
    type: Type.Optional(Type.Enum([...messageTypes], { description: 'Default text; a media type needs url' })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: maxTextLength, description: 'The text, or a media caption' })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the media' })),
  }, { additionalProperties: false });
}

/** Routes of the sandbox provider: simulate a customer writing in. */
export function sandboxRoutes(app: App, port: ProviderPort): void {
  app.post('/v1/sandbox/inbound', {
    config: { scope: 'full' },
    schema: {
      operationId: 'simulateSandboxInbound',
      tags: ['sandbox'],
      summary: 'Simulate a customer writing in on a sandbox channel',
      description: 'Creates the inbound message (status `received`) as a provider webhook would: contact upsert (source `inbound`), '
        + '`message_created`, the contact\'s `last_inbound_at`.\n\n' + SANDBOX_DOC,
      body: inboundBody(port.schemas),
      response: { 200: port.schemas.messageReply },
    },
  }, async (request) => ({ message: await simulateInbound(port, request.auth.workspaceId, request.body) }));
}
