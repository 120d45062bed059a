import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import * as sharedLimits from '../db/migrations/0012_shared_limits.ts';
import { createPgThrottle } from './throttle-pg.ts';
import { sendMessageTask } from './tasks.ts';
import { RetryLater } from '../jobs/queue.ts';
import { ProviderError, type ProviderAdapter } from '../providers/types.ts';
import { loadConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';
import { closeBeforeDrop, freshPgDatabase, pgHandle, pgUnavailable } from '../../test/pg-fresh.ts';

const skip = await pgUnavailable();

/** Two throttles on two pools (two worker processes) against one fresh database. */
async function twoThrottles(t: { after(fn: () => Promise<void>): void }) {
  const url = await freshPgDatabase(t, 'beckon_rl');
  const one = pgHandle(url);
  const two = pgHandle(url);
  await sharedLimits.up(one);
  return [createPgThrottle(one as never), createPgThrottle(two as never)] as const;
}

test('pg throttle: two processes share one channel\'s pace, reserved slots and pauses', { skip: skip ?? false }, async (t) => {
  const [a, b] = await twoThrottles(t);
  // the in-memory sequence of throttle.test.ts, alternating between the two processes
  assert.deepEqual([await a.take('ch', 2, 'a', 0), await b.take('ch', 2, 'b', 0), await a.take('ch', 2, 'c', 0), await b.take('ch', 2, 'd', 0)], [0, 0, 500, 1000]);
  assert.equal(await b.take('ch', 2, 'c', 400), 100, 'too early, in the other process: still waiting for its slot');
  assert.equal(await b.take('ch', 2, 'c', 500), 0, 'its slot, found by the other process');
  assert.equal(await a.take('ch', 2, 'd', 1000), 0);
  assert.equal(await b.take('ch', 2, 'e', 1000), 500, 'a newcomer queues after the reserved slots');
  assert.equal(await a.take('other', 2, 'x', 0), 0, 'channels are paced apart');
  assert.equal(await a.take('ch', Infinity, 'f', 0), 0, 'no rate: never waits');

  // a pause in one process holds the other, moves slots handed out before it, and ends without a burst
  const keys = Array.from({ length: 11 }, (_, i) => `m${i}`);
  const waits = [];
  for (const [i, key] of keys.entries()) waits.push(await (i % 2 ? b : a).take('p', 10, key, 0));
  assert.deepEqual(waits, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
  await a.pause('p', 5000, 50);
  assert.equal(await b.take('p', 10, 'm10', 100), 4950, 'the slot at 100 moved after the pause');
  assert.equal(await a.take('p', 10, 'n1', 100), 5050);
  assert.equal(await b.take('p', Infinity, 'u', 100), 4950, 'an unpaced send waits for the pause too');
  await b.pause('p', 1000, 200);
  assert.equal(await a.take('p', 10, 'n2', 300), 4950, 'a shorter pause changes nothing: the next slot is 5250');
});

test('pg throttle: concurrent takes from two processes hand out each slot once', { skip: skip ?? false }, async (t) => {
  const [a, b] = await twoThrottles(t);
  const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).take('ch', 10, `k${i}`, 0)));
  // a burst of 10 at once, then one slot per 100 ms: 30 distinct slots 100..3000
  assert.equal(waits.filter((w) => w === 0).length, 10);
  assert.deepEqual(waits.filter((w) => w > 0).sort((x, y) => x - y), Array.from({ length: 30 }, (_, i) => (i + 1) * 100));
});

test('send_message on two Beckon runtimes sharing one PostgreSQL database: one channel rate, one provider pause', { skip: skip ?? false }, async (t) => {
  const url = await freshPgDatabase(t, 'beckon_rl');
  const key = 'bk_test_shared_pace_' + Math.random().toString(36).slice(2);
  const env = { DATABASE_URL: url, BECKON_BOOTSTRAP_KEY: key, BECKON_SECRET_KEY: randomBytes(32).toString('base64'), BECKON_LOG_LEVEL: 'silent' };
  const runtimes: Runtime[] = [];
  closeBeforeDrop(url, async () => {
    for (const runtime of runtimes) await runtime.stop();
  });
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'beckon-pace-'));
    t.after(async () => rmSync(dataDir, { recursive: true, force: true }));
    runtimes.push(await startRuntime(loadConfig({ ...env, BECKON_DATA_DIR: dataDir }), { worker: false }));
  }
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    runtimes[0].app.inject({ method, url: path, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
  const created = await call('POST', '/v1/channels', { type: 'whatsapp', provider: 'sandbox', title: 'Paced', config: { rate_per_second: 1 } });
  assert.equal(created.statusCode, 201, created.body);
  const channel = created.json().channel.uuid;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    // two on the paced channel, two on the default sandbox channel (unpaced: only a provider's pause holds it)
    const sent = await call('POST', '/v1/messages/send', { to: `+3933312345${10 + i}`, from: 'whatsapp', type: 'text', content: { text: 'hi' }, ...(i < 2 ? { channel_uuid: channel } : {}) });
    assert.equal(sent.statusCode, 200, sent.body);
    ids.push(sent.json().message.uuid);
  }
  const calls: string[] = [];
  let throttled = false;
  const adapter: ProviderAdapter = {
    name: 'sandbox', deduplicates: true,
    async send(_channel, message) {
      calls.push(message.id);
      if (throttled) throw new ProviderError('throughput_exceeded', 'too many messages sent from this phone number', true, 30_000);
      return { providerMessageId: `p-${message.id}` };
    },
  };
  // each runtime's send_message as its worker process builds it: the PostgreSQL pacer on its own store
  const [runA, runB] = runtimes.map((r) => sendMessageTask(r.deps, { sandbox: adapter }));
  const context = { attempt: 1, maxAttempts: 10 };
  const outcome = (p: Promise<void>) => p.then(() => 'sent', (err: unknown) => err);

  assert.equal(await outcome(runA({ message_id: ids[0] }, context)), 'sent');
  const held = await outcome(runB({ message_id: ids[1] }, context));
  assert.ok(held instanceof RetryLater && held.delayMs > 0 && held.delayMs <= 1000, `the other runtime waits for the next slot (${String(held)})`);
  assert.deepEqual(calls, [ids[0]]);

  // on the unpaced channel, a throughput error in one runtime pauses the channel in the other
  throttled = true;
  const backOff = await outcome(runA({ message_id: ids[2] }, context));
  assert.ok(backOff instanceof RetryLater && backOff.delayMs === 30_000);
  const paused = await outcome(runB({ message_id: ids[3] }, context));
  assert.ok(paused instanceof RetryLater && paused.delayMs > 28_000 && paused.delayMs <= 31_000, `paused in the other runtime too (${paused instanceof RetryLater ? paused.delayMs : String(paused)} ms)`);
  assert.deepEqual(calls, [ids[0], ids[2]], 'nothing was sent on the paused channel');
});
