import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** Every benchmark, in the order a run executes them. */
export const BENCHMARKS = ['footprint', 'accept', 'pipeline', 'pipeline-rate', 'isolation', 'segment_count', 'import', 'campaign'] as const;

/** Benchmarks that run only when named in --only (their seeding is long; a run without --only, like the test suite's quick one, leaves them out). */
export const OPT_IN_BENCHMARKS = ['inbox', 'automations'] as const;

/** One of BENCHMARKS or OPT_IN_BENCHMARKS. */
export type BenchName = (typeof BENCHMARKS)[number] | (typeof OPT_IN_BENCHMARKS)[number];

const ALL: readonly BenchName[] = [...BENCHMARKS, ...OPT_IN_BENCHMARKS];

/** The parameters of a run; all are recorded in latest.json. */
export interface BenchOptions {
  mode: 'full' | 'quick';
  only: BenchName[];
  /** Accept: seconds per load run and its request cap, connections. */
  duration: number;
  maxRequests: number;
  connections: number;
  /** Pipeline: messages sent from accept to delivered. */
  messages: number;
  /** Pipeline at a fixed rate: the offered rate (msg/s) and for how many seconds it is offered. */
  rate: number;
  rateDuration: number;
  /** Isolation: events generated per run, endpoints, the slow endpoint's delay. */
  events: number;
  endpoints: number;
  slowMs: number;
  /** Concurrency of the bench's own senders (pipeline messages, isolation events, raw webhook baseline). */
  concurrency: number;
  /** Cap in seconds on each waiting phase (delivery of the pipeline, of the isolation runs). */
  phaseTimeout: number;
  /** Import: rows of the generated CSV. */
  rows: number;
  /** Automations: runs started (and parked). */
  runs: number;
  profile: boolean;
  out: string;
  /** Where accept and pipeline run besides the embedded store: `postgres` also on PostgreSQL with 1 and 2 worker
   *  processes; `auto` (a full run without --store) does so when a PostgreSQL server answers; `sqlite` (--store sqlite,
   *  and a quick run without --store) never does. */
  store: 'auto' | 'sqlite' | 'postgres';
}

/** The usage text of `npm run bench -- --help`. */
export const USAGE = `Usage: npm run bench -- [--quick] [--only ${[...BENCHMARKS, ...OPT_IN_BENCHMARKS].join(',')}] [--duration S] [--messages N]
                       [--rate N] [--rate-duration S] [--events N] [--connections N] [--concurrency N] [--timeout S] [--runs N]
                       [--profile] [--out DIR] [--store sqlite|postgres]
  --quick        everything small (the test suite runs this)
  --only         run only these benchmarks (comma-separated); inbox and automations run only when named here
  --duration     seconds of each accept load run (full 10, quick 2)
  --messages     pipeline messages and campaign recipients (full 100000, quick 2000 and 1000)
  --rate         pipeline-rate: the offered rate, msg/s, sends spaced evenly whatever the answers (full 1000, quick 100)
  --rate-duration  pipeline-rate: seconds the rate is offered (full 30, quick 3)
  --events       isolation events per run (full 100000, quick 200); each goes to every endpoint
  --connections  accept connections (64)
  --concurrency  in-flight requests of the bench's own senders (64); pipeline-rate counts a send due while this many
                 are in flight as missed
  --rows         rows of the import benchmark's CSV (full 1000000, quick 5000)
  --runs         automations: runs started, then parked (full 100000, quick 1000)
  --timeout      cap in seconds on each waiting phase (full 600, quick 20)
  --profile      run Beckon with --cpu-prof; profiles and a top-functions summary go to OUT/profiles
  --out          where latest.json and latest.md go (bench/results)
  --store        where accept and pipeline also run: on PostgreSQL (one api process with 1, then 2 worker
                 processes, a fresh database each; BECKON_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
                 next to the SQLite figures, with the scaling ratio. A full run does so by default when that server
                 answers and accept or pipeline is selected (the report says why when it does not); --store sqlite
                 skips it; --quick leaves it out unless --store postgres is given`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Parses the command line; throws with a readable message on a bad flag. Returns null for --help. */
export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' }, only: { type: 'string' }, duration: { type: 'string' }, messages: { type: 'string' },
      'rate': { type: 'string' }, 'rate-duration': { type: 'string' }, events: { type: 'string' }, connections: { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' },
      rows: { type: 'string' }, runs: { type: 'string' }, profile: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, store: { type: 'string' },
    },
  });
  if (values.help) return null;
  const quick = values.quick === true;
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [...BENCHMARKS];
  for (const name of only) {
    if (!(ALL as readonly string[]).includes(name)) throw new Error(`unknown benchmark "${name}"; choose from ${ALL.join(', ')}`);
  }
  const duration = positiveInt('duration', values.duration, quick ? 2 : 10);
  if (values.store !== undefined && values.store !== 'sqlite' && values.store !== 'postgres') throw new Error(`--store must be sqlite or postgres, got "${values.store}"`);
  const store = values.store ?? (quick ? 'sqlite' : 'auto');
  return {
    mode: quick ? 'quick' : 'full',
    only: ALL.filter((b) => only.includes(b)),
    duration,
    maxRequests: duration * 50_000,
    connections: positiveInt('connections', values.connections, 64),
    messages: positiveInt('messages', values.messages, quick ? 2_000 : 100_000),
    rate: positiveInt('rate', values.rate, quick ? 100 : 1_000),
    rateDuration: positiveInt('rate-duration', values['rate-duration'], quick ? 3 : 30),
    events: positiveInt('events', values.events, quick ? 200 : 100_000),
    endpoints: 10,
    slowMs: 5000,
    concurrency: positiveInt('concurrency', values.concurrency, 64),
    phaseTimeout: positiveInt('timeout', values.timeout, quick ? 20 : 600),
    rows: positiveInt('rows', values.rows, quick ? 5_000 : 1_000_000),
    runs: positiveInt('runs', values.runs, quick ? 1_000 : 100_000),
    profile: values.profile === true,
    out: resolve(values.out ?? fileURLToPath(new URL('../results/', import.meta.url))),
    store,
  };
}
