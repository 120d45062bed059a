// `npx node bench/costs.ts [--store sqlite|postgres] [--messages N]`: what one message costs the store, counted, not
// timed. Beckon runs in this process (sandbox delays 0); triggers on every table log each row written to a side table
// (bench_writes), and the commits are counted (SQLite: the driver's counter; PostgreSQL: distinct transaction ids in
// that log). N messages are sent one after another, each to a new number, and each is followed until it is `read` and
// no job is due, once with no webhook endpoint and once with one subscribed to message_status_updated. On PostgreSQL
// the round trips are counted too: every query call of any pg client in this process (the API's pool, graphile-worker's,
// LISTEN) for the whole pipeline, and those of the API's pool during the send request.
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';

let roundTrips = 0;
let apiRoundTrips = 0;
const apiClients = new Set<unknown>();
const originalQuery = pg.Client.prototype.query;
(pg.Client.prototype as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  roundTrips++;
  if (apiClients.has(this)) apiRoundTrips++;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
};

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const store = arg('store', 'sqlite');
const messages = Number(arg('messages', '20'));
if (store !== 'sqlite' && store !== 'postgres') throw new Error('--store is sqlite or postgres');
if (store === 'postgres') process.env.BECKON_TEST_DATABASE_URL = process.env.BECKON_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
else delete process.env.BECKON_TEST_DATABASE_URL;

const { startBeckon, waitFor } = await import('../test/helpers.ts');
const { sqliteCommitCount } = await import('../src/db/sqlite-dialect.ts');
type TestBeckon = Awaited<ReturnType<typeof startBeckon>>;

/** One line of the log: a table, an operation, how many rows and their bytes (values as text, summed). */
interface WriteCount {
  tbl: string;
  op: string;
  n: number;
  bytes: number;
}

const SKIP = new Set(['bench_writes', 'kysely_migration', 'kysely_migration_lock', 'migrations', 'migrations_lock']);

async function installSqliteTriggers(beckon: TestBeckon): Promise<void> {
  const db = beckon.runtime.deps.db;
  await sql`create table bench_writes (tbl text, op text, bytes integer)`.execute(db);
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
    and sql not like 'CREATE VIRTUAL%'`.execute(db);
  for (const { name } of tables.rows) {
    if (SKIP.has(name)) continue;
    const cols = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db);
    const size = (row: string) => cols.rows.map((c) => `coalesce(length(cast(${row}."${c.name}" as blob)), 0)`).join(' + ') || '0';
    for (const [op, bytes] of [['INSERT', size('NEW')], ['UPDATE', size('NEW')], ['DELETE', '0']] as const) {
      try {
        await sql.raw(`create trigger "bench_${op}_${name}" after ${op} on "${name}" begin
          insert into bench_writes values ('${name}', '${op}', ${bytes}); end`).execute(db);
      } catch {
        // FTS shadow tables refuse triggers: their writes follow from their content table's
      }
    }
  }
}

async function installPostgresTriggers(beckon: TestBeckon): Promise<void> {
  const db = beckon.runtime.deps.db;
  await sql`create table public.bench_writes (tbl text, op text, bytes int, tx bigint)`.execute(db);
  await sql.raw(`create function public.bench_log() returns trigger language plpgsql as $$
    begin
      insert into public.bench_writes values (tg_table_schema || '.' || tg_table_name, tg_op,
        case when tg_op = 'DELETE' then 0 else (select coalesce(sum(octet_length(value)), 0) from json_each_text(row_to_json(new))) end,
        txid_current());
      return null;
    end $$`).execute(db);
  const tables = await sql<{ schema: string; name: string }>`select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema in ('public', ${beckon.runtime.deps.config.workerSchema})`.execute(db);
  for (const { schema, name } of tables.rows) {
    if (SKIP.has(name) || name.startsWith('kysely_')) continue;
    await sql.raw(`create trigger bench_log after insert or update or delete on "${schema}"."${name}" for each row execute function public.bench_log()`).execute(db);
  }
}

async function readCounts(beckon: TestBeckon): Promise<{ rows: WriteCount[]; commits: number | null }> {
  const db = beckon.runtime.deps.db;
  const { rows } = await sql<WriteCount>`select tbl, op, count(*) as n, sum(bytes) as bytes from bench_writes group by tbl, op order by tbl, op`.execute(db);
  if (store === 'sqlite') return { rows: rows.map((r) => ({ ...r, n: Number(r.n), bytes: Number(r.bytes) })), commits: null };
  const tx = await sql<{ n: number }>`select count(distinct tx) as n from bench_writes`.execute(db);
  return { rows: rows.map((r) => ({ ...r, n: Number(r.n), bytes: Number(r.bytes) })), commits: Number(tx.rows[0].n) };
}

async function quiet(beckon: TestBeckon, uuid: string): Promise<void> {
  await waitFor(`message ${uuid} read and no job due`, async () => {
    // read from the store, not through the API: a request would add its own writes (the rate limit's counter on PostgreSQL)
    const message = await beckon.runtime.deps.db.selectFrom('messages').select('status').where('id', '=', uuid).executeTakeFirst();
    if (message?.status !== 'read') return false;
    const now = new Date().toISOString();
    return (await beckon.runtime.queue.jobs()).every((j) => j.failed || j.runAt > now);
  });
}

function receiver(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    resolve({ server, url: `http://127.0.0.1:${port}/hook`, requests: () => requests });
  }));
}

