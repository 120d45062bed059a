// `npx node --disable-warning=ExperimentalWarning bench/pg-footprint.ts [N]`: sends N messages (default 2000) through the sandbox on a fresh
// PostgreSQL database (BECKON_BENCH_DATABASE_URL) with a webhook endpoint on message_status_updated, waits until all are
// read and every webhook delivered, then prints rows and bytes per message per table (the capacity model's inputs, docs/scaling.md).
import pg from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { loadConfig } from '../src/config.ts';
import { startRuntime } from '../src/runtime.ts';

const ADMIN = process.env.BECKON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.argv[2] ?? 2000);
const name = 'beckon_fp_' + randomBytes(4).toString('hex');
const adm = new pg.Client({ connectionString: ADMIN });
await adm.connect();
await adm.query(`create database ${name}`);
const dbUrl = new URL(ADMIN);
dbUrl.pathname = '/' + name;
const url = dbUrl.toString();
const hook = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200); res.end('ok'); }); });
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const hookPort = (hook.address() as any).port;
const key = 'bk_fp_' + randomBytes(8).toString('hex');
const runtime = await startRuntime(loadConfig({ DATABASE_URL: url, BECKON_DATA_DIR: mkdtempSync(join(tmpdir(), 'fp-')), BECKON_BOOTSTRAP_KEY: key, BECKON_SECRET_KEY: randomBytes(32).toString('base64'), BECKON_LOG_LEVEL: 'silent', BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_RATE_LIMIT: '100000000', BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' }));
const call = (method: string, u: string, body?: unknown) => runtime.app.inject({ method: method as any, url: u, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body as any } : {}) });
console.log((await call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${hookPort}/h`, events: ['message_status_updated'] })).statusCode);
const statsSql = `select pg_current_wal_lsn() as lsn, xact_commit, tup_inserted, tup_updated, tup_deleted from pg_stat_database where datname = current_database()`;
const probe = new pg.Client({ connectionString: url });
await probe.connect();
await probe.query('select pg_stat_clear_snapshot()');
const before = (await probe.query(statsSql)).rows[0];
const t0 = Date.now();
let next = 0;
await Promise.all(Array.from({ length: 32 }, async () => {
  while (next < N) {
    const i = next++;
    const r = await call('POST', '/v1/messages/send', { to: `+39 333 ${1_000_000 + i}`, from: 'whatsapp', type: 'text', content: { text: `Hello, your order ${i} has shipped and will arrive tomorrow.` } });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
}));
console.log('accepted', N, 'in', (Date.now() - t0) / 1000, 's');
const c = new pg.Client({ connectionString: url });
await c.connect();
for (;;) {
  const { rows } = await c.query("select count(*) filter (where status in ('read','failed')) as done, count(*) as n from messages");
  const d = await c.query("select count(*) filter (where status='succeeded') as ok, count(*) as n from webhook_deliveries");
  if (Number(rows[0].done) >= N && Number(d.rows[0].ok) === Number(d.rows[0].n) && Number(d.rows[0].n) > 0) break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log('all read and delivered in', (Date.now() - t0) / 1000, 's');
await new Promise((r) => setTimeout(r, 1000)); // statistics are flushed by each backend about once a second
await probe.query('select pg_stat_clear_snapshot()');
const after = (await probe.query(statsSql)).rows[0];
const walBytes = Number((await probe.query('select pg_wal_lsn_diff($1, $2) as d', [after.lsn, before.lsn])).rows[0].d);
console.log(`per message: WAL ${(walBytes / N).toFixed(0)} B, commits ${((after.xact_commit - before.xact_commit) / N).toFixed(2)}, rows inserted ${((after.tup_inserted - before.tup_inserted) / N).toFixed(2)}, updated ${((after.tup_updated - before.tup_updated) / N).toFixed(2)}, deleted ${((after.tup_deleted - before.tup_deleted) / N).toFixed(2)}`);
await probe.end();
await runtime.stop();
await c.query('vacuum analyze');
const { rows } = await c.query(`select c.relname as table, c.reltuples::bigint as est, (select count(*) from pg_class x where false) as z,
  pg_relation_size(c.oid) as heap, pg_indexes_size(c.oid) as idx, pg_total_relation_size(c.oid) as total
  from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = 'public' order by total desc`);
for (const r of rows) {
  const cnt = (await c.query(`select count(*) as n from "${r.table}"`)).rows[0].n;
  if (Number(cnt) === 0) continue;
  console.log(r.table.padEnd(28), 'rows', String(cnt).padStart(7), 'rows/msg', (cnt / N).toFixed(2).padStart(6), 'heap B/msg', (r.heap / N).toFixed(0).padStart(6), 'idx B/msg', (r.idx / N).toFixed(0).padStart(6), 'total B/msg', (r.total / N).toFixed(0).padStart(6));
}
const tot = (await c.query(`select sum(pg_total_relation_size(c.oid)) as t from pg_class c join pg_namespace n on n.oid=c.relnamespace where c.relkind='r' and n.nspname='public'`)).rows[0].t;
console.log('total bytes per message', (tot / N).toFixed(0));
const ev = await c.query('select type, count(*) as n from events group by type order by type');
console.log(ev.rows);
await c.end();
await adm.query(`drop database ${name} with (force)`);
await adm.end();
hook.close();
process.exit(0);
