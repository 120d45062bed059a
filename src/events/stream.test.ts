import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { openSse } from './sse-client.ts';
import { eventStreams, STREAM_SETTINGS } from './stream.ts';

async function listening(beckon: TestBeckon): Promise<string> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(beckon.runtime.app.server.address() as AddressInfo).port}`;
}

async function contact(beckon: TestBeckon, email: string, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body: { email }, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().contact.uuid;
}

test('GET /v1/events/stream sends new events live as SSE frames carrying the webhook body', async (t) => {
  // No fallback poll during this test: the events must arrive through the queue's notify signal.
  const savedPoll = STREAM_SETTINGS.pollMs;
  STREAM_SETTINGS.pollMs = 3_600_000;
  t.after(() => { STREAM_SETTINGS.pollMs = savedPoll; });
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listening(beckon);
  await contact(beckon, 'before@example.com');
  const stream = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${beckon.key}` });
  t.after(() => stream.close());
  assert.equal(stream.status, 200);
  assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.equal(stream.headers['cache-control'], 'no-cache, no-transform');

  const uuid = await contact(beckon, 'live@example.com');
  const [frame] = await stream.waitFrames(1);
  const stored = (await beckon.call('GET', '/v1/events?limit=1')).json().events[0];
  assert.equal(frame.id, stored.id);
  assert.equal(frame.event, 'contact_created');
  assert.deepEqual(JSON.parse(frame.data), stored);
  assert.equal(JSON.parse(frame.data).payload.uuid, uuid);

  assert.equal((await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { name: 'Live' } })).statusCode, 200);
  const frames = await stream.waitFrames(2);
  assert.equal(frames[1].event, 'contact_updated');
  assert.equal(JSON.parse(frames[1].data).payload.name, 'Live');
});

test('the stream filters by type and never shows another workspace\'s events', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listening(beckon);
  const other = await beckon.newWorkspace('other');
  const stream = await openSse(`${base}/v1/events/stream?type=contact_updated`, { authorization: `Bearer ${beckon.key}` });
  t.after(() => stream.close());
  const theirs = await contact(beckon, 'theirs@example.com', other);
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${theirs}`, { body: { name: 'X' }, key: other })).statusCode, 200);
  const mine = await contact(beckon, 'mine@example.com');
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${mine}`, { body: { name: 'Mine' } })).statusCode, 200);
  const [frame] = await stream.waitFrames(1);
  assert.equal(frame.event, 'contact_updated');
  assert.equal(JSON.parse(frame.data).payload.uuid, mine);
  // A later event proves nothing else was queued before it.
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${mine}`, { body: { name: 'Again' } })).statusCode, 200);
  const frames = await stream.waitFrames(2);
  assert.equal(JSON.parse(frames[1].data).payload.name, 'Again');
  assert.equal(stream.frames.length, 2);

  const bad = await openSse(`${base}/v1/events/stream?type=nope`, { authorization: `Bearer ${beckon.key}` });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).errors[0].path, 'query.type');
  const anonymous = await openSse(`${base}/v1/events/stream`, {});
  assert.equal(anonymous.status, 401);
});

test('a stream resumed with Last-Event-ID replays what was stored after that event, then goes live', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listening(beckon);
  const auth = { authorization: `Bearer ${beckon.key}` };
  const first = await openSse(`${base}/v1/events/stream`, auth);
  await contact(beckon, 'one@example.com');
  const [seen] = await first.waitFrames(1);
  first.close();
  await first.ended;
  const streams = eventStreams(beckon.runtime.deps);
  await waitFor('the server to drop the closed stream', async () => streams.size === 0);

  await contact(beckon, 'two@example.com');
  await contact(beckon, 'three@example.com');
  const resumed = await openSse(`${base}/v1/events/stream`, { ...auth, 'last-event-id': seen.id! });
  t.after(() => resumed.close());
  const replayed = await resumed.waitFrames(2);
  assert.deepEqual(replayed.map((f) => JSON.parse(f.data).payload.email), ['two@example.com', 'three@example.com']);
  await contact(beckon, 'four@example.com');
  const frames = await resumed.waitFrames(3);
  assert.equal(JSON.parse(frames[2].data).payload.email, 'four@example.com');

  const viaQuery = await openSse(`${base}/v1/events/stream?last_event_id=${seen.id}`, auth);
  t.after(() => viaQuery.close());
  assert.deepEqual((await viaQuery.waitFrames(3)).map((f) => f.id), frames.map((f) => f.id));

  const bad = await openSse(`${base}/v1/events/stream`, { ...auth, 'last-event-id': 'not-an-id' });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).errors[0].path, 'headers.last-event-id');
});

test('a stream sends heartbeat comments and is ended cleanly when the server shuts down', async (t) => {
  const saved = STREAM_SETTINGS.heartbeatMs;
  STREAM_SETTINGS.heartbeatMs = 50;
  t.after(() => { STREAM_SETTINGS.heartbeatMs = saved; });
  const beckon = await startBeckon();
  let stopped = false;
  t.after(() => (stopped ? undefined : beckon.stop()));
  const base = await listening(beckon);
  const stream = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${beckon.key}` });
  assert.equal(eventStreams(beckon.runtime.deps).size, 1);
  const comments = await stream.waitComments(3);
  assert.deepEqual(comments, ['connected', 'heartbeat', 'heartbeat']);
  await beckon.stop();
  stopped = true;
  await stream.ended;
  assert.equal(stream.frames.length, 0);
  assert.equal(eventStreams(beckon.runtime.deps).size, 0);
});

test('a Last-Event-ID that is no longer stored (purged) resumes from the time in its UUID v7', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listening(beckon);
  await contact(beckon, 'gone@example.com');
  await contact(beckon, 'kept@example.com');
  const [kept, gone] = (await beckon.call('GET', '/v1/events')).json().events;
  await beckon.runtime.deps.db.deleteFrom('events').where('id', '=', gone.id).execute();
  const resumed = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${beckon.key}`, 'last-event-id': gone.id });
  t.after(() => resumed.close());
  const [frame] = await resumed.waitFrames(1);
  assert.equal(frame.id, kept.id);

  const v4 = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${beckon.key}`, 'last-event-id': '3b241101-e2bb-4255-8caf-4136c566a962' });
  assert.equal(v4.status, 400);
});

test('a long replay is read in batches, in order, without losing or repeating events', async (t) => {
  const saved = STREAM_SETTINGS.batch;
  STREAM_SETTINGS.batch = 2;
  t.after(() => { STREAM_SETTINGS.batch = saved; });
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listening(beckon);
  for (let i = 0; i < 6; i++) await contact(beckon, `c${i}@example.com`);
  const stored = (await beckon.call('GET', '/v1/events')).json().events.reverse();
  const resumed = await openSse(`${base}/v1/events/stream?type=contact_created`, { authorization: `Bearer ${beckon.key}`, 'last-event-id': stored[0].id });
  t.after(() => resumed.close());
  const frames = await resumed.waitFrames(5);
  assert.deepEqual(frames.map((f) => f.id), stored.slice(1).map((e: any) => e.id));
  await contact(beckon, 'live@example.com');
  assert.equal(JSON.parse((await resumed.waitFrames(6))[5].data).payload.email, 'live@example.com');
});
