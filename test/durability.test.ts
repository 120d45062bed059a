import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { freePort } from './multiprocess-harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'bk_durability_test_key_0123456789';

// The embedded store's crash story (WAL file, jobs table leases); on PostgreSQL the multi-process test kills a worker instead.
const SQLITE_ONLY = process.env.BECKON_TEST_DATABASE_URL ? 'SQLite-only: kills the single process owning the SQLite file (PostgreSQL: test/multi-process.test.ts)' : false;

/** A Beckon server process spawned exactly as `beckon start` runs. */
interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}


async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts', 'start', '--port', String(port)], {
    cwd: ROOT,
    env: {
      ...process.env, BECKON_DATA_DIR: dataDir, BECKON_BOOTSTRAP_KEY: KEY, BECKON_SANDBOX_DELAYS: '0,20,20',
      BECKON_LOG_LEVEL: 'error', BECKON_RATE_LIMIT: '100000', BECKON_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    const ok = await fetch(`${base}/v1/auth/me`, { headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output: () => log, exited };
}

/** The recipient of the i-th message and the final state it must reach (magic numbers fail with their code). */
function plan(i: number): { to: string; status: string; code: string | null } {
  if (i % 10 === 1) return { to: '+1 202 555 0101', status: 'failed', code: 'invalid_recipient' };
  if (i % 10 === 2) return { to: '+1 202 555 0102', status: 'failed', code: 'not_on_whatsapp' };
  if (i % 10 === 5) return { to: '+1 202 555 0105', status: 'failed', code: 'provider_rejected' };
  if (i % 50 === 4) return { to: '+1 202 555 0104', status: 'read', code: null };
  return { to: `+39 333 ${1_000_000 + i}`, status: 'read', code: null };
}

/** Sends messages `from`..`to` with `concurrency` requests in flight; calls `onAnswer` for every 2xx; each sender stops at its first refused request. */
async function sendMany(server: Server, from: number, to: number, concurrency: number, answered: Map<string, number>, onAnswer: () => void): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      try {
        const res = await fetch(`${server.base}/v1/messages/send`, {
          method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: plan(i).to, from: 'whatsapp', type: 'text', content: { text: `message ${i}` } }),
        });
        if (res.status === 503) return; // closing: refused, so it promises nothing
        if (res.status !== 200) throw new Error(`send ${i} answered ${res.status}: ${await res.text()}`);
        const body = await res.json() as { message: { uuid: string; status: string } };
        assert.equal(body.message.status, 'enqueued');
        answered.set(body.message.uuid, i);
        onAnswer();
      } catch (err) {
        if (err instanceof assert.AssertionError || String(err).includes('answered')) throw err;
        return; // the server is gone: this request was never answered, so it promises nothing
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Waits until every answered message is final, then checks each reached what its recipient promises. */
async function expectAllFinal(server: Server, answered: Map<string, number>): Promise<void> {
  const deadline = Date.now() + 90_000;
  let pending: string[] = [];
  for (;;) {
    const seen = new Map<string, { status: string; error: { code: string } | null; status_history: { status: string }[] }>();
    let cursor: string | null = null;
    do {
      const res = await fetch(`${server.base}/v1/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${KEY}` } });
      const page = await res.json() as { messages: { uuid: string; status: string; error: { code: string } | null; status_history: { status: string }[] }[]; meta: { next_cursor: string | null } };
      for (const m of page.messages) seen.set(m.uuid, m);
      cursor = page.meta.next_cursor;
    } while (cursor);
    pending = [...answered.keys()].filter((uuid) => !['read', 'failed'].includes(seen.get(uuid)?.status ?? ''));
    if (pending.length === 0) {
      for (const [uuid, i] of answered) {
        const m = seen.get(uuid)!;
        assert.equal(m.status, plan(i).status, `message ${i} (${uuid})`);
        assert.equal(m.error?.code ?? null, plan(i).code, `message ${i} error`);
        const statuses = m.status_history.map((h) => h.status);
        assert.equal(new Set(statuses).size, statuses.length, `message ${i} history has no repeats: ${statuses}`);
      }
      return;
    }
    if (Date.now() > deadline) throw new Error(`${pending.length} answered messages never reached a final status, e.g. ${pending.slice(0, 3)}\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('durability: kill -9 mid-stream loses no answered message; SIGTERM drains and exits 0', { timeout: 240_000, skip: SQLITE_ONLY }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-durability-'));
  const servers: Server[] = [];
  t.after(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  // 1. A few hundred concurrent sends; kill -9 once 120 were answered, with requests and jobs in flight.
  const first = await startServer(dataDir);
  servers.push(first);
  const answered = new Map<string, number>();
  await sendMany(first, 0, 300, 16, answered, () => {
    if (answered.size === 120) first.child.kill('SIGKILL');
  });
  assert.equal((await first.exited).signal, 'SIGKILL');
  assert.ok(answered.size >= 120 && answered.size < 300, `answered ${answered.size}`);

  // 2. Restart on the same data: every answered message reaches its final status, none twice at the provider.
  const second = await startServer(dataDir);
  servers.push(second);
  await expectAllFinal(second, answered);

  // 3. SIGTERM while sends and jobs are in flight: in-flight work drains and the process exits 0.
  const beforeTerm = new Map<string, number>();
  await sendMany(second, 1000, 1200, 16, beforeTerm, () => {
    if (beforeTerm.size === 60) second.child.kill('SIGTERM');
  });
  const exit = await second.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, second.output());
  const db = new DatabaseSync(join(dataDir, 'beckon.db'));
  try {
    const locked = db.prepare('SELECT count(*) AS n FROM jobs WHERE locked_until IS NOT NULL').get() as { n: number };
    assert.equal(locked.n, 0, 'no job was abandoned mid-run');
  } finally {
    db.close();
  }

  // 4. And what was accepted before SIGTERM completes after the next start.
  const third = await startServer(dataDir);
  servers.push(third);
  await expectAllFinal(third, new Map([...answered, ...beforeTerm]));
  third.child.kill('SIGTERM');
  assert.equal((await third.exited).code, 0);

  const check = new DatabaseSync(join(dataDir, 'beckon.db'));
  try {
    const mismatched = check.prepare(`SELECT count(*) AS n FROM messages m JOIN sandbox_sends s ON s.idempotency_key = m.id
      WHERE m.status = 'read' AND (s.accepted_at IS NULL OR s.provider_message_id != m.provider_message_id)`).get() as { n: number };
    assert.equal(mismatched.n, 0, 'every read message was accepted once, under the provider id the message carries');
    const read = check.prepare(`SELECT count(*) AS n FROM messages WHERE status = 'read'`).get() as { n: number };
    const expectedRead = [...answered.values(), ...beforeTerm.values()].filter((i) => plan(i).status === 'read').length;
    assert.ok(read.n >= expectedRead, `${read.n} read >= ${expectedRead}`);
  } finally {
    check.close();
  }
});
