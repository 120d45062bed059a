import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook, emit, waitForDelivery, workspaceOf } from './test-support.ts';

test('SSRF at creation: loopback, private, link-local, metadata, CGNAT and unresolvable hosts are refused naming body.url', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_ALLOW_PRIVATE: '' });
  t.after(() => beckon.stop());
  const cases: [string, RegExp][] = [
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is in the loopback range/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is in the linkLocal range/],
    ['http://10.0.0.1/hook', /10\.0\.0\.1 is in the private range/],
    ['http://192.168.1.20/hook', /private/],
    ['http://100.64.0.1/hook', /carrierGradeNat/],
    ['http://[::1]:8080/hook', /::1 is in the loopback range/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://[fd12::1]/hook', /uniqueLocal/],
    ['http://0.0.0.0/hook', /unspecified/],
    ['http://localhost:8080/hook', /"localhost" resolves to a non-public address/],
    ['http://beckon-nowhere.invalid/hook', /does not resolve/],
    ['ftp://93.184.216.34/hook', /only http and https/],
    ['hook', /not an absolute URL/],
  ];
  for (const [url, reason] of cases) {
    const res = await beckon.call('POST', '/v1/webhooks', { body: { url, events: ['message_created'] } });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().code, 'webhook_url_refused', url);
    assert.equal(res.json().errors[0].path, 'body.url', url);
    assert.match(res.json().errors[0].message, reason, url);
  }
  // a public address passes; changing it to a private one is refused the same way
  const hook = await createHook(beckon, { url: 'http://93.184.216.34/hook', events: ['message_created'] });
  const patched = await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { url: 'http://10.0.0.1/hook' } });
  assert.equal(patched.statusCode, 400);
  assert.equal(patched.json().code, 'webhook_url_refused');
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook.url, 'http://93.184.216.34/hook');
  const subscribed = await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: 'http://169.254.169.254/', subscriptions: ['message_created'] } });
  assert.equal(subscribed.statusCode, 400);
  assert.equal(subscribed.json().errors[0].path, 'body.url');
});

test('SSRF allow list: BECKON_WEBHOOK_ALLOW_PRIVATE=127.0.0.0/8,::1/128 admits loopback and nothing else', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::1]:9/hook']) {
    assert.equal((await beckon.call('POST', '/v1/webhooks', { body: { url, events: ['*'] } })).statusCode, 201, url);
  }
  for (const url of ['http://10.0.0.1/hook', 'http://169.254.169.254/']) {
    assert.equal((await beckon.call('POST', '/v1/webhooks', { body: { url, events: ['*'] } })).statusCode, 400, url);
  }
});

test('SSRF at delivery: a URL that now resolves to (or names) a refused address is never contacted', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_ALLOW_PRIVATE: '', BECKON_WEBHOOK_RETRY_SCHEDULE: '0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const ws = await workspaceOf(beckon);
  // created while public, then (as with DNS rebinding) pointing at loopback or the metadata service
  const targets = [`http://localhost:${receiver.port}/hook`, `http://127.0.0.1:${receiver.port}/hook`, `http://[::ffff:127.0.0.1]:${receiver.port}/hook`, 'http://169.254.169.254/latest/meta-data/'];
  const hooks: string[] = [];
  for (const target of targets) {
    const hook = await createHook(beckon, { url: 'http://93.184.216.34/hook', events: ['contact_created'] });
    await beckon.runtime.deps.db.updateTable('webhook_endpoints').set({ url: target }).where('id', '=', hook.uuid).execute();
    hooks.push(hook.uuid);
  }
  await emit(beckon, ws, 'contact_created', { uuid: 'c-1' });
  for (const [i, uuid] of hooks.entries()) {
    const delivery = await waitForDelivery(beckon, uuid, `the refused delivery to ${targets[i]}`, (d) => d.status === 'failed');
    assert.equal(delivery.attempt_count, 2, targets[i]);
    for (const attempt of delivery.attempts) {
      assert.equal(attempt.status_code, null);
      assert.match(attempt.error as string, /^address refused by SSRF guard: .* is in the (loopback|linkLocal) range$/, targets[i]);
    }
  }
  assert.equal(receiver.requests.length, 0);
  const metrics = await beckon.runtime.deps.metrics.registry.getSingleMetricAsString('beckon_webhook_attempts_total');
  assert.match(metrics, /outcome="refused"} 8/);
});
