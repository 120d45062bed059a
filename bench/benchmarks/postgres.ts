import { startPgDeployment, pgUnreachable } from '../lib/pg-deployment.ts';
import { figure, skipped, type BenchResult, type Figure } from '../lib/report.ts';
import { accept } from './accept.ts';
import type { BenchContext } from './context.ts';
import { pipeline } from './pipeline.ts';

/** The worker process counts `--store postgres` measures, each next to the previous one (the scaling ratio). */
export const PG_WORKER_COUNTS = [1, 2] as const;

function valueOf(result: BenchResult | undefined, id: string): number | null {
  return result?.figures.find((f) => f.id === id)?.value ?? null;
}

/**
 * `--store postgres`: the accept and pipeline benchmarks again on PostgreSQL, as a scaled-out deployment runs (one
 * `--role api` process, then 1 and 2 `--role worker` processes, a fresh database for every run), each figure next to
 * the SQLite figure of the same run and the 2-worker figure next to the 1-worker one (its ratio is the scaling).
 */
export async function postgresScaling(ctx: BenchContext, sqlite: { accept?: BenchResult; pipeline?: BenchResult }): Promise<BenchResult> {
  const unreachable = await pgUnreachable();
  if (unreachable) return skipped(unreachable);
  const which = ctx.opts.only.filter((name) => name === 'accept' || name === 'pipeline');
  const names = which.length ? which : (['accept', 'pipeline'] as const);
  const runs: Record<string, BenchResult> = {};
  for (const workers of PG_WORKER_COUNTS) {
    const pgCtx: BenchContext = { ...ctx, startBeckon: (options) => startPgDeployment(workers, options) };
    for (const name of names) {
      ctx.log(`postgres: ${name}, 1 api + ${workers} worker process${workers > 1 ? 'es' : ''}`);
      try {
        runs[`${name}_${workers}w`] = await (name === 'accept' ? accept : pipeline)(pgCtx);
      } catch (err) {
        runs[`${name}_${workers}w`] = { status: 'failed', reason: (err as Error).stack ?? String(err), figures: [], details: {} };
      }
      const r = runs[`${name}_${workers}w`];
      ctx.log(`postgres: ${name} with ${workers} worker(s): ${r.status}${r.reason ? ` (${r.reason.split('\n')[0]})` : ''}`);
    }
  }
  const figures: Figure[] = [];
  const rows: [string, string, string, string][] = [
    ['accept', 'accept_rps', 'accepted messages/s (2xx)', 'msg/s'],
    ['accept', 'accept_p99_ms', 'accept latency p99', 'ms'],
    ['pipeline', 'pipeline_e2e_rps', 'pipeline, accept → delivered', 'msg/s'],
    ['pipeline', 'pipeline_webhooks_rps', 'pipeline webhook deliveries/s', 'deliveries/s'],
  ];
  for (const [name, id, label, unit] of rows) {
    if (!(names as readonly string[]).includes(name)) continue;
    const sqliteValue = valueOf(sqlite[name as 'accept' | 'pipeline'], id);
    let previous: { workers: number; value: number | null } | null = null;
    for (const workers of PG_WORKER_COUNTS) {
      const value = valueOf(runs[`${name}_${workers}w`], id);
      figures.push(figure(`pg_${id}_${workers}w`, `${label}, PostgreSQL, 1 api + ${workers} worker${workers > 1 ? 's' : ''}`, unit, value,
        previous ? { label: `PostgreSQL, 1 api + ${previous.workers} worker (scaling)`, value: previous.value } : { label: 'SQLite, one process, same run', value: sqliteValue }));
      previous = { workers, value };
    }
  }
  const failed = Object.entries(runs).filter(([, r]) => r.status !== 'ok');
  return {
    status: failed.some(([, r]) => r.status === 'failed') ? 'failed' : failed.length ? 'incomplete' : 'ok',
    ...(failed.length ? { reason: failed.map(([n, r]) => `${n}: ${r.status}${r.reason ? ` (${r.reason.split('\n')[0]})` : ''}`).join('; ') } : {}),
    figures,
    details: {
      runs,
      notes: [
        'Each PostgreSQL run starts one `beckon start --role api` process (the load goes to it) and 1 or 2 `--role worker` processes on a fresh database on the same machine as the PostgreSQL server and the load generator (2 cores shared by all).',
        'The 1-worker row is next to the SQLite figure of the same run (one process doing both); the 2-worker row is next to the 1-worker row, so its ratio is the scaling from a second worker process.',
        'Accept CPU and RSS figures of the PostgreSQL runs are the api process alone.',
      ],
    },
  };
}
