import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FakeWhatsAppCloud, inboundValue, signedWebhook, webhookEnvelope } from './fakes/whatsapp-cloud.ts';
import { closeBeforeDrop, freshPgDatabase, pgUnavailable } from './pg-fresh.ts';
import { killProcess, startProcess, type BeckonProcess } from './multiprocess-harness.ts';

/**
 * Two `--role api` and two `--role worker` processes on one fresh PostgreSQL database, a WhatsApp Cloud channel whose
 * Graph API is a local fake counting the calls it receives per message. BECKON_MP_MESSAGES messages (default 1,000 for
 * `npm test`; the documented full run is 20,000, see docs/scaling.md) are sent through both APIs; one worker is killed
 * with SIGKILL mid-run. Every accepted message must reach a final status for this test (sent or failed: the fake
 * sends no status callbacks, so `sent` is as far as a message goes), and the fake must have been called for each.
 *
 * Duplicates at the provider: a worker killed after the Graph API accepted a message but before `sent` was committed
 * leaves its job locked; another worker takes it over and sends again (WhatsApp has no idempotency key). At most one
 * per job the killed worker was running (BECKON_WORKER_CONCURRENCY), usually 0; the test reports the number and
 * asserts that bound.
 */

const skip = await pgUnavailable();
const COUNT = Number(process.env.BECKON_MP_MESSAGES ?? 1000);
/** Requests in flight per API process. */
const CONCURRENCY = Number(process.env.BECKON_MP_CONCURRENCY ?? 16);
const WORKER_CONCURRENCY = 32;
const KEY = 'bk_multiprocess_test_key_0123456789';
const CUSTOMERS = Array.from({ length: 10 }, (_, i) => `+1202555${String(200 + i).padStart(4, '0')}`);

