import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../../test/helpers.ts';
import { messageTasks, SEND_MESSAGE_TASK } from '../../messages/tasks.ts';
import { createSandboxProvider, SANDBOX_DOC, SANDBOX_MAGIC_NUMBERS } from './adapter.ts';

async function send(beckon: TestBeckon, to: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/messages/send', { body: { to, from: 'whatsapp', type: 'text', content: { text: 'test' } } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message.uuid;
}

async function message(beckon: TestBeckon, uuid: string) {
  return (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
}

async function settled(beckon: TestBeckon, uuid: string, status: string) {
  await waitFor(`${uuid} ${status}`, async () => (await message(beckon, uuid)).status === status, 20_000);
  await waitFor('no message job left', async () => {
    const jobs = (await beckon.runtime.queue.jobs()).filter((j) => ['send_message', 'sandbox_status'].includes(j.task));
    return jobs.length === 0;
  });
  const m = await message(beckon, uuid);
  return { ...m, history: m.status_history.map((h: { status: string }) => h.status) };
}

test('sandbox: the documented test numbers fail with their reason, or stop before read', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  for (const number of Object.keys(SANDBOX_MAGIC_NUMBERS)) assert.ok(SANDBOX_DOC.includes(number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1 $2 $3')), number);

  const invalid = await settled(beckon, await send(beckon, '+1 202 555 0101'), 'failed');
  assert.deepEqual(invalid.history, ['enqueued', 'sent', 'failed']);
  assert.equal(invalid.error.code, 'invalid_recipient');
  assert.match(invalid.error.reason, /does not exist/);

  const noWhatsapp = await settled(beckon, await send(beckon, '+12025550102'), 'failed');
  assert.deepEqual(noWhatsapp.history, ['enqueued', 'sent', 'failed']);
  assert.equal(noWhatsapp.error.code, 'not_on_whatsapp');

  const neverRead = await settled(beckon, await send(beckon, '+1 (202) 555-0103'), 'delivered');
  assert.deepEqual(neverRead.history, ['enqueued', 'sent', 'delivered'], 'delivered, and no read is scheduled');

  const rejected = await settled(beckon, await send(beckon, '+1 202 555 0105'), 'failed');
  assert.deepEqual(rejected.history, ['enqueued', 'failed']);
  assert.equal(rejected.error.code, 'provider_rejected');
  assert.equal(rejected.provider_message_id, null);
  const log = await beckon.runtime.deps.db.selectFrom('sandbox_sends').selectAll().where('idempotency_key', '=', rejected.uuid).executeTakeFirstOrThrow();
  assert.equal(log.accepted_at, null, 'a refused message never reaches the phone');

  const normal = await settled(beckon, await send(beckon, '+1 202 555 0199'), 'read');
  assert.deepEqual(normal.history, ['enqueued', 'sent', 'delivered', 'read']);
});

test('sandbox: +1 202 555 0104 answers a retryable error twice, the job retries with backoff, then it is read', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const uuid = await send(beckon, '+1 202 555 0104');
  const flaky = await settled(beckon, uuid, 'read');
  assert.deepEqual(flaky.history, ['enqueued', 'sent', 'delivered', 'read']);
  assert.equal(flaky.error, null);
  const log = await beckon.runtime.deps.db.selectFrom('sandbox_sends').selectAll().where('idempotency_key', '=', uuid).executeTakeFirstOrThrow();
  assert.equal(log.calls, 3);
  assert.equal(log.provider_message_id, flaky.provider_message_id);
});

test('sandbox: +1 202 555 0106 keeps failing; the last attempt fails the message with provider_unavailable', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const uuid = await send(beckon, '+1 202 555 0106');
  const task = messageTasks(beckon.runtime.deps)[SEND_MESSAGE_TASK];
  await assert.rejects(task({ message_id: uuid }, { attempt: 1, maxAttempts: 3 }), /unavailable/);
  assert.equal((await message(beckon, uuid)).status, 'enqueued');
  await task({ message_id: uuid }, { attempt: 3, maxAttempts: 3 });
  const failed = await message(beckon, uuid);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error.code, 'provider_unavailable');
  assert.match(failed.error.reason, /gave up after 3 attempts/);
});

