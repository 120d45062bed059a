import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from './helpers.ts';
import { routeTable } from '../src/modules.ts';
import { seedWorkspace, type Seeded } from './fuzz/fixtures.ts';
import { FUZZ_ENV } from './fuzz/env.ts';
import { PATH_KINDS } from './isolation/cases.ts';
import { planSweep, unknownOf, type Probe } from './isolation/sweep.ts';

type Answer = { status: number; type: string; body: string };

const STREAM = '/v1/events/stream';

/** Reads an event stream (through inject) until `until` appears in it or 10 s pass; a non-stream answer is read whole. */
async function readStream(beckon: TestBeckon, key: string, url: string, headers: Record<string, string>, until: string): Promise<Answer> {
  const res = await beckon.runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers }, payloadAsStream: true });
  const stream = res.stream();
  let body = '';
  const deadline = setTimeout(() => stream.destroy(), 10_000);
  try {
    for await (const chunk of stream) {
      body += chunk;
      if (body.includes(until)) break;
    }
  } catch { /* destroyed at the deadline */ }
  clearTimeout(deadline);
  stream.destroy();
  // a stream's frames, in order, are its answer; heartbeats and retry hints are not
  const frames = body.split('\n').filter((line) => line.startsWith('id: ')).join('\n');
  return { status: res.statusCode, type: String(res.headers['content-type']), body: String(res.headers['content-type']).startsWith('text/event-stream') ? frames : body };
}

async function answer(beckon: TestBeckon, key: string, probe: Probe, value: string): Promise<Answer> {
  const { url, body, headers = {} } = probe.request(value);
  if (url.startsWith(STREAM)) {
    const latest = (await beckon.call('GET', '/v1/events?limit=1', { key })).json().events[0].id;
    return readStream(beckon, key, url, headers, latest);
  }
  const res = await beckon.call(probe.method, url, { key, body, headers });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body };
}

/** What the first workspace shows through every read route with its own key: must not change under the sweep. */
async function snapshot(beckon: TestBeckon, key: string, seeded: Seeded): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of routeTable(beckon.runtime.app)) {
    if (entry.method !== 'GET' || entry.scope === 'public' || entry.url === STREAM) continue;
    const kind = PATH_KINDS.find(([pattern]) => pattern.test(entry.url))?.[1];
    // a window that defaults to "the last 30 days" is pinned, so the snapshot does not move with the clock
    const window = /^\/v1\/reports\/(messages|contacts|webhooks)$/.test(entry.url) ? '?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z' : '';
    const url = entry.url.replace(/:(\w+)/g, () => encodeURIComponent(kind ? seeded[kind] : '')) + window;
    const res = await beckon.call('GET', url, { key });
    out[url] = `${res.statusCode} ${res.body}`;
  }
  return out;
}

test('isolation sweep: every id and reference of one workspace is, to another, an unknown one, and nothing changes', async (t) => {
  const beckon = await startBeckon(FUZZ_ENV, { worker: false });
  t.after(() => beckon.stop());
  await beckon.runtime.app.ready();
  const keyA = beckon.key;
  const a = await seedWorkspace(beckon, keyA, 1);
  const keyB = await beckon.newWorkspace('Second');
  const b = await seedWorkspace(beckon, keyB, 2);
  const spec = (await beckon.call('GET', '/openapi.json', { key: null })).json();
  const before = await snapshot(beckon, keyA, a);

  const plan = planSweep(routeTable(beckon.runtime.app), spec, b);
  assert.deepEqual(plan.uncovered, [], 'every route id and reference is swept (add what is missing to test/isolation/cases.ts)');
  assert.ok(plan.probes.length > 60, `${plan.probes.length} probes`);
  const secrets = Object.values(a).filter((v) => !/^seed-idempotency/.test(v));
  const leaks: string[] = [];
  for (const probe of plan.probes) {
    const theirs = a[probe.kind];
    const unknown = unknownOf(probe.kind);
    const withTheirs = await answer(beckon, keyB, probe, theirs);
    const withUnknown = await answer(beckon, keyB, probe, unknown);
    // ids masked, and times (a report's window defaults to "until now")
    const mask = (body: string, value: string) => body.replaceAll(value, '<id>').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
    const masked = mask(withTheirs.body, theirs);
    // a read answers exactly as for an unknown value; a write (which creates its own record) shows nothing of the first workspace
    const same = withTheirs.status === withUnknown.status && withTheirs.type === withUnknown.type
      && (withTheirs.status >= 300 || probe.method === 'GET' ? masked === mask(withUnknown.body, unknown) : !secrets.some((v) => masked.includes(v)));
    if (!same) leaks.push(`${probe.what} with the other workspace's ${probe.kind}: ${withTheirs.status} ${withTheirs.body.slice(0, 200)} — unknown: ${withUnknown.status} ${withUnknown.body.slice(0, 200)}`);
    if (withTheirs.status >= 500) leaks.push(`${probe.what}: ${withTheirs.status}`);
  }
  assert.deepEqual(leaks, []);

  // cursors: the first workspace's next page, used by the second, shows none of the first's records
  let cursors = 0;
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    if (!item.get?.parameters?.some((p: { name: string }) => p.name === 'cursor')) continue;
    // a list under a record: each workspace lists its own record's
    const kind = PATH_KINDS.find(([pattern]) => pattern.test(path.replace(/\{(\w+)\}/g, ':$1')))?.[1];
    const under = (seeded: Seeded) => path.replace(/\{\w+\}/g, () => (kind ? seeded[kind] : ''));
    const first = (await beckon.call('GET', `${under(a)}?limit=1`, { key: keyA })).json();
    const cursor = first.meta?.next_cursor;
    if (!cursor) continue;
    cursors++;
    const res = await beckon.call('GET', `${under(b)}?limit=100&cursor=${encodeURIComponent(cursor)}`, { key: keyB });
    assert.ok(res.statusCode < 500, `${path} with the other's cursor: ${res.body}`);
    for (const secret of secrets) assert.ok(!res.body.includes(secret), `${path} with the other workspace's cursor shows its ${secret}`);
  }
  assert.ok(cursors >= 5, `${cursors} list routes gave a cursor`);

  // an Idempotency-Key the first workspace used replays nothing for the second
  const reused = await beckon.call('POST', '/v1/contacts', { key: keyB, body: { phone: a.phone, email: a.email, name: 'Seed 1', tags: ['vip'] }, headers: { 'idempotency-key': a.idempotencyKey } });
  assert.equal(reused.statusCode, 201, reused.body);
  assert.equal(reused.headers['idempotent-replayed'], undefined);
  assert.notEqual(reused.json().contact.uuid, a.contact);

  // the stream resumed after the first workspace's event id sends only the second's events
  const latestB = (await beckon.call('GET', '/v1/events?limit=1', { key: keyB })).json().events[0].id;
  const stream = await readStream(beckon, keyB, STREAM, { 'last-event-id': a.event }, latestB);
  assert.equal(stream.status, 200);
  for (const secret of secrets) assert.ok(!stream.body.includes(secret), `the stream shows the other workspace's ${secret}`);

  const after = await snapshot(beckon, keyA, a);
  const changed = Object.keys(before).filter((url) => after[url] !== before[url]).map((url) => `${url}\n  before: ${before[url]}\n  after:  ${after[url]}`);
  assert.deepEqual(changed, [], 'the first workspace is unchanged');
});
