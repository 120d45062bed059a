import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { RetryLater } from '../jobs/queue.ts';
import { ProviderError, type ProviderAdapter } from '../providers/types.ts';
import { sendMessageTask, THROTTLED_GIVE_UP_MS } from './tasks.ts';
import { createThrottle, sendRateOf, type ChannelThrottle } from './throttle.ts';

test('throttle: a burst of one second\'s worth, then one slot per 1/rate; a told-to-wait send finds its slot reserved', () => {
  const throttle = createThrottle();
  assert.deepEqual(['a', 'b', 'c', 'd'].map((key) => throttle.take('ch', 2, key, 0)), [0, 0, 500, 1000]);
  assert.equal(throttle.take('ch', 2, 'c', 400), 100, 'too early: still waiting for its slot');
  assert.equal(throttle.take('ch', 2, 'c', 500), 0, 'its slot');
  assert.equal(throttle.take('ch', 2, 'd', 1000), 0);
  assert.equal(throttle.take('ch', 2, 'e', 1000), 500, 'a newcomer queues after the reserved slots');
  assert.equal(throttle.take('other', 2, 'x', 0), 0, 'channels are paced apart');
  assert.equal(throttle.take('ch', Infinity, 'f', 0), 0, 'no rate: never waits');
  // idle long enough, the burst is back
  assert.deepEqual(['g', 'h', 'i'].map((key) => throttle.take('ch', 2, key, 10_000)), [0, 0, 500]);
});

