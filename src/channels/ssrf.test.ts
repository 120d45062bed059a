import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startBeckon } from '../../test/helpers.ts';
import { providerNet } from '../providers/net.ts';
import { createSmtpProvider } from '../providers/smtp/adapter.ts';
import { poolOptions } from '../providers/smtp/transports.ts';
import { createTwilioProvider } from '../providers/twilio/adapter.ts';
import { createWhatsAppCloudProvider } from '../providers/whatsapp-cloud/adapter.ts';
import { ProviderError, type OutboundMessage, type ProviderChannel } from '../providers/types.ts';

// The provider SSRF guard (issue 16, item 1): channel settings that point at non-public addresses are refused at
// create and update, and every provider call is checked again when it connects.

const WHATSAPP = { phone_number_id: '1234567', access_token: 'token', app_secret: 'secret', verify_token: 'verify' };
const TWILIO = { account_sid: 'AC' + '1'.repeat(32), auth_token: 'token', from_number: '+15017122661' };
const SMTP = { port: 587, from_email: 'hello@example.com' };
const REFUSED_URLS = [
  'http://169.254.169.254', 'http://[::ffff:169.254.169.254]', 'http://2852039166', 'http://[fe80::1]', 'http://[::1]:1',
  'http://127.0.0.1:8080', 'http://localhost', 'http://10.0.0.1', 'http://192.168.1.1', 'http://100.64.0.1', 'http://[fd00::1]', 'http://0x7f.1',
];
const REFUSED_HOSTS = ['127.0.0.1', '[::1]', 'localhost', '2852039166', '169.254.169.254', '10.1.2.3', '[fe80::1]', '[::ffff:10.0.0.1]'];

