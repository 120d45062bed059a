// The SDK (sdk/): its generated file matches the app's OpenAPI document, and against a real
// Beckon on loopback it sends, paginates and retries with the same Idempotency-Key. The stream and webhooks:
// sdk-live.test.ts; browser safety: sdk-browser.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiDocument, SDK_SCHEMA_FILE, sdkSchemaSource } from '../scripts/sdk-schema.ts';
import { createBeckon, IDEMPOTENT_POSTS, retryAfterMs } from '../sdk/src/index.ts';
import { startBeckon, TEST_STORE, waitFor, type TestBeckon } from './helpers.ts';
import { listen, recordingFetch } from './sdk-support.ts';

const ROOT = resolve(import.meta.dirname, '..');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEND = { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'Hello!' } } as const;
/** The checks that do not touch a store run once, in the SQLite pass. */
const once = { skip: TEST_STORE === 'postgres' ? 'store-independent: runs in the SQLite pass' : false } as const;

// one Beckon for the file (a PostgreSQL database per runtime is slow to make); each test works in a workspace of its own
let beckon: TestBeckon;
let baseUrl: string;
before(async () => {
  beckon = await startBeckon();
  baseUrl = await listen(beckon);
});
after(() => beckon.stop());

test('sdk: sdk/src/schema.ts is what `npm run sdk` generates from the app\'s /openapi.json (run it after changing a route)', once, async () => {
  const doc = await openApiDocument();
  const generated = await sdkSchemaSource(doc);
  const committed = readFileSync(resolve(ROOT, SDK_SCHEMA_FILE), 'utf8');
  assert.ok(generated === committed, `${SDK_SCHEMA_FILE} differs from the app's OpenAPI document: run \`npm run sdk\` and commit it`);
  // deterministic: no server URL (the committed file, generated earlier, matching is the rest of the proof)
  assert.doesNotMatch(generated, /127\.0\.0\.1|localhost|servers/);
  assert.ok(generated.includes('"/v1/messages/send": {'));
  assert.ok(IDEMPOTENT_POSTS.includes('/v1/messages/send'));
  assert.ok(!IDEMPOTENT_POSTS.includes('/v1/api_keys' as never), 'POST /v1/api_keys ignores Idempotency-Key (its answer holds a secret): never retried');
});

test('sdk: retryAfterMs reads seconds and HTTP dates', () => {
  assert.equal(retryAfterMs('2'), 2000);
  assert.equal(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)).toUTCString(), Date.UTC(2026, 0, 1)), 5000);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs('soon'), null);
});

test('sdk: the getting-started send, typed, with an Idempotency-Key of its own; the message goes to read', async () => {
  const apiKey = await beckon.newWorkspace('sending');
  const { fetch, seen } = recordingFetch();
  const sdk = createBeckon({ baseUrl, apiKey, fetch });

  const { data, error, response } = await sdk.POST('/v1/messages/send', { body: SEND });
  assert.equal(error, undefined);
  assert.equal(response.status, 200);
  assert.equal(data?.message.status, 'enqueued');
  const uuid = data!.message.uuid;
  assert.match(uuid, UUID);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].headers.get('authorization'), `Bearer ${apiKey}`);
  assert.match(seen[0].headers.get('idempotency-key') ?? '', UUID);

  const read = await waitFor('the message to be read', async () => {
    const status = await sdk.GET('/v1/messages/status/{uuid}', { params: { path: { uuid } } });
    return status.data?.message.status === 'read' ? status.data.message : null;
  }, 20_000);
  assert.deepEqual(read.status_history.map((h) => h.status), ['enqueued', 'sent', 'delivered', 'read']);

  // an error answer is the problem, typed
  const bad = await sdk.POST('/v1/messages/send', { body: { ...SEND, to: 'not a phone' } });
  assert.equal(bad.response.status, 400);
  assert.equal(bad.error?.code, 'validation_failed');
  assert.deepEqual(bad.error?.errors?.map((e) => e.path), ['body.to']);
});

