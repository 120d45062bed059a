// The accept baseline: a bare Fastify process answering `POST /v1/messages/send` with the same body parsing
// (JSON + the same TypeBox schema, the same Ajv options) and the same JSON reply (a full message) as Beckon, and nothing else:
// no auth, no store, no worker. It is the limit of the stack Beckon is built on.
// Run by the bench as its own process: `node bench/baseline-server.ts [port]`; it prints {"port": N} once listening.
import Fastify from 'fastify';
import { Type } from 'typebox';
import { v7 as uuidv7 } from 'uuid';

// Mirrors SendBody and SendReply in src/messages/schema.ts (copied, not imported, so the baseline loads nothing of
// Beckon's and its start-up and memory stay the bare stack's).
const Content = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
}, { additionalProperties: false });
const SendBody = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 64 }),
  from: Type.Enum(['whatsapp', 'sms', 'email']),
  type: Type.Enum(['text', 'image', 'document', 'audio', 'video']),
  content: Content,
  channel_uuid: Type.Optional(Type.String({ format: 'uuid' })),
  template_uuid: Type.Optional(Type.String()),
  template_values: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  optin_contact: Type.Optional(Type.Boolean()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 500 }), { maxProperties: 10 })),
}, { additionalProperties: false });
const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);
const Message = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  direction: Type.Enum(['inbound', 'outbound']),
  channel: Nullable(Type.String()),
  channel_uuid: Type.String({ format: 'uuid' }),
  contact: Type.Object({ uuid: Type.String({ format: 'uuid' }), phone: Nullable(Type.String()) }),
  to: Nullable(Type.String()),
  from: Nullable(Type.String()),
  type: Type.String(),
  content: Type.Object({ text: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }),
  status: Type.String(),
  status_history: Type.Array(Type.Object({ status: Type.String(), at: Type.String({ format: 'date-time' }) })),
  error: Type.Union([Type.Object({ code: Type.String(), reason: Type.String() }), Type.Null()]),
  metadata: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  provider_message_id: Nullable(Type.String()),
  template_uuid: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
const SendReply = Type.Object({ message: Message });

const CHANNEL = uuidv7();
const app = Fastify({
  logger: false,
  bodyLimit: 1024 * 1024,
  ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
});
app.post('/v1/messages/send', { schema: { body: SendBody, response: { 200: SendReply } } }, async (request) => {
  const body = request.body as { to: string; from: string; type: string; content: { text?: string; url?: string }; metadata?: Record<string, string> };
  const now = new Date().toISOString();
  const phone = '+' + body.to.replace(/\D/g, '');
  return {
    message: {
      uuid: uuidv7(), direction: 'outbound', channel: body.from, channel_uuid: CHANNEL,
      contact: { uuid: uuidv7(), phone }, to: phone, from: body.from, type: body.type, content: body.content,
      status: 'enqueued', status_history: [{ status: 'enqueued', at: now }], error: null, metadata: body.metadata ?? null,
      provider_message_id: null, template_uuid: null, created_at: now, updated_at: now,
    },
  };
});
app.get('/healthz', async () => ({ status: 'ok' }));

const port = Number(process.argv[2] ?? 0);
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: (app.server.address() as { port: number }).port }) + '\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
