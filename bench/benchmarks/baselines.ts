import { Pool } from 'undici';
import { startBaseline } from '../lib/beckon.ts';
import { acceptLoad, clock, percentile, runBounded, type LoadResult } from '../lib/load.ts';
import type { BenchOptions } from '../lib/options.ts';
import { rssBytes } from '../lib/procs.ts';
import { storeCeiling, type StoreCeiling } from '../lib/store-probe.ts';

/** The bare Fastify process measured once per run: startup, idle RSS and the accept load. */
export interface AcceptBaseline {
  startupMs: number;
  idleRssBytes: number | null;
  load: LoadResult;
}

/** Raw webhook posting speed: undici straight to the receiver, no Beckon in between. */
export interface RawPostBaseline {
  posts: number;
  failed: number;
  seconds: number;
  rate: number;
  p50: number | null;
  p99: number | null;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts and seconds of one raw webhook baseline run (whichever ends first). */
export function rawBudget(opts: BenchOptions): { count: number; seconds: number } {
  return opts.mode === 'quick' ? { count: 20_000, seconds: 2 } : { count: 200_000, seconds: 5 };
}

/** Seconds of unmeasured load before each measured accept run, so both servers are measured warm. */
export function warmupSeconds(opts: BenchOptions): number {
  return opts.mode === 'quick' ? 1 : 2;
}

/** Baselines shared by several benchmarks, measured at most once per run. */
export class Baselines {
  private accept: Promise<AcceptBaseline> | undefined;
  private ceiling: StoreCeiling | undefined;
  private readonly opts: BenchOptions;

  constructor(opts: BenchOptions) {
    this.opts = opts;
  }

  /** The store's own ceiling on this disk (durable single-row commits/s), measured once with nothing else running. */
  store(): StoreCeiling {
    this.ceiling ??= storeCeiling(this.opts.mode === 'quick' ? 300 : 1000);
    return this.ceiling;
  }

  /** Starts the bare Fastify baseline, samples its idle RSS, loads it like Beckon, stops it. */
  acceptBaseline(): Promise<AcceptBaseline> {
    this.accept ??= (async () => {
      const server = await startBaseline();
      try {
        await sleep(1000);
        const idleRssBytes = rssBytes(server.child.pid);
        const common = { connections: this.opts.connections, maxRequests: this.opts.maxRequests };
        await acceptLoad(server.base, server.child.pid, { ...common, seconds: warmupSeconds(this.opts) });
        const load = await acceptLoad(server.base, server.child.pid, { ...common, seconds: this.opts.duration });
        return { startupMs: server.startupMs, idleRssBytes, load };
      } finally {
        await server.stop();
      }
    })();
    return this.accept;
  }
}

/**
 * Posts `count` copies of a captured webhook request (same body, same headers) to the receiver's `ports`,
 * round-robin, `concurrency` in flight, until done or `seconds` pass.
 */
export async function rawPosts(ports: number[], sample: { body: string; headers: Record<string, string> }, count: number, concurrency: number, seconds: number): Promise<RawPostBaseline> {
  const pools = ports.map((port) => new Pool(`http://127.0.0.1:${port}`, { connections: Math.ceil(concurrency / ports.length) }));
  const latencies: number[] = [];
  const started = clock();
  try {
    const result = await runBounded(count, concurrency, performance.now() + seconds * 1000, async (i) => {
      const t0 = clock();
      const res = await pools[i % pools.length].request({ method: 'POST', path: '/hook', headers: sample.headers, body: sample.body });
      await res.body.dump();
      if (res.statusCode >= 300) throw new Error(`receiver answered ${res.statusCode}`);
      latencies.push(clock() - t0);
    });
    const elapsed = (clock() - started) / 1000;
    return { posts: result.done, failed: result.failed, seconds: elapsed, rate: result.done / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}
