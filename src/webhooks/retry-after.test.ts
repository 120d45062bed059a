import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { nextAttemptDelayMs, parseRetryAfter, RETRY_AFTER_CAP_MS, scheduledDelayMs } from './retry.ts';
import { createHook, emit, waitForDelivery, workspaceOf } from './test-support.ts';

/** Milliseconds between an attempt being sent and the next one being due. */
function gap(d: { next_attempt_at: string | null; attempts: { created_at: string }[] }): number {
  return Date.parse(d.next_attempt_at as string) - Date.parse(d.attempts[d.attempts.length - 1].created_at);
}

test('Retry-After on 429 and 503 (seconds or HTTP date) sets the next attempt no earlier than asked, capped at 6 hours', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '0,0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const inFiveMinutes = new Date(Math.ceil((Date.now() + 300_000) / 1000) * 1000);
  receiver.answer((request) => {
    if (request.path === '/seconds') return { status: 429, headers: { 'retry-after': '120' } };
    if (request.path === '/date') return { status: 503, headers: { 'retry-after': inFiveMinutes.toUTCString() } };
    if (request.path === '/huge') return { status: 429, headers: { 'retry-after': '999999' } };
    return { status: 500, headers: { 'retry-after': '120' } };
  });
  const ws = await workspaceOf(beckon);
  const hooks = Object.fromEntries(await Promise.all(['/seconds', '/date', '/huge', '/ignored'].map(async (path) =>
    [path, (await createHook(beckon, { url: receiver.url(path), events: ['contact_created'] })).uuid] as const)));
  await emit(beckon, ws, 'contact_created', { uuid: 'c-1' });

  const pending = async (path: string) => waitForDelivery(beckon, hooks[path], `a first attempt at ${path}`, (d) => d.attempt_count === 1);
  const seconds = await pending('/seconds');
  assert.equal(seconds.status, 'pending');
  assert.equal(seconds.attempts[0].status_code, 429);
  assert.ok(gap(seconds) >= 120_000 && gap(seconds) < 125_000, String(gap(seconds)));

  const date = await pending('/date');
  assert.equal(date.attempts[0].status_code, 503);
  assert.ok(Date.parse(date.next_attempt_at as string) >= inFiveMinutes.getTime(), `${date.next_attempt_at} is before ${inFiveMinutes.toISOString()}`);
  assert.ok(Date.parse(date.next_attempt_at as string) < inFiveMinutes.getTime() + 5000);

  const huge = await pending('/huge');
  assert.ok(gap(huge) >= RETRY_AFTER_CAP_MS && gap(huge) < RETRY_AFTER_CAP_MS + 5000, String(gap(huge)));

  // a 500 carrying Retry-After is retried on the schedule (0 s here), not when it asks
  const ignored = await waitForDelivery(beckon, hooks['/ignored'], 'the 500 endpoint to exhaust its retries', (d) => d.status === 'failed');
  assert.equal(ignored.attempt_count, 3);
});

test('the default schedule retries after about 5 s (±20% jitter) and keeps the delivery pending', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.answer({ status: 500 });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created'] });
  await emit(beckon, await workspaceOf(beckon), 'contact_created', { uuid: 'c-1' });
  const delivery = await waitForDelivery(beckon, hook.uuid, 'a first failed attempt', (d) => d.attempt_count === 1);
  assert.equal(delivery.status, 'pending');
  assert.ok(gap(delivery) >= 4000 && gap(delivery) <= 6000 + 1000, String(gap(delivery)));
});

test('retry arithmetic: jitter bounds, exhausted schedule, Retry-After parsing', () => {
  const schedule = [5, 300];
  assert.equal(scheduledDelayMs(schedule, 0, () => 0), 4000);
  assert.equal(scheduledDelayMs(schedule, 0, () => 0.5), 5000);
  assert.equal(scheduledDelayMs(schedule, 1, () => 1), 360_000);
  assert.equal(scheduledDelayMs(schedule, 2), null);
  assert.equal(scheduledDelayMs([], 0), null);

  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('30', now), 30_000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('99999999', now), RETRY_AFTER_CAP_MS);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter('-5', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);

  assert.equal(nextAttemptDelayMs(4000, null), 4000);
  assert.equal(nextAttemptDelayMs(4000, 120_000), 120_000);
  assert.equal(nextAttemptDelayMs(3_600_000, 1000), 3_600_000);
});
