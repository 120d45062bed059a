import autocannon, { type AutocannonResult } from 'autocannon';
import { cpuSeconds, sampleRss } from './procs.ts';

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes on one machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** The p-th percentile (0..100) of `values` (nearest rank), or null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The accept request's body: a text to a varying valid Italian mobile number (+39 333 <prefix>xx xxxx). */
export function sendBody(i: number, prefix = 1): string {
  const to = `+39 333 ${prefix}${String(i % 1_000_000).padStart(6, '0')}`;
  return JSON.stringify({ to, from: 'whatsapp', type: 'text', content: { text: 'Hello!' } });
}

/** What one autocannon load run measured, plus the server's peak RSS and CPU during it. */
export interface LoadResult {
  rps: number;
  ok: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Latencies in ms; null when no answer came back at all. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** Requests sent but not answered when the run stopped. */
  unanswered: number;
  seconds: number;
  peakRssBytes: number | null;
  serverCpuSeconds: number | null;
}

/**
 * Drives `POST /v1/messages/send` on `base` with autocannon from this process: `connections` connections for
 * `seconds`, at most `maxRequests` requests, each with a different `to`. Samples `pid`'s RSS meanwhile.
 */
export async function acceptLoad(base: string, pid: number, opts: { connections: number; seconds: number; maxRequests: number; key?: string; prefix?: number }): Promise<LoadResult> {
  let i = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const rss = sampleRss(pid);
  const cpuBefore = cpuSeconds(pid);
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    autocannon({
      url: base,
      connections: opts.connections,
      duration: opts.seconds,
      maxOverallRequests: opts.maxRequests,
      timeout: 10,
      requests: [{
        method: 'POST', path: '/v1/messages/send', headers,
        setupRequest: (req) => ({ ...req, body: sendBody(i++, opts.prefix) }),
      }],
    }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const cpuAfter = cpuSeconds(pid);
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats)) statusCodes[code] = s.count;
  const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const lat = (v: number) => (answered > 0 ? v : null);
  return {
    rps: result['2xx'] / result.duration,
    ok: result['2xx'],
    total: answered + result.errors,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    p50: lat(result.latency.p50),
    p90: lat(result.latency.p90),
    p99: lat(result.latency.p99),
    max: lat(result.latency.max),
    unanswered: Math.max(0, (result.requests.sent ?? 0) - answered - result.errors),
    seconds: result.duration,
    peakRssBytes: rss.stop(),
    serverCpuSeconds: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
  };
}

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` in flight, stopping early at `deadline`
 * (performance.now()) or when `abort()` turns true. Returns how many ran and the errors met (up to 5 kept).
 */
export async function runBounded(count: number, concurrency: number, deadline: number, task: (i: number) => Promise<void>, abort: () => boolean = () => false): Promise<{ done: number; failed: number; errors: string[] }> {
  let next = 0;
  let done = 0;
  let failed = 0;
  const errors: string[] = [];
  const lane = async () => {
    while (next < count && performance.now() < deadline && !abort()) {
      const i = next++;
      try {
        await task(i);
        done++;
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { done, failed, errors };
}

/** Polls `check` every `everyMs` until it returns true or `deadline` (performance.now()) passes; returns whether it did. */
export async function until(check: () => Promise<boolean>, deadline: number, everyMs = 200): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One sample of a timeline: seconds since it started, and the sampled values. */
export type TimelinePoint = { t: number } & Record<string, number | null>;

/**
 * Samples `sample()` every `everyMs` until stopped, so a report can show how a rate evolved over a long run
 * (e.g. deliveries slowing down as the queue grows). `onSample` sees each point (for progress lines).
 */
export function timeline(everyMs: number, sample: () => Promise<Record<string, number | null>>, onSample?: (p: TimelinePoint) => void): { stop(): Promise<TimelinePoint[]> } {
  const points: TimelinePoint[] = [];
  const started = performance.now();
  let busy: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(async () => {
      const point = { t: Math.round((performance.now() - started) / 100) / 10, ...(await sample()) } as TimelinePoint;
      points.push(point);
      onSample?.(point);
    }).catch(() => undefined);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      return points;
    },
  };
}

/** What an open-loop run has done so far. */
export interface RateProgress {
  /** Tasks started (on schedule, or late when this process's timers lagged). */
  sent: number;
  /** Tasks whose time came while `maxInFlight` were in flight: never started. */
  missed: number;
  /** Started tasks that settled, and those of them that threw. */
  settled: number;
  failed: number;
}

/** The outcome of runAtRate: its progress at the end, the errors met (up to 5 kept) and how late this process started the tasks. */
export interface RateResult extends RateProgress {
  errors: string[];
  /** ms from a task's scheduled time to its start (the load generator's own lag), p50/p99/max; null when none started. */
  lag: { p50: number | null; p99: number | null; max: number | null };
  /** Missed tasks by the second of the schedule they were due in (index 0: the first second). */
  missedBySecond: number[];
  /** performance.now() of the schedule's start (task i is due at startedAt + i × 1000 / rate) and of the last task started. */
  startedAt: number;
  lastSentAt: number | null;
}

/**
 * Open loop: starts `task(i)` for i in [0, count) at `rate` per second, evenly spaced (task i is due at start + i/rate),
 * whatever the earlier ones answered; when this process's timers lag it starts every task already due at once. A task
 * due while `maxInFlight` are in flight is not started and counted as missed; so is every task left when `abort()`
 * turns true. `done` resolves once every started task has settled.
 */
export function runAtRate(count: number, rate: number, maxInFlight: number, task: (i: number) => Promise<void>, abort: () => boolean = () => false): { progress(): RateProgress; done: Promise<RateResult> } {
  const p: RateProgress = { sent: 0, missed: 0, settled: 0, failed: 0 };
  const errors: string[] = [];
  const lags: number[] = [];
  const missedBySecond: number[] = [];
  const interval = 1000 / rate;
  const startedAt = performance.now();
  let lastSentAt: number | null = null;
  let next = 0;
  let inFlight = 0;
  let finish: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const settle = () => {
    if (next >= count && inFlight === 0) finish();
  };
  const miss = (i: number) => {
    p.missed++;
    const second = Math.floor((i * interval) / 1000);
    missedBySecond[second] = (missedBySecond[second] ?? 0) + 1;
  };
  const tick = () => {
    const now = performance.now();
    while (next < count && startedAt + next * interval <= now) {
      const i = next++;
      if (abort() || inFlight >= maxInFlight) {
        miss(i);
        continue;
      }
      lags.push(now - (startedAt + i * interval));
      lastSentAt = now;
      p.sent++;
      inFlight++;
      task(i).catch((err: Error) => {
        p.failed++;
        if (errors.length < 5) errors.push(err.message);
      }).finally(() => {
        p.settled++;
        inFlight--;
        settle();
      });
    }
    if (next < count && abort()) {
      while (next < count) miss(next++);
    }
    if (next < count) setTimeout(tick, Math.max(0, startedAt + next * interval - performance.now()));
    else settle();
  };
  tick();
  return {
    progress: () => ({ ...p }),
    done: finished.then(() => ({ ...p, errors, lag: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: percentile(lags, 100) }, missedBySecond: Array.from(missedBySecond, (n) => n ?? 0), startedAt, lastSentAt })),
  };
}