/** Sends `messages` messages one after another and returns the rows written and commits per message. */
async function measure(withWebhook: boolean): Promise<{ rows: WriteCount[]; commits: number; webhooks: number; trips: number; sendTrips: number; cpuMs: number }> {
  const hook = await receiver();
  const beckon = await startBeckon({ BECKON_LOG_LEVEL: 'silent' });
  beckon.runtime.store.pool?.on('acquire', (client) => apiClients.add(client));
  try {
    if (withWebhook) {
      const res = await beckon.call('POST', '/v1/webhooks', { body: { url: hook.url, events: ['message_status_updated'] } });
      if (res.statusCode >= 300) throw new Error(`POST /v1/webhooks answered ${res.statusCode}: ${res.body}`);
    }
    let sendTrips = 0;
    const send = async (i: number) => {
      const before = apiRoundTrips;
      const res = await beckon.call('POST', '/v1/messages/send', { body: { to: `+39 333 7${String(i).padStart(6, '0')}`, from: 'whatsapp', type: 'text', content: { text: 'Hello!' } } });
      if (res.statusCode >= 300) throw new Error(`send answered ${res.statusCode}: ${res.body}`);
      sendTrips += apiRoundTrips - before;
      await quiet(beckon, res.json().message.uuid);
    };
    await send(999_999); // warm-up: first-use rows (caches, throttles) are not one message's cost
    if (store === 'sqlite') await installSqliteTriggers(beckon);
    else await installPostgresTriggers(beckon);
    const commits0 = sqliteCommitCount();
    const hooks0 = hook.requests();
    sendTrips = 0;
    const trips0 = roundTrips;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < messages; i++) await send(i);
    const cpu = process.cpuUsage(cpu0);
    const trips = roundTrips - trips0;
    const counted = await readCounts(beckon);
    return { rows: counted.rows, commits: counted.commits ?? sqliteCommitCount() - commits0, webhooks: hook.requests() - hooks0, trips, sendTrips, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await beckon.stop();
    hook.server.close();
  }
}

const per = (n: number) => (n / messages).toFixed(2).replace(/\.00$/, '');
const lines: string[] = [`### One message on ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${messages} messages, one after another)`, ''];
const results = { none: await measure(false), webhook: await measure(true) };
const tables = [...new Set([...results.none.rows, ...results.webhook.rows].map((r) => r.tbl))].sort();
const cell = (rows: WriteCount[], tbl: string) => {
  const ops = ['INSERT', 'UPDATE', 'DELETE'].map((op) => rows.find((r) => r.tbl === tbl && r.op === op)?.n ?? 0);
  const bytes = rows.filter((r) => r.tbl === tbl).reduce((s, r) => s + r.bytes, 0);
  return `${ops.map(per).join(' / ')} | ${per(bytes)}`;
};
lines.push('| table | no endpoint: inserts / updates / deletes | bytes | one endpoint (status events): inserts / updates / deletes | bytes |', '|---|---|---:|---|---:|');
for (const tbl of tables) lines.push(`| ${tbl} | ${cell(results.none.rows, tbl)} | ${cell(results.webhook.rows, tbl)} |`);
const total = (rows: WriteCount[]) => [rows.reduce((s, r) => s + r.n, 0), rows.reduce((s, r) => s + r.bytes, 0)];
const [nRows, nBytes] = total(results.none.rows);
const [wRows, wBytes] = total(results.webhook.rows);
lines.push(`| **rows written** | ${per(nRows)} | ${per(nBytes)} | ${per(wRows)} | ${per(wBytes)} |`);
lines.push(`| **commits** | ${per(results.none.commits)} | | ${per(results.webhook.commits)} | |`);
const jobsTable = store === 'sqlite' ? 'jobs' : 'beckon_worker._private_jobs';
const count = (rows: WriteCount[], tbl: string, op: string) => rows.find((r) => r.tbl === tbl && r.op === op)?.n ?? 0;
const eventsTable = store === 'sqlite' ? 'events' : 'public.events';
lines.push(`| **jobs** (inserts into ${jobsTable}) | ${per(count(results.none.rows, jobsTable, 'INSERT'))} | | ${per(count(results.webhook.rows, jobsTable, 'INSERT'))} | |`);
lines.push(`| **events** | ${per(count(results.none.rows, eventsTable, 'INSERT'))} | | ${per(count(results.webhook.rows, eventsTable, 'INSERT'))} | |`);
if (store === 'postgres') {
  lines.push(`| **round trips of the send request on the API's pool** (a new contact each) | ${per(results.none.sendTrips)} | | ${per(results.webhook.sendTrips)} | |`);
  lines.push(`| **round trips, the whole pipeline** (incl. job polling) | ${per(results.none.trips)} | | ${per(results.webhook.trips)} | |`);
}
lines.push(`| **CPU ms** (this process: Beckon, the receiver, the counting triggers, the waits' polls) | ${per(results.none.cpuMs)} | | ${per(results.webhook.cpuMs)} | |`);
lines.push(`| **webhook requests** | ${per(results.none.webhooks)} | | ${per(results.webhook.webhooks)} | |`);
process.stdout.write(lines.join('\n') + '\n');
process.exit(0);
