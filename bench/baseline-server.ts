// The accept baseline: a bare Fastify process answering `POST /v1/messages/send` with the same body parsing
// (JSON + the same TypeBox schema, the same Ajv options) and the same JSON reply (a full message) as Beckon, and nothing else:
// no auth, no store, no worker. It is the limit of the stack Beckon is built on.
// Run by the bench as its own process: `node bench/baseline-server.ts [port] [--hooks URL]`; it prints {"port": N} once
// listening. With `--hooks`, it is the pipeline's baseline too: after each reply it posts the message's three status
// webhooks (sent, delivered, read: Beckon's event body, signed the Standard Webhooks way) to URL through an undici pool,
// at most WEBHOOK_CONCURRENCY in flight as Beckon's default: the pipeline's HTTP work with no store, no job, no event.
import { createHmac, createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import { Type } from 'typebox';
import type { Pool } from 'undici';
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
const WEBHOOK_CONCURRENCY = 128;
// a KeyObject made once, as Beckon keeps its endpoints' keys (webhooks/sign.ts)
const SIGNING_KEY = createSecretKey(Buffer.from('baseline-signing-key-baseline-signing-key'));

/** Posts each message's status webhooks to one URL, at most WEBHOOK_CONCURRENCY in flight, oldest first. */
class StatusPoster {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly queue: string[] = [];
  private inFlight = 0;

  constructor(url: string, PoolClass: typeof Pool) {
    const target = new URL(url);
    this.pool = new PoolClass(target.origin, { connections: WEBHOOK_CONCURRENCY });
    this.path = target.pathname;
  }

  /** Queues `sent`, `delivered` and `read` for `message`, as Beckon records them when the sandbox's delays are 0. */
  statuses(message: { status: string; status_history: { status: string; at: string }[] }): void {
    const history = [...message.status_history];
    for (const status of ['sent', 'delivered', 'read']) {
      history.push({ status, at: new Date().toISOString() });
      const payload = JSON.stringify({ ...message, status, status_history: history });
      this.queue.push(`{"event":"message_status_updated","payload":${payload},"id":${JSON.stringify(uuidv7())},"created_at":${JSON.stringify(new Date().toISOString())}}`);
    }
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < WEBHOOK_CONCURRENCY && this.queue.length > 0) {
      const body = this.queue.shift()!;
      this.inFlight++;
      void this.post(body).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async post(body: string): Promise<void> {
    const id = uuidv7();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SIGNING_KEY).update(`${id}.${timestamp}.${body}`).digest('base64');
    try {
      const res = await this.pool.request({
        method: 'POST', path: this.path, body,
        headers: { 'content-type': 'application/json', 'user-agent': 'Beckon-Baseline/1', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
      });
      await res.body.dump();
    } catch {
      // the bench counts what arrives; a lost post shows as a message never delivered
    }
  }
}

const hooksAt = process.argv.indexOf('--hooks');
// undici is loaded only then, so the accept baseline's start-up and memory stay the bare stack's
const hooks = hooksAt > 0 ? new StatusPoster(process.argv[hooksAt + 1], (await import('undici')).Pool) : null;
app.post('/v1/messages/send', { schema: { body: SendBody, response: { 200: SendReply } } }, async (request) => {
  const body = request.body as { to: string; from: string; type: string; content: { text?: string; url?: string }; metadata?: Record<string, string> };
  const now = new Date().toISOString();
  const phone = '+' + body.to.replace(/\D/g, '');
  const reply = {
    message: {
      uuid: uuidv7(), direction: 'outbound', channel: body.from, channel_uuid: CHANNEL,
      contact: { uuid: uuidv7(), phone }, to: phone, from: body.from, type: body.type, content: body.content,
      status: 'enqueued', status_history: [{ status: 'enqueued', at: now }], error: null, metadata: body.metadata ?? null,
      provider_message_id: null, template_uuid: null, created_at: now, updated_at: now,
    },
  };
  if (hooks) setImmediate(() => hooks.statuses(reply.message));
  return reply;
});
app.get('/healthz', async () => ({ status: 'ok' }));

const port = Number(process.argv[2] ?? 0);
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: (app.server.address() as { port: number }).port }) + '\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
