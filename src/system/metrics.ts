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

/** Creates a fresh registry (one per app, so tests never share counters). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'beckon_' });
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
