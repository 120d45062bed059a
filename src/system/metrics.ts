import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus registry and every metric Beckon exports at /metrics. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  messagesByStatus: Counter<'status' | 'direction'>;
  webhookOutcomes: Counter<'outcome'>;
  queueDepth: Gauge;
  queueOldestAge: Gauge;
}

/** Creates a fresh registry (one per app, so tests never share counters); `processMetrics` false leaves out the process's (a job thread's registry). */
export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'beckon_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'beckon_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'beckon_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    messagesByStatus: new Counter({ name: 'beckon_messages_total', help: 'Messages that reached each status', labelNames: ['status', 'direction'], registers: [registry] }),
    webhookOutcomes: new Counter({ name: 'beckon_webhook_attempts_total', help: 'Webhook delivery attempts by outcome (success, failure, timeout, refused, disabled)', labelNames: ['outcome'], registers: [registry] }),
    queueDepth: new Gauge({ name: 'beckon_queue_depth', help: 'Runnable jobs waiting or running', registers: [registry] }),
    queueOldestAge: new Gauge({ name: 'beckon_queue_oldest_age_seconds', help: 'Age of the oldest runnable job', registers: [registry] }),
  };
}

/** One thread's use of the embedded store's write lock, in seconds since it started. */
export interface WriteLockUse {
  thread: string;
  waitedSeconds: number;
  heldSeconds: number;
}

/**
 * Exports how long each thread (api, jobs) has waited for the embedded store's write lock and held it, read from
 * `use` at each scrape: held seconds growing at close to 1 per second, summed over the threads, mean the store
 * commits as fast as it can (docs/benchmarks.md).
 */
export function registerWriteLockMetrics(metrics: Metrics, use: () => WriteLockUse[]): void {
  const counter = (name: string, help: string, value: (use: WriteLockUse) => number) => new Counter({
    name, help, labelNames: ['thread'], registers: [metrics.registry],
    collect() {
      this.reset();
      for (const thread of use()) this.inc({ thread: thread.thread }, value(thread));
    },
  });
  counter('beckon_sqlite_write_lock_waited_seconds_total', 'Time a thread waited for the other to release the SQLite write lock', (thread) => thread.waitedSeconds);
  counter('beckon_sqlite_write_lock_held_seconds_total', 'Time a thread held the SQLite write lock (its writes and commits)', (thread) => thread.heldSeconds);
}

/** With the job thread on: each thread's event-loop utilization over the last window of `windowMs` it published (jobs/thread-load.ts). */
export function registerThreadLoadMetrics(metrics: Metrics, windowMs: number, loads: () => { thread: string; utilization: number }[]): void {
  new Gauge({
    name: 'beckon_thread_utilization', help: `Share of the last ${windowMs} ms a thread's event loop ran code (0-1); the job thread deals its webhook calls by it`,
    labelNames: ['thread'], registers: [metrics.registry],
    collect() {
      for (const load of loads()) this.set({ thread: load.thread }, load.utilization);
    },
  });
}

/** The counters jobs increment: on the job thread each increment is relayed to the API thread's registry, which /metrics reads. */
export const JOB_COUNTERS = ['messagesByStatus', 'webhookOutcomes'] as const;

/** One relayed increment of a job counter. */
export interface CounterIncrement {
  counter: (typeof JOB_COUNTERS)[number];
  labels: Record<string, string>;
  value: number;
}

/**
 * Makes every increment of the job counters of `metrics` also reach `send`, summed per label set and sent once per
 * turn of the event loop (a burst of jobs costs one message); `flush` sends what is pending at once (shutdown).
 */
export function relayJobCounters(metrics: Metrics, send: (batch: CounterIncrement[]) => void): { flush(): void } {
  let pending = new Map<string, CounterIncrement>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    send(batch);
  };
  for (const name of JOB_COUNTERS) {
    const counter = metrics[name] as Counter<string>;
    const inc = counter.inc.bind(counter);
    counter.inc = ((labelsOrValue?: Record<string, string> | number, value?: number) => {
      const labels = typeof labelsOrValue === 'object' ? labelsOrValue : {};
      const by = typeof labelsOrValue === 'number' ? labelsOrValue : (value ?? 1);
      inc(labels, by);
      const key = `${name}\0${JSON.stringify(labels)}`;
      const seen = pending.get(key);
      if (seen) seen.value += by;
      else pending.set(key, { counter: name, labels: { ...labels }, value: by });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }) as Counter<string>['inc'];
  }
  return { flush };
}

/** Adds increments relayed from the job thread to this registry's counters. */
export function applyJobCounters(metrics: Metrics, batch: readonly CounterIncrement[]): void {
  for (const { counter, labels, value } of batch) if (JOB_COUNTERS.includes(counter)) (metrics[counter] as Counter<string>).inc(labels, value);
}
