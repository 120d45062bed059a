import { join } from 'node:path';
import type { BenchName, BenchOptions } from '../lib/options.ts';
import type { BenchResult } from '../lib/report.ts';
import type { Baselines } from './baselines.ts';
import { startBeckon, type BeckonOptions, type BeckonServer } from '../lib/beckon.ts';

/** What every benchmark receives: the run's options, the shared baselines, and where to put profiles. */
export interface BenchContext {
  opts: BenchOptions;
  baselines: Baselines;
  /** Where a benchmark's Beckon writes its CPU profile, or undefined when not profiling. */
  profileDir(name: string): string | undefined;
  /** Progress lines for the person watching the run. */
  log(line: string): void;
  /** Starts the Beckon a benchmark measures: embedded SQLite by default; `--store postgres` swaps in a PostgreSQL deployment. */
  startBeckon(options?: BeckonOptions): Promise<BeckonServer>;
  /** The results of the benchmarks that ran before this one in the same run (for same-run baselines). */
  earlier: Partial<Record<BenchName, BenchResult>>;
}

/** Builds the context of one run. */
export function createContext(opts: BenchOptions, baselines: Baselines): BenchContext {
  return {
    opts,
    baselines,
    profileDir: (name) => (opts.profile ? join(opts.out, 'profiles', name) : undefined),
    log: (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
    startBeckon,
    earlier: {},
  };
}

/** Bytes → MB (MiB), or null. */
export const mb = (bytes: number | null | undefined): number | null => (bytes == null ? null : bytes / 2 ** 20);
