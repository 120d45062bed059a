import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from './helpers.ts';
import { AppError } from '../src/errors.ts';
import { IDEMPOTENCY_LOCK_MS, IDEMPOTENCY_TTL_MS } from '../src/system/idempotency.ts';
import { purgeKeys } from '../src/system/idempotency-queries.ts';

/** Starts Beckon with test-only POST routes that count how often their handler ran. */
async function withTestRoutes(): Promise<{ beckon: TestBeckon; runs: Record<string, number>; gate: { open: () => void; entered: Promise<void> } }> {
  const beckon = await startBeckon({}, { worker: false });
  const runs: Record<string, number> = { echo: 0, refuse: 0, flaky: 0, slow: 0 };
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gate = { open, entered: new Promise<void>((resolve) => (entered = resolve)) };
  const app = beckon.runtime.app;
  app.post('/test/echo', { config: { scope: 'full' } }, async (request, reply) => reply.code(201).send({ run: ++runs.echo, body: request.body ?? null }));
  app.post('/test/refuse', { config: { scope: 'full' } }, async () => {
    runs.refuse++;
    throw new AppError(422, 'contact_blocked', 'the contact is blocked');
  });
  app.post('/test/flaky', { config: { scope: 'full' } }, async () => {
    if (++runs.flaky === 1) throw new Error('the provider fell over');
    return { run: runs.flaky };
  });
  app.post('/test/slow', { config: { scope: 'full' } }, async () => {
    runs.slow++;
    entered();
    await opened;
    return { run: runs.slow };
  });
  return { beckon, runs, gate };
}

const post = (beckon: TestBeckon, url: string, body: unknown, key?: string, apiKey?: string) =>
  beckon.call('POST', url, { body, key: apiKey, headers: key === undefined ? {} : { 'idempotency-key': key } });

test('idempotency: the same key and body replay the first answer, whatever the key order in the body', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  const first = await post(beckon, '/test/echo', { a: 1, b: { c: [1, 2] } }, 'order-1');
  assert.equal(first.statusCode, 201);
  assert.equal(first.headers['idempotent-replayed'], undefined);
  const again = await post(beckon, '/test/echo', { b: { c: [1, 2] }, a: 1 }, 'order-1');
  assert.equal(again.statusCode, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.headers['content-type'], first.headers['content-type']);
  assert.equal(again.body, first.body);
  assert.equal(runs.echo, 1);

  const noKey1 = await post(beckon, '/test/echo', { a: 1 });
  const noKey2 = await post(beckon, '/test/echo', { a: 1 });
  assert.deepEqual([noKey1.json().run, noKey2.json().run], [2, 3]);
  assert.equal(noKey2.headers['idempotent-replayed'], undefined);
  const rows = await beckon.runtime.deps.db.selectFrom('idempotency_keys').select('key').execute();
  assert.deepEqual(rows.map((r) => r.key), ['order-1']);
});

test('idempotency: a reused key with another body or path is a 409 idempotency_key_reused', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  assert.equal((await post(beckon, '/test/echo', { a: 1 }, 'reuse')).statusCode, 201);
  const otherBody = await post(beckon, '/test/echo', { a: 2 }, 'reuse');
  assert.equal(otherBody.statusCode, 409);
  assert.equal(otherBody.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(otherBody.json().code, 'idempotency_key_reused');
  const otherPath = await post(beckon, '/test/refuse', { a: 1 }, 'reuse');
  assert.equal(otherPath.json().code, 'idempotency_key_reused');
  assert.deepEqual([runs.echo, runs.refuse], [1, 0]);
});

test('idempotency: a key whose first request is in flight is a 409 idempotency_key_in_progress', async (t) => {
  const { beckon, runs, gate } = await withTestRoutes();
  t.after(() => beckon.stop());
  const pending = post(beckon, '/test/slow', { n: 1 }, 'slow-1');
  await gate.entered;
  const concurrent = await post(beckon, '/test/slow', { n: 1 }, 'slow-1');
  assert.equal(concurrent.statusCode, 409);
  assert.equal(concurrent.json().code, 'idempotency_key_in_progress');
  gate.open();
  const first = await pending;
  assert.equal(first.statusCode, 200);
  const replay = await post(beckon, '/test/slow', { n: 1 }, 'slow-1');
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.deepEqual(replay.json(), { run: 1 });
  assert.equal(runs.slow, 1);
});

