import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../db/connect.ts';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { findDefaultChannel } from '../channels/queries.ts';
import { createContact } from '../contacts/service.ts';
import { receiveMessage } from '../messages/inbound.ts';
import { recordEvent, recordEvents } from './service.ts';
import type { EventBus, EventSubscriber, RecordedEvent } from './subscribers.ts';

/** A subscriber that keeps every batch it is handed, and what its transaction (and only it) could see of those events then. */
function recorder(types: EventSubscriber['types'], outside: Db) {
  const batches: { events: RecordedEvent[]; seenInside: number; seenOutside: number; lastInbound?: string | null }[] = [];
  const subscriber: EventSubscriber = {
    name: 'recorder',
    types,
    async handle(trx, _queue, workspaceId, events) {
      const ids = events.map((e) => e.id);
      const count = async (db: Db) => Number((await db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('id', 'in', ids).executeTakeFirstOrThrow()).n);
      const batch: (typeof batches)[number] = { events, seenInside: await count(trx), seenOutside: await count(outside) };
      const contactId = events.map((e) => JSON.parse(e.payload).contact?.uuid as string | undefined).find((id) => id !== undefined);
      if (contactId) {
        batch.lastInbound = (await trx.selectFrom('contacts').select('last_inbound_at').where('workspace_id', '=', workspaceId).where('id', '=', contactId).executeTakeFirst())?.last_inbound_at;
      }
      batches.push(batch);
    },
  };
  return { subscriber, batches };
}

async function defaultWorkspace(beckon: TestBeckon): Promise<string> {
  return (await beckon.runtime.deps.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
}

async function countEvents(db: Db, workspaceId: string): Promise<number> {
  return Number((await db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);
}

test('a second subscriber is handed exactly the events of its types, in order, inside the recording transaction; webhooks still get all', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  assert.deepEqual(deps.subscribers.map((s) => s.name), ['webhooks', 'automations', 'automation_waits', 'conversations']);
  const hook = await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['*'] } });
  assert.equal(hook.statusCode, 201, hook.body);
  const workspaceId = await defaultWorkspace(beckon);
  const { subscriber, batches } = recorder(['contact_created', 'message_created'], deps.db);
  const bus: EventBus = { queue: deps.queue, subscribers: [...deps.subscribers, subscriber] };

  const at = new Date().toISOString();
  const ids = await deps.db.transaction().execute(async (trx) => [
    ...await recordEvents(trx, bus, workspaceId, [
      { type: 'contact_created', payload: { n: 1 }, created_at: at },
      { type: 'contact_updated', payload: { n: 2 }, created_at: at },
      { type: 'message_created', payload: { n: 3 }, created_at: at },
      { type: 'campaign_started', payload: { n: 4 }, created_at: at },
      { type: 'contact_created', payload: { n: 5 }, created_at: at },
    ]),
    await recordEvent(trx, bus, workspaceId, 'link_clicked', { n: 6 }),
    await recordEvent(trx, bus, workspaceId, 'message_created', { n: 7 }),
  ]);

  assert.deepEqual(batches.map((b) => b.events.map((e) => [e.type, JSON.parse(e.payload).n])), [
    [['contact_created', 1], ['message_created', 3], ['contact_created', 5]],
    [['message_created', 7]],
  ]);
  assert.deepEqual(batches.map((b) => b.events.map((e) => e.id)), [[ids[0], ids[2], ids[4]], [ids[6]]]);
  assert.ok(batches.every((b) => b.events.every((e) => e.workspace_id === workspaceId)));
  // seen by the recording transaction, not yet by anyone else: the subscriber ran before the commit
  assert.deepEqual(batches.map((b) => [b.seenInside, b.seenOutside]), [[3, 0], [1, 0]]);
  // the webhooks subscriber ('*') got all seven in the same transactions: one delivery each for the endpoint
  const deliveries = await deps.db.selectFrom('webhook_deliveries').select(['event_id']).where('workspace_id', '=', workspaceId).execute();
  assert.deepEqual(deliveries.map((d) => d.event_id).sort(), [...ids].sort());
});

test('a subscriber that throws rolls back the event and everything its transaction wrote', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  const workspaceId = await defaultWorkspace(beckon);
  const refusing: EventSubscriber = {
    name: 'refusing',
    types: ['contact_created'],
    async handle() {
      throw new Error('refused by the subscriber');
    },
  };
  const before = await countEvents(deps.db, workspaceId);
  await assert.rejects(createContact(deps.db, { queue: deps.queue, subscribers: [...deps.subscribers, refusing] }, workspaceId, { email: 'ann@example.com' }), /refused by the subscriber/);
  assert.equal(await countEvents(deps.db, workspaceId), before);
  assert.equal((await beckon.call('GET', '/v1/contacts')).json().contacts.length, 0);

  // a subscriber of other types is not called: the same contact is created
  const other = { ...refusing, types: ['campaign_completed'] };
  await createContact(deps.db, { queue: deps.queue, subscribers: [...deps.subscribers, other] }, workspaceId, { email: 'ann@example.com' });
  assert.equal((await beckon.call('GET', '/v1/contacts')).json().contacts.length, 1);
});

test('an inbound message reaches subscribers with the contact\'s window already open', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  const workspaceId = await defaultWorkspace(beckon);
  const channel = await findDefaultChannel(deps.db, workspaceId, 'whatsapp');
  assert.ok(channel);
  const { subscriber, batches } = recorder(['message_created'], deps.db);
  const view = await receiveMessage({ ...deps, subscribers: [...deps.subscribers, subscriber] }, channel, { from: '+15551230001', type: 'text', content: { text: 'hi' } });
  assert.equal(batches.length, 1);
  const [event] = batches[0].events;
  assert.equal(JSON.parse(event.payload).uuid, view.uuid);
  assert.equal(JSON.parse(event.payload).direction, 'inbound');
  assert.equal(typeof batches[0].lastInbound, 'string');
});
