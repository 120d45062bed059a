import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, onExit, spawnNode, stopChild, waitReady, type Child } from './procs.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASELINE = fileURLToPath(new URL('../baseline-server.ts', import.meta.url));

/** A server process under test (Beckon or the baseline) with how long it took to be ready. */
export interface Server {
  child: Child;
  base: string;
  port: number;
  /** ms from spawn to the first 200 of the readiness probe. */
  startupMs: number;
  probe: string;
  stop(): Promise<void>;
}

/** A Beckon child with its admin key, data dir and an undici pool for API calls. */
export interface BeckonServer extends Server {
  key: string;
  dataDir: string;
  api: Pool;
  /** Whether the process has exited (it should not before stop()). */
  dead(): boolean;
  /** Throws, with the exit code and the tail of its output, when the process has exited. */
  assertAlive(): void;
  /** Sends a JSON request with the admin key; returns status and parsed body. */
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** Options for starting Beckon: reuse a data dir (warm start) and/or write a CPU profile into profileDir. */
export interface BeckonOptions {
  dataDir?: string;
  profileDir?: string;
  env?: Record<string, string>;
}

/**
 * Starts Beckon as a user runs it (`npm start`): `node bin/beckon.mjs start` in its own process, with the real SQLite store
 * in a temp dir, the sandbox at zero delays, loopback webhooks allowed and the rate limit out of the way.
 */
export async function startBeckon(options: BeckonOptions = {}): Promise<BeckonServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  if (!options.dataDir) onExit(() => rmSync(dataDir, { recursive: true, force: true }));
  const key = 'bk_bench_' + 'k'.repeat(8) + Math.random().toString(36).slice(2);
  const port = await freePort();
  const nodeFlags: string[] = [];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  const child = spawnNode(['bin/beckon.mjs', 'start', '--port', String(port), '--data', dataDir], {
    cwd: ROOT,
    nodeFlags,
    env: benchEnv(key, options.env),
  });
  const base = `http://127.0.0.1:${port}`;
  const ready = await waitReady(child, base, ['/readyz', '/healthz'], 30_000);
  const api = new Pool(base, { connections: 64 });
  let stopping = false;
  const dead = () => child.proc.exitCode !== null || child.proc.signalCode !== null;
  return {
    child, base, port, key, dataDir, api, startupMs: ready.ms, probe: ready.probe,
    dead,
    assertAlive() {
      if (dead() && !stopping) {
        throw new Error(`Beckon exited during the benchmark (code ${child.proc.exitCode}, signal ${child.proc.signalCode}); its last output:\n${child.output()}`);
      }
    },
    call: apiCaller(api, key),
    async stop() {
      stopping = true;
      if (!api.closed) await api.close();
      // SIGTERM lets Beckon drain and write its CPU profile; a profiled run gets longer to do so.
      await stopChild(child, 'SIGTERM', options.profileDir ? 30_000 : 5000);
    },
  };
}

/** Starts the bare Fastify baseline (bench/baseline-server.ts) in its own process; `hooks` makes it post each send's status webhooks there. */
export async function startBaseline(hooks?: string): Promise<Server> {
  const port = await freePort();
  const child = spawnNode([BASELINE, String(port), ...(hooks ? ['--hooks', hooks] : [])], { cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  const ready = await waitReady(child, base, ['/healthz'], 30_000);
  return { child, base, port, startupMs: ready.ms, probe: ready.probe, stop: () => stopChild(child, 'SIGTERM', 2000) };
}

/** True when `method path` reaches no route on Beckon (its 404 says "no route for …"). */
export async function routeMissing(beckon: BeckonServer, method: 'GET' | 'POST', path: string): Promise<boolean> {
  const res = await beckon.call(method, path, method === 'POST' ? {} : undefined);
  return res.status === 404 && typeof res.body?.detail === 'string' && res.body.detail.startsWith('no route for');
}

/** BeckonServer.call over an undici pool: sends JSON with the key, answers the status and the parsed body (or its text). */
export function apiCaller(api: Pool, key: string): BeckonServer['call'] {
  return async (method, path, body) => {
    const res = await api.request({
      method, path,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // keep the text
    }
    return { status: res.statusCode, body: parsed };
  };
}

/** The environment every benchmarked Beckon process runs with: the admin key, instant sandbox, no practical rate limit, loopback webhooks. */
export function benchEnv(key: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BECKON_BOOTSTRAP_KEY: key,
    BECKON_SANDBOX_DELAYS: '0,0,0',
    BECKON_LOG_LEVEL: 'warn',
    BECKON_RATE_LIMIT: '1000000000',
    BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
    ...extra,
  };
}
