import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { purgeExpiredEvents } from './feed.ts';

async function contact(beckon: TestBeckon, email: string, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body: { email, name: email }, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().contact.uuid;
}

test('GET /v1/events lists the workspace\'s events newest first with webhook bodies, paginated by cursor', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const uuids = [];
  for (let i = 0; i < 3; i++) uuids.push(await contact(beckon, `p${i}@example.com`));
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${uuids[0]}`, { body: { name: 'Renamed' } })).statusCode, 200);

  const all = await beckon.call('GET', '/v1/events');
  assert.equal(all.statusCode, 200);
  const events = all.json().events;
  assert.deepEqual(events.map((e: any) => e.event), ['contact_updated', 'contact_created', 'contact_created', 'contact_created']);
  assert.deepEqual(Object.keys(events[0]).sort(), ['created_at', 'event', 'id', 'payload']);
  assert.equal(events[0].payload.uuid, uuids[0]);
  assert.equal(events[0].payload.name, 'Renamed');
  assert.deepEqual(events.slice(1).map((e: any) => e.payload.uuid), [uuids[2], uuids[1], uuids[0]]);
  assert.equal(all.json().meta.next_cursor, null);

  const first = (await beckon.call('GET', '/v1/events?limit=3')).json();
  assert.deepEqual(first.events.map((e: any) => e.id), events.slice(0, 3).map((e: any) => e.id));
  assert.equal(typeof first.meta.next_cursor, 'string');
  const second = (await beckon.call('GET', `/v1/events?limit=3&cursor=${first.meta.next_cursor}`)).json();
  assert.deepEqual(second.events.map((e: any) => e.id), [events[3].id]);
  assert.equal(second.meta.next_cursor, null);
});

test('GET /v1/events filters by type (repeated or comma-separated) and created_after, and rejects bad filters with 400', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const uuid = await contact(beckon, 'a@example.com');
  const created = (await beckon.call('GET', '/v1/events')).json().events[0];
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { name: 'B' } })).statusCode, 200);
  assert.equal((await beckon.call('DELETE', `/v1/contacts/${uuid}`)).statusCode, 200);

  const types = async (query: string) => (await beckon.call('GET', `/v1/events${query}`)).json().events.map((e: any) => e.event);
  assert.deepEqual(await types('?type=contact_updated'), ['contact_updated']);
  assert.deepEqual(await types('?type=contact_created&type=contact_deleted'), ['contact_deleted', 'contact_created']);
  assert.deepEqual(await types('?type=contact_created,contact_updated'), ['contact_updated', 'contact_created']);
  assert.deepEqual(await types('?type=message_created'), []);
  const after = (await beckon.call('GET', `/v1/events?created_after=${encodeURIComponent(created.created_at)}`)).json().events;
  assert.equal(after.some((e: any) => e.id === created.id), false);
  assert.deepEqual(await types('?created_after=2000-01-01T00:00:00Z'), ['contact_deleted', 'contact_updated', 'contact_created']);

  const badType = await beckon.call('GET', '/v1/events?type=nope');
  assert.equal(badType.statusCode, 400);
  assert.equal(badType.json().errors[0].path, 'query.type');
  const badDate = await beckon.call('GET', '/v1/events?created_after=yesterday');
  assert.equal(badDate.statusCode, 400);
  assert.equal(badDate.json().errors[0].path, 'query.created_after');
  const badCursor = await beckon.call('GET', '/v1/events?cursor=zzz');
  assert.equal(badCursor.statusCode, 400);
  assert.equal(badCursor.json().errors[0].path, 'query.cursor');
  assert.equal((await beckon.call('GET', '/v1/events?limit=101')).statusCode, 400);
});

test('GET /v1/events shows only the calling workspace\'s events', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  await contact(beckon, 'mine@example.com');
  const theirs = await contact(beckon, 'theirs@example.com', other);
  const mine = (await beckon.call('GET', '/v1/events')).json().events;
  assert.deepEqual(mine.map((e: any) => e.payload.email), ['mine@example.com']);
  const seen = (await beckon.call('GET', '/v1/events', { key: other })).json().events;
  assert.deepEqual(seen.map((e: any) => e.payload.uuid), [theirs]);
});

test('events older than the retention period are purged; newer ones stay', async (t) => {
  const beckon = await startBeckon({ BECKON_EVENT_RETENTION_DAYS: '7' });
  t.after(() => beckon.stop());
  assert.equal(beckon.runtime.deps.config.eventRetentionDays, 7);
  await contact(beckon, 'old@example.com');
  await contact(beckon, 'new@example.com');
  const [newer, older] = (await beckon.call('GET', '/v1/events')).json().events;
  const { db } = beckon.runtime.deps;
  await db.updateTable('events').set({ created_at: new Date(Date.now() - 8 * 86_400_000).toISOString() }).where('id', '=', older.id).execute();

  assert.equal(await purgeExpiredEvents(beckon.runtime.deps, beckon.runtime.deps.config.eventRetentionDays), 1);
  assert.deepEqual((await beckon.call('GET', '/v1/events')).json().events.map((e: any) => e.id), [newer.id]);
  assert.equal(await purgeExpiredEvents(beckon.runtime.deps, 7), 0);
  assert.equal(await purgeExpiredEvents(beckon.runtime.deps, 7, new Date(Date.now() + 8 * 86_400_000)), 1);
});
