import { routeMissing } from '../lib/beckon.ts';
import { acceptLoad, sendBody } from '../lib/load.ts';
import { figure, skipped, type BenchResult } from '../lib/report.ts';
import { warmupSeconds } from './baselines.ts';
import type { BenchContext } from './context.ts';

/**
 * Accept: `POST /v1/messages/send` answered 2xx (and committed) per second, 64 connections, against the bare
 * Fastify baseline answering the same request. The worker runs in the same process, so this is the accept
 * rate as the API sees it while the pipeline behind it is busy. Returns the peak RSS for the footprint.
 */
export async function accept(ctx: BenchContext): Promise<BenchResult> {
  const { opts } = ctx;
  const base = await ctx.baselines.acceptBaseline(); // measured before Beckon starts, so they never overlap
  const beckon = await ctx.startBeckon({ profileDir: ctx.profileDir('accept') });
  let result: BenchResult;
  try {
    if (await routeMissing(beckon, 'POST', '/v1/messages/send')) return skipped('route missing: POST /v1/messages/send');
    const probe = await beckon.call('POST', '/v1/messages/send', JSON.parse(sendBody(999_999, 9)));
    if (probe.status >= 300) {
      return { status: 'failed', reason: `POST /v1/messages/send answered ${probe.status}: ${JSON.stringify(probe.body)}`, figures: [], details: {} };
    }
    const store = ctx.baselines.store();
    const common = { connections: opts.connections, maxRequests: opts.maxRequests, key: beckon.key };
    ctx.log(`accept: Beckon, ${opts.connections} connections, ${warmupSeconds(opts)} s warm-up then ${opts.duration} s`);
    await acceptLoad(beckon.base, beckon.child.pid, { ...common, seconds: warmupSeconds(opts), prefix: 2 });
    const load = await acceptLoad(beckon.base, beckon.child.pid, { ...common, seconds: opts.duration, prefix: 1 });
    beckon.assertAlive();
    const b = base.load;
    const errors = load.errors + load.timeouts + load.non2xx;
    const baseErrors = b.errors + b.timeouts + b.non2xx;
    result = {
      status: 'ok',
      figures: [
        figure('accept_rps', 'accepted messages/s (2xx)', 'msg/s', load.rps, { label: 'bare Fastify req/s', value: b.rps },
          [{ on: 'value', op: '>=', value: 10_000 }, { on: 'ratio', op: '>=', value: 0.4 }]),
        figure('accept_vs_store', 'accepted messages/s against the store\'s durable commits/s', 'msg/s', load.rps,
          { label: 'SQLite single-row commits/s, WAL + synchronous=FULL, same disk', value: store.full }),
        figure('accept_p50_ms', 'latency p50', 'ms', load.p50, { label: 'bare Fastify p50', value: b.p50 }),
        figure('accept_p99_ms', 'latency p99', 'ms', load.p99, { label: 'bare Fastify p99', value: b.p99 }, [{ on: 'value', op: '<', value: 25 }]),
        figure('accept_errors', 'errors + timeouts + non-2xx', 'count', errors, { label: 'bare Fastify', value: baseErrors }, [{ on: 'value', op: '==', value: 0 }]),
      ],
      details: {
        beckon: load,
        baseline: b,
        store_ceiling: store,
        beckon_cpu_utilisation: load.serverCpuSeconds === null ? null : load.serverCpuSeconds / load.seconds,
        baseline_cpu_utilisation: b.serverCpuSeconds === null ? null : b.serverCpuSeconds / b.seconds,
        notes: [
          ...(load.unanswered ? [`${load.unanswered} requests were still unanswered when the run stopped (not counted as errors).`] : []),
          `${opts.connections} connections for ${opts.duration} s after ${warmupSeconds(opts)} s of warm-up, each request to a different number; only 2xx answers count as accepted.`,
          `The store alone does ${Math.round(store.full)} durable single-row commits/s on this disk (${Math.round(store.fullBatched100)} rows/s at 100 rows per commit, ${Math.round(store.normal)}/s without fsync): a ratio above 1 on that row means several requests share a commit.`,
          `Beckon used ${load.serverCpuSeconds?.toFixed(1) ?? '?'} CPU-seconds in ${load.seconds} s (1.0 per second = one core); the baseline ${b.serverCpuSeconds?.toFixed(1) ?? '?'}.`,
        ],
      },
    };
  } finally {
    await beckon.stop();
  }
  return result;
}
