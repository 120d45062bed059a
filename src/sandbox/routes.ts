import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { MAX_TEXT_LENGTH, MESSAGE_TYPES, SendReply } from '../messages/schema.ts';
import { SANDBOX_DOC } from '../providers/sandbox.ts';
import { simulateInbound } from './service.ts';

const InboundBody = Type.Object({
  channel_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'A sandbox channel of the workspace; default: its default sandbox channel' })),
  from: Type.String({ minLength: 1, maxLength: 64, description: 'The customer\'s phone number in any format' }),
  type: Type.Optional(Type.Enum([...MESSAGE_TYPES], { description: 'Default text; a media type needs url' })),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH, description: 'The text, or a media caption' })),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the media' })),
}, { additionalProperties: false });

/** Routes of the sandbox provider: simulate a customer writing in. */
export function sandboxRoutes(app: App, deps: Deps): void {
  app.post('/v1/sandbox/inbound', {
    config: { scope: 'full' },
    schema: {
      operationId: 'simulateSandboxInbound',
      tags: ['sandbox'],
      summary: 'Simulate a customer writing in on a sandbox channel',
      description: 'Creates the inbound message (status `received`) as a provider webhook would: contact upsert (source `inbound`), '
        + '`message_created`, the contact\'s `last_inbound_at`.\n\n' + SANDBOX_DOC,
      body: InboundBody,
      response: { 200: SendReply },
    },
  }, async (request) => ({ message: await simulateInbound(deps, request.auth.workspaceId, request.body) }));
}
