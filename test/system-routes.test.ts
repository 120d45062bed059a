import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from './helpers.ts';

test('healthz and readyz: public; readyz is a 503 problem while a migration is missing', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const health = await beckon.call('GET', '/healthz', { key: null });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });

  const db = beckon.runtime.deps.db;
  const last = await db.selectFrom('kysely_migration' as never).selectAll().orderBy('name' as never, 'desc').executeTakeFirstOrThrow() as { name: string; timestamp: string };
  await db.deleteFrom('kysely_migration' as never).where('name' as never, '=', last.name as never).execute();
  const notReady = await beckon.call('GET', '/readyz', { key: null });
  assert.equal(notReady.statusCode, 503);
  assert.equal(notReady.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(notReady.json().code, 'not_ready');
  assert.match(notReady.json().detail, new RegExp(last.name));

  await db.insertInto('kysely_migration' as never).values(last as never).execute();
  const ready = await beckon.call('GET', '/readyz', { key: null });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ok' });
});

test('readyz: a 503 when the store does not answer', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop().catch(() => undefined));
  await beckon.runtime.app.ready();
  await beckon.runtime.deps.db.destroy();
  const down = await beckon.call('GET', '/readyz', { key: null });
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().code, 'not_ready');
  assert.equal((await beckon.call('GET', '/healthz', { key: null })).statusCode, 200);
});

test('metrics: Prometheus text with request counts and the queue depth read at scrape time', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db, queue } = beckon.runtime.deps;
  await queue.enqueue(db, 'test_task', {}, { runAt: new Date(Date.now() - 120_000) });
  await queue.enqueue(db, 'test_task', {});
  await queue.enqueue(db, 'test_task', {});
  assert.equal((await beckon.call('GET', '/v1/auth/me')).statusCode, 200);

  const scrape = await beckon.call('GET', '/metrics', { key: null });
  assert.equal(scrape.statusCode, 200);
  assert.equal(scrape.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const text = scrape.body;
  assert.match(text, /^beckon_queue_depth 3$/m);
  const age = Number(/^beckon_queue_oldest_age_seconds (\S+)$/m.exec(text)?.[1]);
  assert.ok(age >= 120, `oldest age ${age}`);
  assert.match(text, /^beckon_http_requests_total\{method="GET",route="\/v1\/auth\/me",status="200"\} 1$/m);
  assert.match(text, /^# TYPE beckon_http_request_duration_seconds histogram$/m);
  assert.match(text, /^# TYPE beckon_messages_total counter$/m);
  assert.match(text, /^# TYPE beckon_webhook_attempts_total counter$/m);
});

test('openapi.json: OpenAPI 3.1, every API route documented with tags, summary, schemas and problem answers', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const res = await beckon.call('GET', '/openapi.json', { key: null });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer bk_…' });
  for (const hidden of ['/', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/docs/json']) assert.equal(doc.paths[hidden], undefined, hidden);
  assert.ok(doc.paths['/v1/auth/me'].get);

  const problems: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    assert.ok(path.startsWith('/v1/'), `${path} is outside /v1`);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.tags?.length) problems.push(`${where}: no tags`);
      if (!op.summary) problems.push(`${where}: no summary`);
      const success = Object.keys(op.responses).filter((code) => /^2/.test(code));
      if (success.length === 0) problems.push(`${where}: no 2xx response`);
      for (const code of success) {
        if (code !== '204' && !op.responses[code].content) problems.push(`${where}: ${code} has no schema`);
      }
      if (!op.responses.default?.content?.['application/problem+json']) problems.push(`${where}: no problem answer`);
      // answers holding a secret stored only hashed (a key, an invitation or reset link) are never kept for replay
      if (method === 'post' && !['/v1/api_keys', '/v1/users', '/v1/users/{uuid}/reset-link'].includes(path) && !op.security) {
        if (!op.parameters?.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key')) problems.push(`${where}: no Idempotency-Key header`);
      }
      if (!op.security && !/`(read|full|admin)` scope/.test(op.description ?? '')) problems.push(`${where}: no scope`);
    }
  }
  assert.deepEqual(problems, []);
});

test('docs: the reference UI is public and served from local files only (no CDN)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const page = await beckon.call('GET', '/docs', { key: null });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.length >= 3, JSON.stringify(assets));
  for (const asset of assets) {
    assert.doesNotMatch(asset, /^(https?:)?\/\//, asset);
    const res = await beckon.call('GET', asset, { key: null });
    assert.equal(res.statusCode, 200, asset);
  }
  const init = await beckon.call('GET', '/docs/static/swagger-initializer.js', { key: null });
  assert.match(init.body, /validatorUrl: null/);
  const json = await beckon.call('GET', '/docs/json', { key: null });
  assert.equal(json.statusCode, 200);
  assert.equal(json.json().openapi, '3.1.0');
  const index = await beckon.call('GET', '/', { key: null });
  assert.deepEqual(index.json(), { name: 'Beckon', docs: '/docs', openapi: '/openapi.json' });
});