test('throttle: a pause holds every send, moves slots handed out before it, and ends without a burst', () => {
  const throttle = createThrottle();
  const keys = Array.from({ length: 11 }, (_, i) => `m${i}`);
  assert.deepEqual(keys.map((key) => throttle.take('ch', 10, key, 0)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
  throttle.pause('ch', 5000, 50);
  assert.equal(throttle.take('ch', 10, 'm10', 100), 4950, 'the slot at 100 moved after the pause');
  assert.equal(throttle.take('ch', 10, 'n1', 100), 5050);
  assert.equal(throttle.take('ch', 10, 'n2', 100), 5150);
  throttle.pause('ch', 1000, 200);
  assert.equal(throttle.take('ch', 10, 'n3', 200), 5150, 'a shorter pause changes nothing');
  assert.equal(throttle.take('unpaced', Infinity, 'u1', 0), 0);
  throttle.pause('unpaced', 2000, 0);
  assert.deepEqual([throttle.take('unpaced', Infinity, 'u2', 500), throttle.take('unpaced', Infinity, 'u3', 2000)], [1500, 0], 'an unpaced channel waits out a pause too');
});

test('send rate: rate_per_second, else 80/s for WhatsApp, 10/s for SMS and email; sandbox channels unlimited unless set', () => {
  assert.equal(sendRateOf({ type: 'whatsapp', provider: 'whatsapp_cloud', config: {} }), 80);
  assert.equal(sendRateOf({ type: 'sms', provider: 'twilio', config: {} }), 10);
  assert.equal(sendRateOf({ type: 'email', provider: 'smtp', config: {} }), 10);
  assert.equal(sendRateOf({ type: 'whatsapp', provider: 'whatsapp_cloud', config: { rate_per_second: 250 } }), 250);
  assert.equal(sendRateOf({ type: 'whatsapp', provider: 'sandbox', config: {} }), Infinity);
  assert.equal(sendRateOf({ type: 'whatsapp', provider: 'sandbox', config: { rate_per_second: 5 } }), 5);
  assert.equal(sendRateOf({ type: 'sms', provider: 'twilio', config: { rate_per_second: 'fast' } }), 10);
  assert.equal(sendRateOf({ type: 'sms', provider: 'twilio', config: { rate_per_second: -1 } }), 10);
});

async function sandboxChannel(beckon: TestBeckon, config: Record<string, unknown>): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Paced', config } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

async function enqueue(beckon: TestBeckon, channel: string | undefined, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await beckon.call('POST', '/v1/messages/send', { body: { to: `+3933312345${10 + i}`, from: 'whatsapp', type: 'text', content: { text: 'hi' }, channel_uuid: channel } });
    assert.equal(res.statusCode, 200, res.body);
    ids.push(res.json().message.uuid);
  }
  return ids;
}

async function statusOf(beckon: TestBeckon, id: string): Promise<string> {
  return (await beckon.call('GET', `/v1/messages/${id}`)).json().message.status;
}

test('send_message: a job over the channel\'s rate comes back later without counting an attempt; the provider\'s throughput error pauses the channel', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const paced = await sandboxChannel(beckon, { rate_per_second: 1 });
  const [first, second] = await enqueue(beckon, paced, 2);
  const calls: string[] = [];
  let throttled = false;
  const adapter: ProviderAdapter = {
    name: 'sandbox', deduplicates: true,
    async send(channel, message) {
      calls.push(message.id);
      if (throttled) throw new ProviderError('throughput_exceeded', 'too many messages sent from this phone number', true, 30_000);
      return { providerMessageId: `p-${message.id}` };
    },
  };
  // the throttle's clock stands still: the second send comes within the first one's second however slow the machine is
  const throttle = createThrottle();
  const frozenAt = Date.now();
  const stillClock: ChannelThrottle = {
    take: (channelId, rate, key, now) => throttle.take(channelId, rate, key, now ?? frozenAt),
    pause: (channelId, ms, now) => throttle.pause(channelId, ms, now ?? frozenAt),
  };
  const run = sendMessageTask(beckon.runtime.deps, { sandbox: adapter }, stillClock);
  const context = { attempt: 1, maxAttempts: 10 };

  await run({ message_id: first }, context);
  assert.equal(await statusOf(beckon, first), 'sent');
  const held = await run({ message_id: second }, context).then(() => undefined, (err: unknown) => err);
  assert.ok(held instanceof RetryLater, 'over the rate: put back');
  assert.ok(held.delayMs > 0 && held.delayMs <= 1000, `waits for its slot within a second (${held.delayMs} ms)`);
  assert.deepEqual(calls, [first], 'the provider was not called');
  assert.equal(await statusOf(beckon, second), 'enqueued');

  // the default sandbox channel is unlimited; its provider now answers a throughput error
  const [a, b] = await enqueue(beckon, undefined, 2);
  throttled = true;
  const backOff = await run({ message_id: a }, context).then(() => undefined, (err: unknown) => err);
  assert.ok(backOff instanceof RetryLater);
  assert.equal(backOff.delayMs, 30_000, 'comes back when the provider asked');
  assert.equal(await statusOf(beckon, a), 'enqueued', 'not failed: a throughput error is no failure');
  const paused = await run({ message_id: b }, context).then(() => undefined, (err: unknown) => err);
  assert.ok(paused instanceof RetryLater && paused.delayMs > 29_000 && paused.delayMs <= 30_000, 'the whole channel waits');
  assert.deepEqual(calls, [first, a], 'nothing was sent on the paused channel');

  // still throttled 24 hours after it was accepted: failed with the provider's code
  const old = new Date(Date.now() - THROTTLED_GIVE_UP_MS - 1000).toISOString();
  await beckon.runtime.deps.db.updateTable('messages').set({ created_at: old }).where('id', '=', b).execute();
  await sendMessageTask(beckon.runtime.deps, { sandbox: adapter }, createThrottle())({ message_id: b }, context);
  const gaveUp = (await beckon.call('GET', `/v1/messages/${b}`)).json().message;
  assert.deepEqual([gaveUp.status, gaveUp.error], ['failed', {
    code: 'throughput_exceeded', reason: 'too many messages sent from this phone number (the provider kept refusing for throughput 24 hours after the message was accepted)',
  }]);
});
