import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './multiprocess-harness.ts';
import { closeBeforeDrop, freshPgDatabase } from './pg-fresh.ts';

/**
 * A real `beckon start` process (SQLite on the SQLite pass, a fresh PostgreSQL database on the PostgreSQL pass) with
 * RUNS event-triggered runs of send → wait 2 s → send → tag, killed with SIGKILL while runs wait and others are mid-step,
 * then started again on the same store: every run completes exactly once, each sent exactly its two messages and took
 * exactly its five steps, and the stats counters (written in the steps' transactions) agree.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'bk_automation_durability_key_0123456789';
const PG_URL = process.env.BECKON_TEST_DATABASE_URL;
/** Runs started before the kill (fewer on PostgreSQL, where a restart also waits for the sweeper to release the dead process's locked jobs). */
const RUNS = PG_URL ? 60 : 200;

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts', 'start', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, BECKON_BOOTSTRAP_KEY: KEY, BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_LOG_LEVEL: 'error', BECKON_RATE_LIMIT: '100000', BECKON_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output: () => log, exited };
}

async function call(server: Server, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.base}${path}`, {
    method, headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** Reads rows straight from the store (SQLite file or PostgreSQL database) with plain SQL both understand. */
async function rows<T>(store: { dataDir: string; url: string | null }, query: string): Promise<T[]> {
  if (store.url) {
    const client = new pg.Client({ connectionString: store.url });
    await client.connect();
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new DatabaseSync(join(store.dataDir, 'beckon.db'));
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

async function waitUntil<T>(what: string, server: Server, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test(`automations durability: kill -9 with ${RUNS} runs waiting or mid-step, restart: every run completes once, no step's effect twice`, { timeout: 180_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-automation-durability-'));
  const url = PG_URL ? await freshPgDatabase(t, 'beckon_autodur') : null;
  const env: Record<string, string> = { BECKON_DATA_DIR: dataDir, BECKON_SECRET_KEY: randomBytes(32).toString('base64'), ...(url ? { DATABASE_URL: url, BECKON_DATABASE_POOL_SIZE: '4' } : {}) };
  const servers: Server[] = [];
  const killAll = async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
  };
  if (url) closeBeforeDrop(url, killAll);
  t.after(async () => {
    await killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const store = { dataDir, url };

  const first = await startServer(env);
  servers.push(first);
  const channel = (await call(first, 'GET', '/v1/channels')).channels.find((c: { type: string }) => c.type === 'whatsapp').uuid;
  const automation = (await call(first, 'POST', '/v1/automations', {
    name: 'Durable', trigger: { type: 'event', event: 'custom.signed_up' }, start: 'hello',
    steps: {
      hello: { type: 'send_message', channel_uuid: channel, text: 'hello {{ trigger.n }}', next: 'pause' },
      pause: { type: 'wait', duration: { seconds: 2 }, next: 'bye' },
      bye: { type: 'send_message', channel_uuid: channel, text: 'bye {{ trigger.n }}', next: 'tag' },
      tag: { type: 'update_contact', add_tags: ['done'] },
    },
  })).automation.uuid;
  await call(first, 'POST', `/v1/automations/${automation}/activate`, {});
  for (let from = 0; from < RUNS; from += 100) {
    const events = Array.from({ length: Math.min(100, RUNS - from) }, (_, i) => ({ name: 'signed_up', contact: { phone: `+39 333 ${2_000_000 + from + i}` }, data: { n: from + i } }));
    const answer = await call(first, 'POST', '/v1/events/batch', { events });
    assert.equal(answer.meta.accepted, events.length);
  }
  // kill -9 once some runs wait (their first message stored) while others have not taken their first step yet
  const atKill = await waitUntil('runs waiting', first, async () => {
    const stats = (await call(first, 'GET', `/v1/automations/${automation}/stats`)).stats;
    return stats.steps[1].waiting_now >= RUNS / 10 ? stats : undefined;
  }, 60_000);
  first.child.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');
  assert.equal(atKill.runs.started, RUNS);

  const second = await startServer(env);
  servers.push(second);
  const stats = await waitUntil('every run completed', second, async () => {
    const s = (await call(second, 'GET', `/v1/automations/${automation}/stats`)).stats;
    return s.runs.completed === RUNS ? s : undefined;
  }, 120_000);

 
  const statuses = await rows<{ status: string; n: number | string }>(store, 'select status, count(*) as n from automation_runs group by status');
  assert.deepEqual(statuses.map((r) => [r.status, Number(r.n)]), [['completed', RUNS]]);
  const steps = await rows<{ run_id: string; step_id: string; outcome: string }>(store, 'select run_id, step_id, outcome from automation_run_steps order by run_id, id');
  const byRun = new Map<string, string[]>();
  for (const s of steps) byRun.set(s.run_id, [...(byRun.get(s.run_id) ?? []), `${s.step_id}:${s.outcome}`]);
  assert.equal(byRun.size, RUNS);
  for (const [run, taken] of byRun) assert.deepEqual(taken, ['hello:next', 'pause:waiting', 'pause:next', 'bye:next', 'tag:next'], `run ${run}`);
  const messages = await rows<{ metadata: string; content: string }>(store, "select metadata, content from messages where direction = 'outbound'");
  const sent = new Map<string, string[]>();
  for (const m of messages) {
    const run = JSON.parse(m.metadata).automation_run_uuid as string;
    sent.set(run, [...(sent.get(run) ?? []), JSON.parse(m.content).text.split(' ')[0]].sort());
  }
  assert.equal(messages.length, 2 * RUNS, 'exactly two messages per run');
  for (const run of byRun.keys()) assert.deepEqual(sent.get(run), ['bye', 'hello'], `messages of run ${run}`);
  const tags = await rows<{ tags: string }>(store, 'select tags from contacts');
  assert.deepEqual([...new Set(tags.map((c) => c.tags))], ['["done"]']);

  assert.deepEqual(stats.runs, { started: RUNS, completed: RUNS, exited: 0, failed: 0, converted: 0, active: 0, conversion_rate: 0 });
  assert.deepEqual(stats.steps.map((s: Record<string, unknown>) => [s.step, s.entered, s.completed, s.waiting_now]), [
    ['hello', RUNS, { next: RUNS }, 0], ['pause', RUNS, { next: RUNS }, 0], ['bye', RUNS, { next: RUNS }, 0], ['tag', RUNS, { next: RUNS }, 0],
  ]);
  second.child.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, second.output());
});
