// The SDK against a real Beckon on loopback, live parts: the event stream (typed events, resume with Last-Event-ID
// after a dropped connection) and webhook verification of real deliveries (test/receiver.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { eventStreams } from '../src/events/stream.ts';
import { createBeckon, verifyWebhook, type Beckon, type BeckonEvent } from '../sdk/src/index.ts';
import { startBeckon, waitFor, type TestBeckon } from './helpers.ts';
import { Receiver } from './receiver.ts';
import { listen, recordingFetch } from './sdk-support.ts';

let beckon: TestBeckon;
let baseUrl: string;
before(async () => {
  beckon = await startBeckon();
  baseUrl = await listen(beckon);
});
after(() => beckon.stop());

async function send(sdk: Beckon, text: string): Promise<string> {
  const { data } = await sdk.POST('/v1/messages/send', { body: { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text } } });
  assert.ok(data, `sent ${text}`);
  return data.message.uuid;
}

const messageUuid = (event: BeckonEvent) => (event.payload as { uuid: string }).uuid;

test('sdk: stream yields typed message_created events, and resumes after a dropped connection with Last-Event-ID', async () => {
  const apiKey = await beckon.newWorkspace('streaming');
  const streams = eventStreams(beckon.runtime.deps);
  // the stream's responses pass through a pipe the test can cut, as a network would
  let cut: (() => void) | undefined;
  const { fetch, seen } = recordingFetch((request, response) => {
    if (request.path !== '/v1/events/stream' || !response.body) return;
    const pipe = new TransformStream<Uint8Array, Uint8Array>();
    const controller = new AbortController();
    response.body.pipeTo(pipe.writable, { signal: controller.signal }).catch(() => {});
    cut = () => controller.abort();
    return new Response(pipe.readable, { status: response.status, headers: response.headers });
  });
  const sdk = createBeckon({ baseUrl, apiKey, fetch });
  const events = sdk.stream({ types: ['message_created'], reconnectDelayMs: 20 });

  const first = events.next();
  await waitFor('the stream to open', async () => streams.size === 1);
  const m1 = await send(sdk, 'one');
  const e1 = (await first).value as BeckonEvent;
  assert.equal(e1.event, 'message_created');
  assert.equal(messageUuid(e1), m1);
  const opened = seen.find((r) => r.path === '/v1/events/stream');
  assert.equal(opened?.search.get('type'), 'message_created');
  assert.equal(opened?.headers.get('authorization'), `Bearer ${apiKey}`);

  // the connection drops; a message is sent while the client is away; the client comes back after e1 and gets it
  cut!();
  await waitFor('the server to see the stream close', async () => streams.size === 0);
  const m2 = await send(sdk, 'two');
  const e2 = (await events.next()).value as BeckonEvent;
  assert.equal(messageUuid(e2), m2);
  const streamRequests = seen.filter((r) => r.path === '/v1/events/stream');
  assert.deepEqual(streamRequests.map((r) => r.headers.get('last-event-id')), [null, e1.id]);

  // leaving the loop closes the stream on the server
  await events.return();
  await waitFor('the stream to close', async () => streams.size === 0);

  // a later stream resumes from a given event id: m2, then what follows
  const m3 = await send(sdk, 'three');
  const resumed: string[] = [];
  for await (const event of sdk.stream({ types: ['message_created'], lastEventId: e1.id })) {
    resumed.push(messageUuid(event));
    if (resumed.length === 2) break;
  }
  assert.deepEqual(resumed, [m2, m3]);

  // a bad position is thrown as the problem, not retried
  await assert.rejects(sdk.stream({ lastEventId: 'not-an-id' }).next(), (err: { status: number; problem: { errors: { path: string }[] } }) => {
    assert.equal(err.status, 400);
    assert.deepEqual(err.problem.errors.map((e) => e.path), ['headers.last-event-id']);
    return true;
  });
  await waitFor('every stream closed', async () => streams.size === 0);
});

test('sdk: verifyWebhook accepts a real delivery from Beckon and refuses a tampered body, a stale timestamp, a wrong secret', async (t) => {
  const receiver = await Receiver.start();
  t.after(() => receiver.stop());
  const apiKey = await beckon.newWorkspace('webhooks');
  const sdk = createBeckon({ baseUrl, apiKey });
  const created = await sdk.POST('/v1/webhooks', { body: { url: receiver.url(), events: ['message_created'] } });
  const secret = created.data!.webhook.secret;
  assert.match(secret, /^whsec_/);
  const uuid = await send(sdk, 'signed');
  const [delivery] = await receiver.waitForRequests(1);

  const event = await verifyWebhook(secret, delivery.headers, delivery.body);
  assert.equal(event.event, 'message_created');
  assert.equal(messageUuid(event), uuid);
  // a Headers object and the raw bytes work too
  const bytes = new TextEncoder().encode(delivery.body);
  assert.equal((await verifyWebhook(secret, new Headers(delivery.headers), bytes)).id, event.id);

  const refused = async (reason: string, run: () => Promise<unknown>) => assert.rejects(run, (err: { name: string; reason: string }) => {
    assert.equal(err.name, 'WebhookVerificationError');
    assert.equal(err.reason, reason);
    return true;
  });
  assert.ok(delivery.body.includes('"signed"'));
  await refused('invalid_signature', () => verifyWebhook(secret, delivery.headers, delivery.body.replace('"signed"', '"forged"')));
  await refused('invalid_signature', () => verifyWebhook(`whsec_${randomBytes(32).toString('base64')}`, delivery.headers, delivery.body));
  const sentAt = Number(delivery.headers['webhook-timestamp']);
  await refused('stale_timestamp', () => verifyWebhook(secret, delivery.headers, delivery.body, { now: new Date((sentAt + 301) * 1000) }));
  await refused('stale_timestamp', () => verifyWebhook(secret, delivery.headers, delivery.body, { now: new Date((sentAt - 301) * 1000) }));
  assert.equal((await verifyWebhook(secret, delivery.headers, delivery.body, { now: new Date((sentAt + 299) * 1000) })).id, event.id);
  // a replayed delivery given a fresher timestamp does not match the signature
  await refused('invalid_signature', () => verifyWebhook(secret, { ...delivery.headers, 'webhook-timestamp': String(sentAt + 60) }, delivery.body, { now: new Date((sentAt + 60) * 1000) }));
  await refused('missing_header', () => verifyWebhook(secret, { ...delivery.headers, 'webhook-signature': undefined }, delivery.body));
  await refused('invalid_timestamp', () => verifyWebhook(secret, { ...delivery.headers, 'webhook-timestamp': 'yesterday' }, delivery.body));
  await refused('invalid_secret', () => verifyWebhook('whsec_', delivery.headers, delivery.body));

  // after a rotation both signatures are sent; the old secret and the new one both verify
  const rotated = await sdk.POST('/v1/webhooks/{uuid}/rotate_secret', { params: { path: { uuid: created.data!.webhook.uuid } } });
  const newSecret = rotated.data!.webhook.secret;
  await send(sdk, 'rotated');
  const [, second] = await receiver.waitForRequests(2);
  assert.equal(second.headers['webhook-signature'].split(' ').length, 2);
  assert.equal((await verifyWebhook(newSecret, second.headers, second.body)).event, 'message_created');
  assert.equal((await verifyWebhook(secret, second.headers, second.body)).event, 'message_created');
});
