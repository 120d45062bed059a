import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import * as sharedLimits from '../db/migrations/0012_shared_limits.ts';
import { deleteExpiredCounters, pgRateLimitStore } from './rate-limit-store-pg.ts';
import { loadConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';
import { closeBeforeDrop, freshPgDatabase, pgHandle, pgUnavailable } from '../../test/pg-fresh.ts';

const skip = await pgUnavailable();

/** An API process: its own pool, @fastify/rate-limit with the PostgreSQL store, the key taken from a header. */
async function apiProcess(t: { after(fn: () => Promise<void>): void }, url: string, max: number) {
  const db = pgHandle(url);
  const counters = pgRateLimitStore(db as never);
  const app = Fastify();
  await app.register(rateLimit, { store: counters.Store, max, timeWindow: 60_000, keyGenerator: (request) => String(request.headers['x-key']) });
  app.get('/', async () => 'ok');
  t.after(async () => {
    counters.stop();
    await app.close();
  });
  return app;
}

test('pg rate-limit store: one key\'s budget holds across two API processes; keys are apart; a window ends', { skip: skip ?? false }, async (t) => {
  const url = await freshPgDatabase(t, 'beckon_rl');
  const admin = pgHandle(url);
  await sharedLimits.up(admin);
  const apps = [await apiProcess(t, url, 5), await apiProcess(t, url, 5)];
  const persistence = await admin.selectFrom('pg_class').select(['relname', 'relpersistence'])
    .where('relname', 'in', ['rate_limit_counters', 'channel_send_pacing', 'channel_send_slots']).orderBy('relname').execute();
  assert.deepEqual(persistence.map((r) => [r.relname, r.relpersistence]), [['channel_send_pacing', 'u'], ['channel_send_slots', 'u'], ['rate_limit_counters', 'u']], 'unlogged: no WAL flush per counted request');

  // 12 concurrent requests with one key, alternating between the processes: exactly 5 pass
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => apps[i % 2].inject({ url: '/', headers: { 'x-key': 'k1' } })));
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
  assert.deepEqual(answers.filter((a) => a.statusCode === 200).map((a) => a.headers['x-ratelimit-remaining']).sort(), ['0', '1', '2', '3', '4']);
  const retryAfter = Number(answers.find((a) => a.statusCode === 429)!.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 60, `retry-after ${retryAfter}`);

  // another key has its own budget, in either process
  const other = await apps[1].inject({ url: '/', headers: { 'x-key': 'k2' } });
  assert.equal(other.statusCode, 200);
  assert.equal(other.headers['x-ratelimit-remaining'], '4');

  // when the window has ended (moved into the past rather than waited for), the count starts again at 1
  await admin.updateTable('rate_limit_counters').set({ window_ends: 0 }).where('key', '=', 'k1').execute();
  const again = await apps[0].inject({ url: '/', headers: { 'x-key': 'k1' } });
  assert.equal(again.statusCode, 200);
  assert.equal(again.headers['x-ratelimit-remaining'], '4');

  // the sweep deletes counters whose window ended over a minute ago, and only those
  await admin.updateTable('rate_limit_counters').set({ window_ends: 1 }).where('key', '=', 'k2').execute();
  assert.equal(await deleteExpiredCounters(admin), 1);
  assert.deepEqual((await admin.selectFrom('rate_limit_counters').select(['key', 'count']).execute()).map((r) => [r.key, Number(r.count)]), [['k1', 1]]);
});

test('pg rate-limit store: two Beckon runtimes on one PostgreSQL database share an API key\'s budget', { skip: skip ?? false }, async (t) => {
  const url = await freshPgDatabase(t, 'beckon_rl');
  const key = 'bk_test_shared_limit_' + Math.random().toString(36).slice(2);
  const env = {
    DATABASE_URL: url, BECKON_BOOTSTRAP_KEY: key, BECKON_SECRET_KEY: randomBytes(32).toString('base64'), BECKON_LOG_LEVEL: 'silent',
    BECKON_RATE_LIMIT: '3', BECKON_RATE_LIMIT_WINDOW_MS: '60000',
  };
  const runtimes: Runtime[] = [];
  closeBeforeDrop(url, async () => {
    for (const runtime of runtimes) await runtime.stop();
  });
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'beckon-rl-'));
    t.after(async () => rmSync(dataDir, { recursive: true, force: true }));
    runtimes.push(await startRuntime(loadConfig({ ...env, BECKON_DATA_DIR: dataDir }), { worker: false }));
  }
  const me = (i: number) => runtimes[i % 2].app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await me(i));
  assert.deepEqual(answers.map((a) => a.statusCode), [200, 200, 200, 429, 429]);
  assert.deepEqual(answers.map((a) => a.headers['ratelimit-remaining']), ['2', '1', '0', '0', '0']);
  assert.equal(answers[3].json().code, 'rate_limited');
  const counters = await runtimes[0].deps.db.withTables<{ rate_limit_counters: { key: string; count: number } }>()
    .selectFrom('rate_limit_counters').select(['key', 'count']).execute();
  assert.deepEqual(counters.map((c) => Number(c.count)), [5], 'one counter row, for the key, counting every request of both runtimes');
});
