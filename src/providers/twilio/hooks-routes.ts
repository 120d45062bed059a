import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ChannelsTable } from '../../db/types.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { App } from '../../http.ts';
import type { ProviderPort } from '../port.ts';
import { applyTwilioStatus, authenticateWebhook, receiveTwilioMessage } from './service.ts';
import { parseForm, SIGNATURE_HEADER, type FormParams } from './signature.ts';

/** The answer to an inbound message: empty TwiML, so Twilio sends no reply of its own beyond its keyword answers. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const Params = Type.Object({ channel_uuid: Type.String({ format: 'uuid', description: 'The Twilio channel' }) });

// Twilio adds parameters without notice: the schemas name what Beckon reads and let the rest through.
const InboundBody = Type.Object({
  MessageSid: Type.String({ minLength: 1 }),
  AccountSid: Type.String({ minLength: 1 }),
  From: Type.String({ minLength: 1, description: 'The customer\'s number (E.164)' }),
  To: Type.String({ description: 'The channel\'s number' }),
  Body: Type.Optional(Type.String()),
  NumMedia: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  MediaUrl0: Type.Optional(Type.String()),
  MediaContentType0: Type.Optional(Type.String()),
  OptOutType: Type.Optional(Type.String({ description: 'STOP, START or HELP when a Messaging Service\'s Advanced Opt-Out matched a keyword' })),
}, { additionalProperties: true });

const StatusBody = Type.Object({
  MessageSid: Type.String({ minLength: 1 }),
  AccountSid: Type.String({ minLength: 1 }),
  MessageStatus: Type.String({ minLength: 1, description: 'queued, sending, sent, delivered, undelivered, failed, read, canceled…' }),
  ErrorCode: Type.Optional(Type.String()),
}, { additionalProperties: true });

const StatusQuery = Type.Object({
  message_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'The Beckon message the callback is about (Beckon sets it in StatusCallback)' })),
}, { additionalProperties: true });

/**
 * Twilio's webhooks (public; docs/channels-twilio.md): `POST /hooks/twilio/:channel_uuid` (a message comes in) and
 * `POST /hooks/twilio/:channel_uuid/status` (status callbacks). Bodies are application/x-www-form-urlencoded, parsed in
 * this scope only; each request is verified with X-Twilio-Signature before its body is validated or anything is
 * stored, and a refused one is logged. Hidden from the OpenAPI document: Twilio calls them, not API clients.
 */
export function twilioHookRoutes(app: App, deps: Pick<Deps, 'db' | 'config'>, port: ProviderPort): void {
  app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseForm(body as string)));
    scope.addContentTypeParser('*', (_request, _payload, done) => {
      done(new AppError(415, 'unsupported_media_type', 'Twilio webhooks are application/x-www-form-urlencoded'), undefined);
    });

    const channels = new WeakMap<FastifyRequest, ChannelsTable>();
    const verify = async (request: FastifyRequest) => {
      const { channel_uuid: channelId } = request.params as { channel_uuid: string };
      const url = deps.config.publicUrl + request.url;
      const header = request.headers[SIGNATURE_HEADER];
      const signature = Array.isArray(header) ? header[0] : header;
      const result = await authenticateWebhook(port, channelId, url, signature, (request.body ?? {}) as FormParams);
      if ('refusal' in result) {
        request.log.warn({ channel: channelId, url, status: result.refusal.status }, `Twilio webhook refused: ${result.refusal.detail}`);
        const code = result.refusal.status === 404 ? 'not_found' : result.refusal.status === 401 ? 'unauthorized' : 'forbidden';
        throw new AppError(result.refusal.status, code, result.refusal.detail);
      }
      channels.set(request, result.channel);
    };

    scope.post('/hooks/twilio/:channel_uuid', {
      config: { scope: 'public' },
      preValidation: verify,
      schema: {
        operationId: 'receiveTwilioMessage',
        hide: true, tags: ['provider webhooks'], summary: 'Twilio: a message comes in',
        params: Params, body: InboundBody,
        response: { 200: Type.String({ description: 'Empty TwiML (text/xml)' }) },
      },
    }, async (request, reply) => {
      const outcome = await receiveTwilioMessage(deps.db, port, channels.get(request)!, request.body);
      if (outcome.duplicate) request.log.info({ sid: request.body.MessageSid }, 'Twilio inbound message already stored');
      return reply.type('text/xml; charset=utf-8').send(EMPTY_TWIML);
    });

    scope.post('/hooks/twilio/:channel_uuid/status', {
      config: { scope: 'public' },
      preValidation: verify,
      schema: {
        operationId: 'receiveTwilioStatus',
        hide: true, tags: ['provider webhooks'], summary: 'Twilio: a status callback',
        params: Params, querystring: StatusQuery, body: StatusBody,
        response: { 204: Type.Null() },
      },
    }, async (request, reply) => {
      const outcome = await applyTwilioStatus(deps.db, port, channels.get(request)!, request.body, request.query.message_uuid);
      if (outcome.outcome === 'unknown') {
        request.log.info({ sid: request.body.MessageSid, status: request.body.MessageStatus }, 'Twilio status callback for no known message or status; ignored');
      }
      return reply.code(204).send(null);
    });
  });
}