test('sandbox: a send repeated after a crash reuses the first provider id and reaches the phone once', async (t) => {
  // delivery is a minute away, so the delivery callback is a scheduled job
  const beckon = await startBeckon({ BECKON_SANDBOX_DELAYS: '0,60000,60000' }, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const uuid = await send(beckon, '+39 333 123 4567');
  const sandbox = createSandboxProvider(deps);
  const channel = { id: 'c', workspaceId: 'w', type: 'whatsapp', provider: 'sandbox', config: {} };
  // The first attempt reached the provider, then the process died before recording `sent`.
  const first = await sandbox.send(channel, { id: uuid, idempotencyKey: uuid, to: '+393331234567', type: 'text', content: { text: 'test' }, metadata: null, createdAt: new Date().toISOString() });
  await messageTasks(deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 2, maxAttempts: 10 });
  await messageTasks(deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 3, maxAttempts: 10 });

  const m = await message(beckon, uuid);
  assert.equal(m.status, 'sent');
  assert.equal(m.provider_message_id, first.providerMessageId);
  const log = await deps.db.selectFrom('sandbox_sends').selectAll().execute();
  assert.equal(log.length, 1);
  assert.equal(log[0].calls, 2, 'the rerun after `sent` does not call the provider again');
  const events = await deps.db.selectFrom('events').select('id').where('type', '=', 'message_status_updated').execute();
  assert.equal(events.length, 1);
  const callbacks = await deps.queue.jobs('sandbox_status');
  assert.equal(callbacks.length, 1, 'one delivery callback is scheduled, with the send');
});

async function statusEvents(beckon: TestBeckon, uuid: string): Promise<string[]> {
  const rows = await beckon.runtime.deps.db.selectFrom('events').select('payload').where('type', '=', 'message_status_updated').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.uuid === uuid).map((p) => p.status);
}

test('sandbox: at zero delays the send records sent, delivered and read in one transaction, an event each, with no callback job', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const uuid = await send(beckon, '+39 333 765 4321');
  await messageTasks(beckon.runtime.deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 1, maxAttempts: 10 });
  const m = await message(beckon, uuid);
  assert.deepEqual(m.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent', 'delivered', 'read']);
  assert.match(m.provider_message_id, /^sbx_/);
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent', 'delivered', 'read']);
  assert.deepEqual(await beckon.runtime.deps.queue.jobs('sandbox_status'), []);
  const log = await beckon.runtime.deps.db.selectFrom('sandbox_sends').selectAll().where('idempotency_key', '=', uuid).executeTakeFirstOrThrow();
  assert.equal(log.calls, 1);
  assert.ok(log.accepted_at, 'accepted by the statement that recorded the call');
  // the job running again changes nothing
  await messageTasks(beckon.runtime.deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 2, maxAttempts: 10 });
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent', 'delivered', 'read']);
});

test('sandbox: a zero delivered delay with a later read records sent and delivered together and schedules only the read', async (t) => {
  const beckon = await startBeckon({ BECKON_SANDBOX_DELAYS: '0,0,60000' }, { worker: false });
  t.after(() => beckon.stop());
  const uuid = await send(beckon, '+39 333 765 4322');
  await messageTasks(beckon.runtime.deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 1, maxAttempts: 10 });
  assert.equal((await message(beckon, uuid)).status, 'delivered');
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent', 'delivered']);
  const callbacks = await beckon.runtime.deps.queue.jobs('sandbox_status');
  assert.deepEqual(callbacks.map((j) => j.payload), [{ provider_message_id: (await message(beckon, uuid)).provider_message_id, status: 'read' }]);

  const neverRead = await send(beckon, '+1 202 555 0103');
  await messageTasks(beckon.runtime.deps)[SEND_MESSAGE_TASK]({ message_id: neverRead }, { attempt: 1, maxAttempts: 10 });
  assert.equal((await message(beckon, neverRead)).status, 'delivered');
  assert.equal((await beckon.runtime.deps.queue.jobs('sandbox_status')).length, 1, 'no read is scheduled for the never-read number');
});
