import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
const children = new Set<ChildProcess>();
const cleanups: Array<() => void> = [];
let hooked = false;

/** Kills every child still running (SIGKILL) and runs the registered cleanups; safe to call more than once. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  while (cleanups.length) {
    try {
      cleanups.pop()!();
    } catch {
      // best effort: the process is exiting
    }
  }
}

/** Registers a synchronous cleanup (e.g. removing a temp dir) to run when the bench exits. */
export function onExit(cleanup: () => void): void {
  cleanups.push(cleanup);
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every child\n`);
      killAll();
      process.exit(130);
    });
  }
}

/** A spawned child with the tail of its output kept for error messages. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Spawn time (performance.now()). */
  spawnedAt: number;
  /** The last ~8 KB of stdout and stderr. */
  output(): string;
  /** Resolves when the child has exited. */
  exited: Promise<number | null>;
}

/** Spawns `node <args>` (the running Node) with the watchdog preloaded; the child is killed when the bench exits. */
export function spawnNode(args: string[], options: SpawnOptions & { ipc?: boolean; nodeFlags?: string[] } = {}): Child {
  hookExit();
  const { ipc, nodeFlags = [], ...rest } = options;
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', WATCHDOG, ...nodeFlags, ...args], {
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    ...rest,
  });
  if (proc.pid === undefined) throw new Error(`could not spawn ${args.join(' ')}`);
  children.add(proc);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8192);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    children.delete(proc);
    resolve(code);
  }));
  return { proc, pid: proc.pid, spawnedAt, output: () => tail, exited };
}

/** Stops a child: `signal` first, SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill(signal);
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (also used as "a closed port"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resident set size of a process in bytes (VmRSS from /proc), or null where /proc is not available. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat, or null. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine has been busy so far (every core: user, nice, system, irq, softirq, steal), from
 * /proc/stat, or null: what Beckon, the load generator, the receiver and anything else running used together.
 */
export function machineCpuSeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / 100;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number | null } {
  let peak: number | null = rssBytes(pid);
  const timer = setInterval(() => {
    const rss = rssBytes(pid);
    if (rss !== null && (peak === null || rss > peak)) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Polls `paths` on `base` until one answers 200; returns the ms from the child's spawn and the path that answered.
 * A path answering 404 is dropped in favour of the next; when all are 404, any answer means ready.
 */
export async function waitReady(child: Child, base: string, paths: string[], timeoutMs: number): Promise<{ ms: number; probe: string }> {
  const deadline = performance.now() + timeoutMs;
  const left = [...paths];
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`child exited with ${child.proc.exitCode} before it was ready:\n${child.output()}`);
    const path = left[0] ?? '/';
    try {
      const res = await request(base + path, { headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode === 200 || left.length === 0) return { ms: performance.now() - child.spawnedAt, probe: left.length ? path : `any answer (${path} → ${res.statusCode})` };
      if (res.statusCode === 404) {
        left.shift();
        continue;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
