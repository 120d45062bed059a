// The accept baseline: a bare Fastify process answering `POST /v1/messages/send` with the same body parsing
// (JSON + a TypeBox schema of the same shape) and the same JSON reply as Beckon, and nothing else:
// no auth, no store, no worker. It is the limit of the stack Beckon is built on.
// Run by the bench as its own process: `node bench/baseline-server.ts [port]`; it prints {"port": N} once listening.
import Fastify from 'fastify';
import { Type } from 'typebox';
import { v7 as uuidv7 } from 'uuid';

const SendBody = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 64 }),
  from: Type.String({ minLength: 1, maxLength: 32 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('image'), Type.Literal('document'), Type.Literal('audio'), Type.Literal('video')]),
  content: Type.Object({ text: Type.Optional(Type.String({ maxLength: 4096 })), url: Type.Optional(Type.String()) }),
  channel_uuid: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const SendReply = Type.Object({ message: Type.Object({ uuid: Type.String(), status: Type.String() }) });

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/v1/messages/send', { schema: { body: SendBody, response: { 200: SendReply } } }, async () => ({
  message: { uuid: uuidv7(), status: 'enqueued' },
}));
app.get('/healthz', async () => ({ status: 'ok' }));

const port = Number(process.argv[2] ?? 0);
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: (app.server.address() as { port: number }).port }) + '\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
