import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startBeckon, TEST_STORE, type TestBeckon } from '../../test/helpers.ts';
import { sendMessage } from './service.ts';
import { applyStatus } from './status.ts';
import { preparedStatementText } from '../db/pg-pipeline.ts';

const postgresOnly = { skip: TEST_STORE === 'sqlite' ? 'PostgreSQL-only: counts round trips to the server' : false } as const;

/** Counts the round trips `fn` makes on the store's pool (each query call of a pool client is one), with the statements sent. */
async function roundTrips(beckon: TestBeckon, fn: () => Promise<unknown>): Promise<string[]> {
  const pool = beckon.runtime.store.pool as pg.Pool;
  const clients = new Set<unknown>();
  const onAcquire = (client: unknown) => clients.add(client);
  pool.on('acquire', onAcquire);
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
    if (clients.has(this)) sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
    pool.off('acquire', onAcquire);
  }
  return sent;
}

const input = (to: string) => ({ to, from: 'whatsapp', type: 'text', content: { text: 'Hello!' } });

async function workspaceOf(beckon: TestBeckon): Promise<string> {
  return (await beckon.runtime.deps.db.selectFrom('workspaces').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
}

test('PostgreSQL: a send to a known contact is two round trips (one read, one pipelined transaction); a new contact five', postgresOnly, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon);
  const hook = await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['message_created'] } });
  assert.equal(hook.statusCode, 201);
  const first = await roundTrips(beckon, () => sendMessage(deps, workspaceId, input('+393330000001')));
  // the read; begin + the contact lookup; its insert; its event + the automations it may start; the rest + commit
  assert.equal(first.length, 5, first.join('\n---\n'));
  const executed: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    const trips = await roundTrips(beckon, () => sendMessage(deps, workspaceId, input('+393330000001')));
    assert.equal(trips.length, 2, trips.join('\n---\n'));
    // hot statements are prepared in front of the begin (once per connection) and then executed by name: read as their text
    const prepares = /^(prepare beckon_\d+ as [^;]*;\n)*/.exec(trips[1])![0];
    executed.push(/execute beckon_\d+/.test(trips[1]));
    const known = [trips[0], trips[1].slice(prepares.length).replace(/execute (beckon_\d+)/g, (_m, name: string) => preparedStatementText(name) ?? _m)];
    // no NOTIFY inside the transaction (it would serialize every notifying commit): they follow the commit
    assert.match(known[1], /^begin;\n.*insert into "messages".*insert into "events".*insert into "webhook_deliveries".*insert into "beckon_worker"\."_private_jobs".*;\ncommit;\ndo \$beckon_after_commit\$begin (perform pg_notify\([^;]*\); )+exception when others then null; end\$beckon_after_commit\$$/s);
    assert.match(known[1].slice(known[1].indexOf('\ncommit;')), /pg_notify\('beckon_events', '[-0-9a-f]{36}'\).*pg_notify\('jobs:insert'|pg_notify\('jobs:insert'.*pg_notify\('beckon_events', '[-0-9a-f]{36}'\)/s);
    // the send's job is one plain insert (its task's id is known), not graphile-worker's add_jobs function
    assert.doesNotMatch(known[1].slice(0, known[1].indexOf('\ncommit;')), /pg_notify|"add_jobs?"|beckon_add_jobs_silent/);
  }
  // the second send prepared the transaction's statements in its round trip, the third and fourth executed them
  assert.deepEqual(executed, [false, true, true]);
  // every send stored its message, its event, its delivery and its jobs
  assert.equal((await deps.db.selectFrom('messages').select('id').execute()).length, 4);
  assert.equal((await deps.db.selectFrom('webhook_deliveries').select('id').where('event_type', '=', 'message_created').execute()).length, 4);
  assert.equal((await beckon.runtime.queue.jobs('send_message')).length, 4);
  assert.equal((await beckon.runtime.queue.jobs('deliver_webhook')).length, 4);
});

test('PostgreSQL: a refused send is one round trip and writes nothing', postgresOnly, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon);
  await sendMessage(deps, workspaceId, input('+393330000002'));
  await deps.db.updateTable('contacts').set({ blocked: 1 }).execute();
  const refused = await roundTrips(beckon, () => assert.rejects(sendMessage(deps, workspaceId, input('+393330000002')), { code: 'contact_blocked' }));
  assert.equal(refused.length, 1, refused.join('\n---\n'));
  assert.equal((await deps.db.selectFrom('messages').select('id').execute()).length, 1);
});

test('PostgreSQL: a status change is two round trips (one read, one pipelined transaction), its event and follow-ups pipelined with the commit', postgresOnly, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon);
  const message = await sendMessage(deps, workspaceId, input('+393330000003'));
  const trips = await roundTrips(beckon, () => applyStatus(deps, { id: message.uuid }, { status: 'sent', providerMessageId: 'p-1' }));
  assert.equal(trips.length, STATUS_ROUND_TRIPS, trips.join('\n---\n'));
  assert.equal((await deps.db.selectFrom('messages').select('status').executeTakeFirstOrThrow()).status, 'sent');
});

const STATUS_ROUND_TRIPS = 2;

test('PostgreSQL: a status that moves between the read and the pipelined write rolls that write back and is planned again', postgresOnly, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon);
  const message = await sendMessage(deps, workspaceId, input('+393330000004'));
  // another process moves the message to delivered just before this one's transaction goes out
  const other = new pg.Client({ connectionString: beckon.databaseUrl as string });
  await other.connect();
  const original = pg.Client.prototype.query;
  let moved = false;
  (pg.Client.prototype as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
    if (!moved && this !== other && typeof args[0] === 'string' && /(^|;\n)begin;/.test(args[0])) {
      moved = true;
      return other.query(`update messages set status = 'delivered', status_history = '[{"status":"enqueued","at":"x"},{"status":"delivered","at":"y"}]' where id = $1`, [message.uuid])
        .then(() => (original as (...a: unknown[]) => unknown).apply(this, args));
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  let outcome;
  try {
    outcome = await applyStatus(deps, { id: message.uuid }, { status: 'sent', providerMessageId: 'p-2' });
  } finally {
    pg.Client.prototype.query = original;
    await other.end();
  }
  assert.equal(moved, true);
  assert.equal(outcome.outcome, 'ignored');
  const row = await deps.db.selectFrom('messages').select(['status', 'provider_message_id']).where('id', '=', message.uuid).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'delivered', provider_message_id: null });
  assert.equal((await deps.db.selectFrom('events').select('id').where('type', '=', 'message_status_updated').execute()).length, 0);
});
