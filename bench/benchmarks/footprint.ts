import { startBeckon } from '../lib/beckon.ts';
import { rssBytes } from '../lib/procs.ts';
import { figure, type BenchResult, type Figure } from '../lib/report.ts';
import { sleep } from './baselines.ts';
import { mb, type BenchContext } from './context.ts';

/** Idle time before the idle RSS is read, so start-up garbage has had a chance to go. */
const IDLE_MS = 2000;

/**
 * Footprint: spawn → first 200 of /readyz on a fresh store (cold: migrations and bootstrap included) and on the
 * same store again (warm); idle RSS. The baseline is the bare Fastify process measured the same way.
 * RSS under the accept load is added by the accept benchmark (see withLoadRss).
 * Beckon is started and stopped once before it is measured: the first start after a code change fills Node's compile
 * cache (and loads its TypeScript stripper, ~15-25 MB), which no later start of the same code pays.
 */
export async function footprint(ctx: BenchContext): Promise<BenchResult> {
  const base = await ctx.baselines.acceptBaseline();
  ctx.log('footprint: one unmeasured start of Beckon, to fill the compile cache');
  const primer = await startBeckon();
  await primer.stop();
  ctx.log('footprint: cold start of Beckon on a fresh store');
  const cold = await startBeckon();
  let idleRss: number | null;
  const dataDir = cold.dataDir;
  try {
    await sleep(IDLE_MS);
    idleRss = rssBytes(cold.child.pid);
  } finally {
    await cold.stop();
  }
  ctx.log('footprint: warm start on the same store');
  const warm = await startBeckon({ dataDir });
  await warm.stop();
  const startBase = { label: 'bare Fastify process', value: base.startupMs };
  const figures: Figure[] = [
    figure('startup_cold_ms', 'startup to ready, fresh store', 'ms', cold.startupMs, startBase, [{ on: 'value', op: '<', value: 1000 }]),
    figure('startup_warm_ms', 'startup to ready, existing store', 'ms', warm.startupMs, startBase, [{ on: 'value', op: '<', value: 1000 }]),
    figure('idle_rss_mb', 'idle RSS', 'MB', mb(idleRss), { label: 'bare Fastify, idle', value: mb(base.idleRssBytes) }, [{ on: 'value', op: '<', value: 150 }]),
  ];
  return {
    status: 'ok',
    figures,
    details: {
      readiness_probe: cold.probe,
      idle_ms_before_rss: IDLE_MS,
      notes: [
        `Startup is measured from spawn to the first 200 of ${cold.probe}, polled every 5 ms; the baseline is a bare Fastify process polled the same way on /healthz.`,
        'RSS is VmRSS from /proc/<pid>/status of the server process.',
        'Beckon is started once, unmeasured, before these figures: they are those of a start with a warm compile cache (the first start after a code change costs more; see docs/benchmarks.md).',
      ],
    },
  };
}

/** Adds the "RSS under the accept load" figure to the footprint result, from the accept benchmark's sampling. */
export function withLoadRss(result: BenchResult, beckonPeak: number | null, baselinePeak: number | null): BenchResult {
  const f = figure('load_rss_mb', 'peak RSS under the accept load', 'MB', mb(beckonPeak), { label: 'bare Fastify under the same load', value: mb(baselinePeak) }, [{ on: 'value', op: '<', value: 400 }]);
  return { ...result, figures: [...result.figures, f] };
}
