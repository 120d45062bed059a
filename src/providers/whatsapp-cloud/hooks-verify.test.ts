import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { inboundValue, signedWebhook, webhookEnvelope } from '../../../test/fakes/whatsapp-cloud.ts';
import { signWebhookBody } from './signature.ts';
import { startWhatsApp } from './test-support.ts';

const CUSTOMER = '12025550143';

function captureLogs(target: { log: unknown }): string[] {
  const lines: string[] = [];
  target.log = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } }));
  return lines;
}

test('GET /hooks/whatsapp/:channel_uuid echoes hub.challenge as text/plain when the verify token matches', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const url = `/hooks/whatsapp/${wa.channelId}?hub.mode=subscribe&hub.verify_token=${wa.verifyToken}&hub.challenge=1158201444`;
  const res = await wa.beckon.call('GET', url, { key: null });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.body, '1158201444');
});

test('GET verification: a wrong token or mode is a 403 with a log line; an unknown or non-WhatsApp channel is a 404', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const logs = captureLogs(wa.beckon.runtime.deps);
  const base = `/hooks/whatsapp/${wa.channelId}`;
  for (const query of [
    `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
    `hub.mode=unsubscribe&hub.verify_token=${wa.verifyToken}&hub.challenge=1`,
    `hub.mode=subscribe&hub.challenge=1`,
    `hub.mode=subscribe&hub.verify_token=${wa.verifyToken}`,
  ]) {
    const res = await wa.beckon.call('GET', `${base}?${query}`, { key: null });
    assert.equal(res.statusCode, 403, query);
    assert.equal(res.json().code, 'forbidden');
    assert.equal(res.json().detail, 'hub.mode must be "subscribe" and hub.verify_token must match the channel\'s verify_token');
  }
  assert.equal(logs.filter((l) => l.includes('whatsapp webhook verification refused')).length, 4);

  const sandbox = (await wa.beckon.call('GET', '/v1/channels')).json().channels.find((c: { provider: string }) => c.provider === 'sandbox');
  for (const id of [sandbox.uuid, '0190f5a4-0000-7000-8000-000000000000']) {
    const res = await wa.beckon.call('GET', `/hooks/whatsapp/${id}?hub.mode=subscribe&hub.verify_token=${wa.verifyToken}&hub.challenge=1`, { key: null });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().detail, 'no WhatsApp Cloud API channel with this uuid');
  }
  const bad = await wa.beckon.call('GET', '/hooks/whatsapp/not-a-uuid?hub.mode=subscribe', { key: null });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['params.channel_uuid']);
});

test('POST with a missing or wrong X-Hub-Signature-256 is a 401 with a log line, and nothing is stored', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const logs = captureLogs(wa.beckon.runtime.deps);
  const body = webhookEnvelope(inboundValue(CUSTOMER, { type: 'text', text: { body: 'Does it come in another color?' } }), wa.phoneNumberId);
  const { payload, headers } = signedWebhook(body, wa.appSecret);
  const url = `/hooks/whatsapp/${wa.channelId}`;
  const attempts: Record<string, string>[] = [
    { 'content-type': 'application/json' },
    { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(payload, 'another app secret') },
    { 'content-type': 'application/json', 'x-hub-signature-256': headers['x-hub-signature-256'].replace('sha256=', 'sha1=') },
    { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=zz' },
  ];
  for (const h of attempts) {
    const res = await wa.beckon.call('POST', url, { key: null, body: payload, headers: h });
    assert.equal(res.statusCode, 401, JSON.stringify(h));
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().code, 'unauthorized');
    assert.equal(res.json().detail, 'X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the channel\'s app_secret');
  }
  // the right signature over different bytes (re-serialized JSON with a space) fails too: the raw body is what is signed
  const reformatted = JSON.stringify(body, null, 1);
  const tampered = await wa.beckon.call('POST', url, { key: null, body: reformatted, headers });
  assert.equal(tampered.statusCode, 401);
  assert.equal(logs.filter((l) => l.includes('X-Hub-Signature-256 does not match')).length, attempts.length + 1);

  assert.deepEqual((await wa.beckon.call('GET', '/v1/messages')).json().messages, []);
  assert.deepEqual((await wa.beckon.call('GET', '/v1/contacts')).json().contacts, []);

  // the same bytes with their signature are accepted
  const ok = await wa.beckon.call('POST', url, { key: null, body: reformatted, headers: { ...headers, 'x-hub-signature-256': signWebhookBody(reformatted, wa.appSecret) } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { messages: 1, duplicates: 0, statuses: 0, ignored: 0 });
});

test('POST to an unknown channel is a 404; a body that is not JSON (but signed) is a 400', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const { payload, headers } = signedWebhook({ object: 'whatsapp_business_account', entry: [] }, wa.appSecret);
  const unknown = await wa.beckon.call('POST', '/hooks/whatsapp/0190f5a4-0000-7000-8000-000000000000', { key: null, body: payload, headers });
  assert.equal(unknown.statusCode, 404);
  const notJson = '{"object": whatsapp';
  const res = await wa.beckon.call('POST', `/hooks/whatsapp/${wa.channelId}`, {
    key: null, body: notJson, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(notJson, wa.appSecret) },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'invalid_json');
  const empty = await wa.hook({ object: 'whatsapp_business_account', entry: [] });
  assert.equal(empty.statusCode, 200);
  assert.deepEqual(empty.json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });
});