test('sdk: paginate walks every page of a filtered list, newest first, with the filters on every page', async () => {
  const apiKey = await beckon.newWorkspace('paging');
  const { fetch, seen } = recordingFetch();
  const sdk = createBeckon({ baseUrl, apiKey, fetch });
  const created: string[] = [];
  for (let i = 0; i < 9; i++) {
    const { data } = await sdk.POST('/v1/contacts', { body: { phone: `+3933312300${i}`, tags: i % 4 === 3 ? [] : ['vip'] } });
    if (i % 4 !== 3) created.push(data!.contact.uuid);
  }
  assert.equal(created.length, 7);
  seen.length = 0;

  const uuids: string[] = [];
  for await (const contact of sdk.paginate('/v1/contacts', { query: { tags: ['vip'], limit: 3 } })) {
    assert.deepEqual(contact.tags, ['vip']);
    uuids.push(contact.uuid);
  }
  assert.deepEqual(uuids, [...created].reverse());
  assert.equal(seen.length, 3, 'pages of 3, 3 and 1');
  assert.deepEqual(seen.map((r) => r.search.get('limit')), ['3', '3', '3']);
  assert.deepEqual(seen.map((r) => r.search.get('tags')), ['vip', 'vip', 'vip']);
  assert.equal(seen[0].search.get('cursor'), null);
  assert.ok(seen[1].search.get('cursor') && seen[2].search.get('cursor') && seen[1].search.get('cursor') !== seen[2].search.get('cursor'));

  // breaking out stops asking for pages
  seen.length = 0;
  for await (const contact of sdk.paginate('/v1/contacts', { query: { limit: 2 } })) {
    assert.equal(contact.uuid, created[6]);
    break;
  }
  assert.equal(seen.length, 1);

  // a bad filter is thrown as a BeckonError carrying the problem
  await assert.rejects(async () => {
    for await (const _ of sdk.paginate('/v1/contacts', { query: { limit: 500 } })) assert.fail('no item expected');
  }, (err: { name: string; status: number; problem: { errors: { path: string }[] } }) => {
    assert.equal(err.name, 'BeckonError');
    assert.equal(err.status, 400);
    assert.deepEqual(err.problem.errors.map((e) => e.path), ['query.limit']);
    return true;
  });
});

test('sdk: a send whose answer is lost is retried with the same Idempotency-Key, and the message is stored once', async () => {
  const apiKey = await beckon.newWorkspace('lost answer');
  const { fetch, seen } = recordingFetch((_request, _response, index) => {
    if (index === 0) throw new TypeError('fetch failed: the connection dropped after the server answered (simulated)');
  });
  const sdk = createBeckon({ baseUrl, apiKey, fetch, retry: { baseDelayMs: 10 } });

  const { data, response } = await sdk.POST('/v1/messages/send', { body: SEND });
  assert.equal(seen.length, 2);
  const key = seen[0].headers.get('idempotency-key');
  assert.match(key ?? '', UUID);
  assert.equal(seen[1].headers.get('idempotency-key'), key);
  assert.equal(response.headers.get('idempotent-replayed'), 'true');
  const messages = await sdk.GET('/v1/messages', { params: { query: { limit: 100 } } });
  assert.deepEqual(messages.data?.messages.map((m) => m.uuid), [data!.message.uuid]);

  // a key the caller gives is kept
  const own = await sdk.POST('/v1/messages/send', { body: SEND, params: { header: { 'idempotency-key': 'order-1042' } } });
  assert.equal(seen.at(-1)?.headers.get('idempotency-key'), 'order-1042');
  assert.equal(own.response.status, 200);
});

test('sdk: a 429 is retried after its Retry-After, with the same key; a POST without a key (api_keys) is never retried', async () => {
  const apiKey = await beckon.newWorkspace('busy');
  const busy = () => new Response(JSON.stringify({ type: 'urn:beckon:problem:rate_limited', title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'rate_limited' }), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '1' } });
  const first = recordingFetch((_request, _response, index) => (index === 0 ? busy() : undefined));
  const sdk = createBeckon({ baseUrl, apiKey, fetch: first.fetch, retry: { baseDelayMs: 10 } });
  const started = Date.now();
  const { data } = await sdk.POST('/v1/contacts', { body: { phone: '+393331230099' } });
  assert.ok(Date.now() - started >= 1000, 'waited Retry-After: 1');
  assert.equal(first.seen.length, 2);
  assert.equal(first.seen[1].headers.get('idempotency-key'), first.seen[0].headers.get('idempotency-key'));
  assert.match(data?.contact.uuid ?? '', UUID);

  // the server stored the contact on the first request (whose answer the fake 429 replaced) and replayed it: one contact
  const list = await sdk.GET('/v1/contacts', { params: { query: { phone: '+393331230099' } } });
  assert.equal(list.data?.contacts.length, 1);

  const lost = recordingFetch(() => { throw new TypeError('fetch failed (simulated)'); });
  const keys = createBeckon({ baseUrl, apiKey, fetch: lost.fetch, retry: { baseDelayMs: 10 } });
  await assert.rejects(keys.POST('/v1/api_keys', { body: { name: 'ci', scopes: ['read'] } }), /simulated/);
  assert.equal(lost.seen.length, 1, 'not retried: a second key would be created');
  assert.equal(lost.seen[0].headers.get('idempotency-key'), null);

  // retry: false turns retries off
  const off = recordingFetch(() => busy());
  const single = await createBeckon({ baseUrl, apiKey, fetch: off.fetch, retry: false }).GET('/v1/contacts');
  assert.equal(single.response.status, 429);
  assert.equal(off.seen.length, 1);
});