test('channel settings: a non-public api_base_url or SMTP host is refused at create and update (400 naming the field)', async (t) => {
  const beckon = await startBeckon({ BECKON_PROVIDER_ALLOW_PRIVATE: '' }, { worker: false });
  t.after(() => beckon.stop());
  const create = (provider: string, type: string, config: Record<string, unknown>) => beckon.call('POST', '/v1/channels', { body: { type, provider, title: 'x', config } });
  for (const url of REFUSED_URLS) {
    for (const [provider, type, base] of [['whatsapp_cloud', 'whatsapp', WHATSAPP], ['twilio', 'sms', TWILIO]] as const) {
      const res = await create(provider, type, { ...base, api_base_url: url });
      assert.equal(res.statusCode, 400, `${provider} ${url}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), ['body.config.api_base_url'], url);
      assert.match(res.json().errors[0].message, /^is refused: /);
    }
  }
  for (const host of REFUSED_HOSTS) {
    const res = await create('smtp', 'email', { ...SMTP, host });
    assert.equal(res.statusCode, 400, `${host}: ${res.body}`);
    assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), ['body.config.host'], host);
  }
  const listed = await beckon.call('GET', '/v1/channels');
  assert.deepEqual(listed.json().channels.map((c: { provider: string }) => c.provider), ['sandbox'], 'nothing was created');

  const ok = await create('whatsapp_cloud', 'whatsapp', { ...WHATSAPP, api_base_url: 'https://93.184.215.14' });
  assert.equal(ok.statusCode, 201, ok.body);
  const uuid = ok.json().channel.uuid;
  const patched = await beckon.call('PATCH', `/v1/channels/${uuid}`, { body: { config: { api_base_url: 'http://[::ffff:127.0.0.1]:9999' } } });
  assert.equal(patched.statusCode, 400, patched.body);
  assert.deepEqual(patched.json().errors.map((e: { path: string }) => e.path), ['body.config.api_base_url']);
  assert.equal((await beckon.call('GET', `/v1/channels/${uuid}`)).json().channel.config.api_base_url, 'https://93.184.215.14', 'unchanged');
  const removed = await beckon.call('PATCH', `/v1/channels/${uuid}`, { body: { config: { api_base_url: null } } });
  assert.equal(removed.statusCode, 200, removed.body);
});

test('BECKON_PROVIDER_ALLOW_PRIVATE admits the listed ranges only, and is separate from the webhook allowance', async (t) => {
  const beckon = await startBeckon({ BECKON_PROVIDER_ALLOW_PRIVATE: '127.0.0.0/8', BECKON_WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8' }, { worker: false });
  t.after(() => beckon.stop());
  const create = (host: string) => beckon.call('POST', '/v1/channels', { body: { type: 'email', provider: 'smtp', title: 'x', config: { ...SMTP, host } } });
  assert.equal((await create('127.0.0.1')).statusCode, 201);
  assert.equal((await create('10.1.2.3')).statusCode, 400, 'the webhook allowance does not apply to providers');
  assert.equal((await create('[::1]')).statusCode, 400);
});

function channel(provider: string, config: Record<string, unknown>): ProviderChannel {
  return { id: '01970000-0000-7000-8000-000000000001', workspaceId: 'w', type: 'whatsapp', provider, config } as ProviderChannel;
}

function message(to: string): OutboundMessage {
  return { id: '01970000-0000-7000-8000-0000000000aa', idempotencyKey: '01970000-0000-7000-8000-0000000000aa', to, type: 'text', content: { text: 'hi' }, subject: 'hi' } as unknown as OutboundMessage;
}

async function listen(handler: (body: string) => { status: number; type: string; body: string }): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answer = handler(body);
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

test('connection time: every provider call to a non-public address is refused for good before a byte is sent, names included', async (t) => {
  const target = await listen(() => ({ status: 200, type: 'application/json', body: '{"messages":[{"id":"wamid.x"}],"sid":"SM1"}' }));
  t.after(() => target.server.close());
  const net = providerNet({ providerAllowPrivate: [] });
  const port = Number(new URL(target.url).port);
  const calls: [string, () => Promise<unknown>][] = [];
  for (const base of [target.url, `http://localhost:${port}`]) {
    calls.push([`whatsapp ${base}`, () => createWhatsAppCloudProvider(net).send(channel('whatsapp_cloud', { ...WHATSAPP, api_base_url: base }), message('+15551234567'))]);
    calls.push([`twilio ${base}`, () => createTwilioProvider({ config: { publicUrl: 'https://beckon.example.com', providerAllowPrivate: [] } } as unknown as Parameters<typeof createTwilioProvider>[0]).send(channel('twilio', { ...TWILIO, api_base_url: base }), message('+15551234567'))]);
  }
  const smtp = createSmtpProvider(net);
  t.after(() => smtp.close?.());
  for (const host of ['127.0.0.1', 'localhost']) calls.push([`smtp ${host}`, () => smtp.send(channel('smtp', { ...SMTP, host, port }), message('bob@example.com'))]);
  for (const [label, call] of calls) {
    await assert.rejects(call(), (err: ProviderError) => {
      assert.ok(err instanceof ProviderError, `${label}: ${err}`);
      assert.deepEqual([err.code, err.retryable], ['address_refused', false], `${label}: ${err.message}`);
      assert.match(err.message, /SSRF guard|non-public address/, label);
      return true;
    });
  }
  assert.equal(target.hits(), 0, 'no request reached the address');
});

test('SMTP connects to the address it checked (DNS rebinding cannot swap it), and TLS still verifies the host name', () => {
  const options = poolOptions({ host: 'smtp.example.com', port: 587, secure: false, username: null, password: null, fromEmail: 'a@example.com', fromName: null }, '93.184.215.14') as { host?: string; servername?: string };
  assert.deepEqual([options.host, options.servername], ['93.184.215.14', 'smtp.example.com']);
});

test('POST /v1/templates/sync: a 502 never repeats an unknown server\'s body, and Graph\'s own message only short and plain', async (t) => {
  const secret = 'INTERNAL-ADMIN-PAGE-0xdeadbeef';
  const answers = [
    { status: 500, type: 'text/html', body: `<html><body>${secret}</body></html>` },
    { status: 403, type: 'application/json', body: JSON.stringify({ detail: secret }) },
    { status: 400, type: 'application/json', body: JSON.stringify({ error: { message: `bad\u0000\n\u001b[31m${'x'.repeat(5000)}${secret}`, code: 100 } }) },
  ];
  let next = 0;
  const target = await listen(() => answers[next]);
  t.after(() => target.server.close());
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'x', config: { ...WHATSAPP, business_account_id: '42', api_base_url: target.url } } });
  assert.equal(created.statusCode, 201, created.body);
  for (next = 0; next < answers.length; next++) {
    const res = await beckon.call('POST', '/v1/templates/sync', { body: { channel_uuid: created.json().channel.uuid } });
    assert.equal(res.statusCode, 502, res.body);
    assert.equal(res.body.includes(secret), false, res.body);
    assert.doesNotMatch(res.json().detail, /[\u0000-\u001f]/);
    assert.ok(res.json().detail.length < 500, res.json().detail);
  }
});
