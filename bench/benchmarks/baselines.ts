import { Pool } from 'undici';
import { apiCaller, startBaseline } from '../lib/beckon.ts';
import { acceptLoad, clock, percentile, runBounded, sendBody, until, type LoadResult } from '../lib/load.ts';
import type { BenchOptions } from '../lib/options.ts';
import { cpuSeconds, machineCpuSeconds, rssBytes } from '../lib/procs.ts';
import type { Receiver } from '../lib/receiver-client.ts';
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

/** The pipeline's HTTP work with nothing of Beckon's: what this machine reaches at most for accept → three webhooks. */
export interface BarePipelineBaseline {
  messages: number;
  delivered: number;
  seconds: number;
  rate: number;
  webhooks: number;
  /** The bare server's own CPU per message (accept, three signed posts). */
  cpuMsPerMessage: number | null;
  /** The whole machine's CPU per message: the server, the load generator and the receiver together. */
  machineCpuMsPerMessage: number | null;
}

/**
 * Sends `count` messages to the bare Fastify baseline started with `--hooks` (it posts sent, delivered and read for
 * each to the receiver's tracked endpoint `port`) the way the pipeline sends to Beckon, and times first send → last
 * `delivered` arrival. The receiver is reset first and after.
 */
export async function barePipeline(receiver: Receiver, port: number, count: number, concurrency: number, seconds: number): Promise<BarePipelineBaseline> {
  await receiver.reset();
  const server = await startBaseline(`http://127.0.0.1:${port}/hook`);
  const api = new Pool(server.base, { connections: concurrency });
  try {
    const call = apiCaller(api, 'baseline');
    const deadline = performance.now() + seconds * 1000;
    const cpu0 = cpuSeconds(server.child.pid);
    const machine0 = machineCpuSeconds();
    const started = clock();
    const sent = await runBounded(count, concurrency, deadline, async (i) => {
      const res = await call('POST', '/v1/messages/send', JSON.parse(sendBody(i, 3)));
      if (res.status >= 300) throw new Error(`baseline send answered ${res.status}`);
    });
    let stats = await receiver.stats();
    await until(async () => (stats = await receiver.stats()).deliveredCount >= sent.done, deadline, 50);
    // timed to the last `delivered` arrival, as the pipeline times Beckon (deliveryLatencies' lastArrival)
    const arrivals = (await receiver.stats(true)).arrivals ?? [];
    const last = arrivals.length > 0 ? arrivals.reduce((latest, [, at]) => Math.max(latest, at), 0) : null;
    const cpu1 = cpuSeconds(server.child.pid);
    const machine1 = machineCpuSeconds();
    const elapsed = last !== null ? (last - started) / 1000 : (clock() - started) / 1000;
    return {
      messages: sent.done, delivered: stats.deliveredCount, seconds: elapsed, rate: stats.deliveredCount / elapsed,
      webhooks: stats.endpoints[0].requests,
      cpuMsPerMessage: cpu0 !== null && cpu1 !== null && sent.done > 0 ? ((cpu1 - cpu0) * 1000) / sent.done : null,
      machineCpuMsPerMessage: machine0 !== null && machine1 !== null && sent.done > 0 ? ((machine1 - machine0) * 1000) / sent.done : null,
    };
  } finally {
    await api.close();
    await server.stop();
    await receiver.reset();
  }
}
