import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool } from 'undici';
import { apiCaller, benchEnv, type BeckonOptions, type BeckonServer } from './beckon.ts';
import { freePort, onExit, spawnNode, stopChild, waitReady, type Child } from './procs.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The PostgreSQL server `--store postgres` creates its databases on (one fresh database per Beckon started). */
export const BENCH_PG_URL = process.env.BECKON_BENCH_DATABASE_URL ?? process.env.BECKON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Null when the benchmark's PostgreSQL server answers, else why not. */
export async function pgUnreachable(): Promise<string | null> {
  try {
    await admin('select 1');
    return null;
  } catch (err) {
    return `no PostgreSQL at ${BENCH_PG_URL.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message} (set BECKON_BENCH_DATABASE_URL)`;
  }
}

/**
 * Starts Beckon on a fresh PostgreSQL database as a scaled-out deployment runs it: one `start --role api` process
 * (what the load and the API calls reach, and what `child` is) and `workers` `start --role worker` processes, all
 * with the same DATABASE_URL and BECKON_SECRET_KEY. stop() stops every process and drops the database.
 */
export async function startPgDeployment(workers: number, options: BeckonOptions = {}): Promise<BeckonServer & { workers: Child[]; databaseUrl: string }> {
  const name = `beckon_bench_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await admin(`drop database if exists ${name} with (force)`);
  };
  // the bench may exit (Ctrl-C, its time cap) without awaiting anything: drop the database from a child, synchronously
  onExit(() => {
    if (dropped) return;
    const script = `import pg from 'pg'; const c = new pg.Client({ connectionString: process.env.ADMIN_URL }); await c.connect(); await c.query('drop database if exists ${name} with (force)'); await c.end();`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ADMIN_URL: BENCH_PG_URL }, stdio: 'ignore', timeout: 10_000 });
  });
  const key = 'bk_bench_' + 'k'.repeat(8) + Math.random().toString(36).slice(2);
  const dirs: string[] = [];
  const env = benchEnv(key, { DATABASE_URL: databaseUrl, BECKON_SECRET_KEY: randomBytes(32).toString('base64'), ...options.env });
  const spawnRole = async (role: 'api' | 'worker') => {
    const dataDir = mkdtempSync(join(tmpdir(), `beckon-bench-${role}-`));
    dirs.push(dataDir);
    const port = await freePort();
    const child = spawnNode(['bin/beckon.mjs', 'start', '--role', role, '--port', String(port), '--data', dataDir], { cwd: ROOT, env });
    const base = `http://127.0.0.1:${port}`;
    const ready = await waitReady(child, base, ['/readyz', '/healthz'], 60_000);
    return { child, base, port, ready };
  };
  // the api process migrates and bootstraps first; the workers then start on the current schema
  const apiProc = await spawnRole('api');
  const workerProcs = await Promise.all(Array.from({ length: workers }, () => spawnRole('worker')));
  const api = new Pool(apiProc.base, { connections: 64 });
  let stopping = false;
  const dead = () => [apiProc, ...workerProcs].some((p) => p.child.proc.exitCode !== null || p.child.proc.signalCode !== null);
  return {
    child: apiProc.child, base: apiProc.base, port: apiProc.port, key, dataDir: dirs[0], api, startupMs: apiProc.ready.ms, probe: apiProc.ready.probe,
    workers: workerProcs.map((p) => p.child), databaseUrl,
    dead,
    assertAlive() {
      if (!dead() || stopping) return;
      const gone = [apiProc, ...workerProcs].find((p) => p.child.proc.exitCode !== null || p.child.proc.signalCode !== null)!;
      throw new Error(`a Beckon process exited during the benchmark (code ${gone.child.proc.exitCode}, signal ${gone.child.proc.signalCode}); its last output:\n${gone.child.output()}`);
    },
    call: apiCaller(api, key),
    async stop() {
      stopping = true;
      if (!api.closed) await api.close();
      await Promise.all([apiProc, ...workerProcs].map((p) => stopChild(p.child, 'SIGTERM', 5000)));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await drop();
    },
  };
}