test('idempotency: a 4xx answer is replayed, a 5xx is not stored so a retry runs again', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  const refused = await post(beckon, '/test/refuse', {}, 'refuse-1');
  assert.equal(refused.statusCode, 422);
  const refusedAgain = await post(beckon, '/test/refuse', {}, 'refuse-1');
  assert.equal(refusedAgain.statusCode, 422);
  assert.equal(refusedAgain.headers['idempotent-replayed'], 'true');
  assert.equal(refusedAgain.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(refusedAgain.json(), refused.json());
  assert.equal(runs.refuse, 1);

  const failed = await post(beckon, '/test/flaky', {}, 'flaky-1');
  assert.equal(failed.statusCode, 500);
  const retried = await post(beckon, '/test/flaky', {}, 'flaky-1');
  assert.equal(retried.statusCode, 200);
  assert.equal(retried.headers['idempotent-replayed'], undefined);
  assert.deepEqual(retried.json(), { run: 2 });
  const replayed = await post(beckon, '/test/flaky', {}, 'flaky-1');
  assert.equal(replayed.headers['idempotent-replayed'], 'true');
  assert.deepEqual(replayed.json(), { run: 2 });
  assert.equal(runs.flaky, 2);
});

test('idempotency: keys are scoped to the workspace', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = await post(beckon, '/test/echo', { a: 1 }, 'shared-key');
  const theirs = await post(beckon, '/test/echo', { a: 1 }, 'shared-key', otherKey);
  assert.equal(theirs.statusCode, 201);
  assert.equal(theirs.headers['idempotent-replayed'], undefined);
  assert.deepEqual([mine.json().run, theirs.json().run], [1, 2]);
  const theirsDifferent = await post(beckon, '/test/echo', { a: 2 }, 'shared-key', otherKey);
  assert.equal(theirsDifferent.json().code, 'idempotency_key_reused');
  assert.equal(runs.echo, 2);
});

test('idempotency: the key must be 1 to 255 characters; GET ignores it; key creation never stores its secret', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  for (const key of ['', 'k'.repeat(256)]) {
    const bad = await post(beckon, '/test/echo', { a: 1 }, key);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
    assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['headers.idempotency-key']);
  }
  assert.equal((await post(beckon, '/test/echo', { a: 1 }, 'k'.repeat(255))).statusCode, 201);
  assert.equal(runs.echo, 1);

  const me = await beckon.call('GET', '/v1/auth/me', { headers: { 'idempotency-key': 'get-1' } });
  assert.equal(me.statusCode, 200);
  const keys = [];
  for (let i = 0; i < 2; i++) {
    const created = await post(beckon, '/v1/api_keys', { name: 'ci' }, 'key-create');
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['idempotent-replayed'], undefined);
    keys.push(created.json().api_key.key);
  }
  assert.notEqual(keys[0], keys[1]);
  const stored = await beckon.runtime.deps.db.selectFrom('idempotency_keys').select('key').execute();
  assert.deepEqual(stored.map((r) => r.key), ['k'.repeat(255)]);
});

test('idempotency: a key expires after 24 h and an abandoned placeholder unlocks after the lock timeout', async (t) => {
  const { beckon, runs } = await withTestRoutes();
  t.after(() => beckon.stop());
  const db = beckon.runtime.deps.db;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  assert.equal((await post(beckon, '/test/echo', { a: 1 }, 'old')).statusCode, 201);
  await db.updateTable('idempotency_keys').set({ created_at: ago(IDEMPOTENCY_TTL_MS + 1000) }).where('key', '=', 'old').execute();
  const fresh = await post(beckon, '/test/echo', { a: 2 }, 'old');
  assert.equal(fresh.statusCode, 201);
  assert.deepEqual(fresh.json(), { run: 2, body: { a: 2 } });

  const workspaceId = (await db.selectFrom('idempotency_keys').select('workspace_id').executeTakeFirstOrThrow()).workspace_id;
  await db.insertInto('idempotency_keys').values({ workspace_id: workspaceId, key: 'crashed', request_hash: 'x', status_code: null, response_body: null, response_type: null, created_at: ago(1000) }).execute();
  assert.equal((await post(beckon, '/test/echo', { a: 3 }, 'crashed')).json().code, 'idempotency_key_reused');
  await db.updateTable('idempotency_keys').set({ created_at: ago(IDEMPOTENCY_LOCK_MS + 1000) }).where('key', '=', 'crashed').execute();
  const recovered = await post(beckon, '/test/echo', { a: 3 }, 'crashed');
  assert.equal(recovered.statusCode, 201);
  assert.equal(runs.echo, 3);

  await db.updateTable('idempotency_keys').set({ created_at: ago(IDEMPOTENCY_TTL_MS + 1000) }).where('key', '=', 'crashed').execute();
  assert.equal(await purgeKeys(db, ago(IDEMPOTENCY_TTL_MS)), 1);
  assert.deepEqual((await db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key), ['old']);
});
