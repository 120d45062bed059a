import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A `beckon start --role …` process spawned exactly as an operator runs it. */
export interface BeckonProcess {
  role: 'api' | 'worker' | 'all';
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `src/main.ts start --role <role>` on a free port with `env` (DATABASE_URL, BECKON_SECRET_KEY, …) and
 * resolves once /readyz answers 200; throws with the process output if it exits or is not ready within 60 s.
 */
export async function startProcess(role: BeckonProcess['role'], env: Record<string, string>): Promise<BeckonProcess> {
  const port = await freePort();
  // with DATABASE_URL the data directory holds nothing shared; each process gets its own
  const dataDir = mkdtempSync(join(tmpdir(), `beckon-mp-${role}-`));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts', 'start', ...(role === 'all' ? [] : ['--role', role]), '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, BECKON_LOG_LEVEL: 'error', BECKON_HOST: '127.0.0.1', BECKON_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => {
    rmSync(dataDir, { recursive: true, force: true });
    resolve({ code, signal });
  }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${role} process exited early:\n${log}`);
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} process did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { role, child, base, output: () => log, exited };
}

/** Sends `signal` to the process (if still running) and waits for it to exit. */
export async function killProcess(p: BeckonProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}
