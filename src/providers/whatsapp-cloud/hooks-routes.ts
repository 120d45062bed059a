import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import type { ProviderPort } from '../port.ts';
import { SIGNATURE_HEADER } from './signature.ts';
import { receiveWebhook, verifySubscription } from './hooks-service.ts';

const Params = Type.Object({ channel_uuid: Type.String({ format: 'uuid' }) });

const VerifyQuery = Type.Object({
  'hub.mode': Type.Optional(Type.String()),
  'hub.verify_token': Type.Optional(Type.String()),
  'hub.challenge': Type.Optional(Type.String()),
});

const Outcome = Type.Object({
  messages: Type.Integer({ description: 'Customer messages recorded' }),
  duplicates: Type.Integer({ description: 'Customer messages already recorded (a webhook retry)' }),
  statuses: Type.Integer({ description: 'Status changes applied' }),
  ignored: Type.Integer({ description: 'Items for unknown messages or numbers' }),
});

/**
 * Meta's webhook for a WhatsApp Cloud API channel, at `/hooks/whatsapp/:channel_uuid` (public, outside the API
 * reference): GET answers the subscription check, POST takes messages and statuses. The POST body is kept raw in
 * this scope (its own JSON parser) because X-Hub-Signature-256 signs the exact bytes Meta sent.
 */
export function whatsappHookRoutes(app: App, deps: Pick<Deps, 'db' | 'log'>, port: ProviderPort): void {
  // read deps at each request: the log may be swapped after start (tests capture it)
  const hookDeps = () => ({ db: deps.db, log: deps.log, port });
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.get('/hooks/whatsapp/:channel_uuid', {
      config: { scope: 'public' },
      schema: { operationId: 'verifyWhatsAppWebhook', hide: true, summary: 'Meta webhook verification', params: Params, querystring: VerifyQuery },
    }, async (request, reply) => {
      const { channel_uuid: channelId } = request.params as { channel_uuid: string };
      const challenge = await verifySubscription(hookDeps(), channelId, request.query as Record<string, string>);
      return reply.type('text/plain; charset=utf-8').send(challenge);
    });

    scope.post('/hooks/whatsapp/:channel_uuid', {
      config: { scope: 'public' },
      schema: { operationId: 'receiveWhatsAppWebhook', hide: true, summary: 'Meta webhook: messages and statuses', params: Params, response: { 200: Outcome } },
    }, async (request) => {
      const { channel_uuid: channelId } = request.params as { channel_uuid: string };
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return receiveWebhook(hookDeps(), channelId, raw, request.headers[SIGNATURE_HEADER]);
    });
  });
}