test(`multi-process: 2 api + 2 worker processes on one PostgreSQL, ${COUNT} messages, one worker killed -9 mid-run`, { skip: skip ?? false, timeout: 900_000 }, async (t) => {
  const url = await freshPgDatabase(t, 'beckon_mp');
  const fake = new FakeWhatsAppCloud();
  const fakeUrl = await fake.start();
  const env = {
    DATABASE_URL: url,
    BECKON_SECRET_KEY: randomBytes(32).toString('base64'),
    BECKON_BOOTSTRAP_KEY: KEY,
    BECKON_RATE_LIMIT: '10000000',
    BECKON_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    // npm test runs this next to other tests on a server with max_connections = 100: keep the pools small
    BECKON_DATABASE_POOL_SIZE: '5',
    // the WhatsApp Cloud fake listens on loopback: the provider SSRF guard must let the channel point at it
    BECKON_PROVIDER_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
  };
  const processes: BeckonProcess[] = [];
  const db = new pg.Pool({ connectionString: url, max: 2 });
  closeBeforeDrop(url, async () => {
    await Promise.all(processes.map((p) => killProcess(p, 'SIGKILL')));
    await db.end();
    await fake.stop();
  });

  // the first api process migrates and bootstraps the workspace; the others start together against the same schema
  const api1 = await startProcess('api', env);
  processes.push(api1);
  const [api2, worker1, worker2] = await Promise.all([startProcess('api', env), startProcess('worker', env), startProcess('worker', env)]);
  processes.push(api2, worker1, worker2);
  for (const p of processes) {
    const health = await fetch(`${p.base}/healthz`);
    assert.equal(health.status, 200, `${p.role} process answers /healthz`);
  }

  // a WhatsApp Cloud channel on the fake, paced far above what this machine sends (the default is 80 per second)
  const appSecret = 'mp-app-secret-0123456789';
  const created = await fetch(`${api1.base}/v1/channels`, {
    method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'whatsapp', provider: 'whatsapp_cloud', title: 'Fake Cloud', config: {
      phone_number_id: [...fake.phoneNumberIds][0], business_account_id: fake.businessAccountId, access_token: fake.accessToken,
      app_secret: appSecret, verify_token: 'mp-verify', api_base_url: fakeUrl, api_version: 'v23.0', rate_per_second: 10_000,
    } }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const channelId = ((await created.json()) as { channel: { uuid: string } }).channel.uuid;
  // each customer writes in (through the second API), opening the 24-hour window for free-form text
  for (const customer of CUSTOMERS) {
    const { payload, headers } = signedWebhook(webhookEnvelope(inboundValue(customer.slice(1), { type: 'text', text: { body: 'hi' } }), [...fake.phoneNumberIds][0]), appSecret);
    const hook = await fetch(`${api2.base}/hooks/whatsapp/${channelId}`, { method: 'POST', headers, body: payload });
    assert.equal(hook.status, 200, await hook.clone().text());
  }

  // send through both APIs; kill one worker once 40% are accepted and the provider has been called
  const accepted = new Map<string, number>();
  let next = 0;
  let killedAt = null as { accepted: number; providerCalls: number } | null;
  const started = Date.now();
  const sender = async (api: BeckonProcess) => {
    while (next < COUNT) {
      const i = next++;
      const res = await fetch(`${api.base}/v1/messages/send`, {
        method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'whatsapp', channel_uuid: channelId, to: CUSTOMERS[i % CUSTOMERS.length], type: 'text', content: { text: `mp ${i}` } }),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`send ${i} through ${api.role} ${api.base} answered ${res.status}: ${body}`);
      accepted.set(JSON.parse(body).message.uuid, i);
      if (!killedAt && accepted.size >= COUNT * 0.4 && fake.sends.length > 0) {
        for (const p of processes) assert.equal(p.child.exitCode, null, `the ${p.role} process on ${p.base} exited on its own before the kill:\n${p.output()}`);
        killedAt = { accepted: accepted.size, providerCalls: fake.sends.length };
        void killProcess(worker1, 'SIGKILL');
      }
    }
  };
  await Promise.all([api1, api2].flatMap((api) => Array.from({ length: CONCURRENCY }, () => sender(api))));
  const acceptSeconds = (Date.now() - started) / 1000;
  assert.equal(accepted.size, COUNT);
  assert.ok(killedAt, 'a worker was killed mid-run');
  const exit = await worker1.exited;
  assert.equal(exit.signal, 'SIGKILL', `the killed worker had exited with code ${exit.code}:\n${worker1.output()}`);
  for (const p of [api1, api2, worker2]) assert.equal(p.child.exitCode, null, `the ${p.role} process on ${p.base} exited:\n${p.output()}`);

  // every accepted message leaves `enqueued` (the surviving worker takes over the killed one's jobs)
  const deadline = Date.now() + 600_000;
  let counts: Record<string, number> = {};
  for (;;) {
    const { rows } = await db.query<{ status: string; n: string }>("select status, count(*) as n from messages where direction = 'outbound' group by status");
    counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    if (!counts.enqueued) break;
    if (Date.now() > deadline) throw new Error(`messages still enqueued: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainSeconds = (Date.now() - started) / 1000;
  assert.deepEqual(counts, { sent: COUNT }, 'every accepted message was sent (the fake accepts every call)');

  // the provider was called at least once for every accepted message, and for nothing else
  const calls = new Map<string, number>();
  for (const send of fake.sends) calls.set(send.body.text.body, (calls.get(send.body.text.body) ?? 0) + 1);
  const expectedTexts = new Set([...accepted.values()].map((i) => `mp ${i}`));
  assert.deepEqual([...calls.keys()].filter((text) => !expectedTexts.has(text)), [], 'no call for a message that was not accepted');
  assert.deepEqual([...expectedTexts].filter((text) => !calls.has(text)), [], 'a call for every accepted message');
  const duplicated = [...calls.entries()].filter(([, n]) => n > 1);
  const duplicates = duplicated.reduce((sum, [, n]) => sum + n - 1, 0);

  // every message records the wamid of one of its calls (a duplicate records the later one)
  const { rows: recorded } = await db.query<{ n: string }>("select count(distinct provider_message_id) as n from messages where direction = 'outbound' and status = 'sent'");
  assert.equal(Number(recorded[0].n), COUNT);

  t.diagnostic(`accepted ${COUNT} through 2 api processes in ${acceptSeconds.toFixed(1)} s (${Math.round(COUNT / acceptSeconds)}/s); all final after ${drainSeconds.toFixed(1)} s`);
  t.diagnostic(`worker killed at ${killedAt!.accepted} accepted / ${killedAt!.providerCalls} provider calls; provider calls ${fake.sends.length}, duplicates ${duplicates}${duplicated.length ? ` (${duplicated.map(([text]) => text).join(', ')})` : ''}`);
  assert.ok(duplicates <= WORKER_CONCURRENCY, `duplicates (${duplicates}) at most the jobs the killed worker held (${WORKER_CONCURRENCY})`);
});
