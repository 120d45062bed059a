import { routeMissing, startBeckon, type BeckonServer } from '../lib/beckon.ts';
import { clock, runBounded, sendBody, timeline, until, type TimelinePoint } from '../lib/load.ts';
import { freePort, rssBytes, sampleRss } from '../lib/procs.ts';
import { startReceiver, type EndpointSpec, type ReceiverStats } from '../lib/receiver-client.ts';
import { figure, skipped, type BenchResult } from '../lib/report.ts';
import { rawBudget, rawPosts } from './baselines.ts';
import { mb, type BenchContext } from './context.ts';

/** How events are generated: one contact created per event, or one message (several status events each). */
type Source = { kind: 'contacts'; event: 'contact_created' } | { kind: 'messages'; event: 'message_status_updated' };

/** What one isolation run measured on the healthy endpoints. */
interface RunOutcome {
  event: string;
  healthy: number;
  expected: number;
  complete: boolean;
  seconds: number;
  rate: number;
  /** Healthy deliveries/s after the last event was created (delivery alone, no API traffic), or null. */
  drainRate: number | null;
  peakRssBytes: number | null;
  slowRequests: number;
  generated: number;
  generateSeconds: number;
  generateFailed: number;
  /** Healthy deliveries and Beckon's RSS over time. */
  timeline: TimelinePoint[];
  generateErrors: string[];
  stats: ReceiverStats;
  /** Raw undici posting to the same healthy endpoints (measured after the clean run only). */
  raw: Awaited<ReturnType<typeof rawPosts>> | null;
}

function contactBody(i: number): unknown {
  return { phone: `+39 333 4${String(i % 1_000_000).padStart(6, '0')}`, name: `Bench ${i}` };
}

async function pickSource(beckon: BeckonServer): Promise<Source | null> {
  if (!(await routeMissing(beckon, 'POST', '/v1/contacts'))) return { kind: 'contacts', event: 'contact_created' };
  if (!(await routeMissing(beckon, 'POST', '/v1/messages/send'))) return { kind: 'messages', event: 'message_status_updated' };
  return null;
}

/** One run on a fresh Beckon and receiver: `healthy` ok endpoints plus, when `faulty`, a slow and a refusing one. */
async function runOnce(ctx: BenchContext, faulty: boolean): Promise<RunOutcome | BenchResult> {
  const { opts } = ctx;
  const healthyCount = opts.endpoints - 2;
  const specs: EndpointSpec[] = [];
  for (let i = 0; i < healthyCount; i++) specs.push({ name: `ok${i}`, port: await freePort(), mode: 'ok' });
  if (faulty) specs.push({ name: 'slow', port: await freePort(), mode: 'slow', delayMs: opts.slowMs });
  const refusedPort = await freePort();
  const receiver = await startReceiver(specs);
  const beckon = await startBeckon({ profileDir: ctx.profileDir(faulty ? 'isolation-faulty' : 'isolation-clean') });
  try {
    if (await routeMissing(beckon, 'POST', '/v1/webhooks')) return skipped('route missing: POST /v1/webhooks');
    const source = await pickSource(beckon);
    if (!source) return skipped('route missing: POST /v1/contacts and POST /v1/messages/send (nothing emits events)');
    const urls = specs.map((s) => `http://127.0.0.1:${s.port}/hook`);
    if (faulty) urls.push(`http://127.0.0.1:${refusedPort}/hook`);
    for (const url of urls) {
      const res = await beckon.call('POST', '/v1/webhooks', { url, events: [source.event] });
      if (res.status >= 300) return { status: 'failed', reason: `POST /v1/webhooks answered ${res.status}: ${JSON.stringify(res.body)}`, figures: [], details: {} };
    }
    ctx.log(`isolation (${faulty ? 'with a slow and a refusing endpoint' : 'healthy endpoints only'}): ${opts.events} ${source.event} events to ${urls.length} endpoints`);
    const deadline = performance.now() + opts.phaseTimeout * 1000;
    const healthyNames = new Set(specs.filter((s) => s.mode === 'ok').map((s) => s.name));
    const healthyOf = (s: ReceiverStats) => s.endpoints.filter((e) => healthyNames.has(e.name)).reduce((n, e) => n + e.requests, 0);
    const every = opts.mode === 'quick' ? 1000 : 5000;
    const progress = timeline(every, async () => ({ healthy: healthyOf(await receiver.stats()), rss_mb: mb(rssBytes(beckon.child.pid)) }),
      (p) => p.t % 60 < every / 1000 && opts.mode === 'full' && ctx.log(`isolation: ${p.healthy} healthy deliveries after ${p.t} s`));
    const rss = sampleRss(beckon.child.pid, 250);
    const started = clock();
    const generated = await runBounded(opts.events, opts.concurrency, deadline, async (i) => {
      const res = source.kind === 'contacts'
        ? await beckon.call('POST', '/v1/contacts', contactBody(i))
        : await beckon.call('POST', '/v1/messages/send', JSON.parse(sendBody(i, 5)));
      if (res.status >= 300) throw new Error(`${source.kind} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }, beckon.dead);
    beckon.assertAlive();
    const generateSeconds = (clock() - started) / 1000;
    let stats = await receiver.stats();
    const generatedAt = clock();
    const healthyAtGenerated = healthyOf(stats);
    let expected = generated.done * healthyNames.size;
    let complete: boolean;
    if (source.kind === 'contacts') {
      complete = await until(async () => {
        beckon.assertAlive();
        return healthyOf((stats = await receiver.stats())) >= expected;
      }, deadline);
    } else {
      // A message emits several status events; wait until the healthy endpoints go quiet.
      let previous = -1;
      complete = await until(async () => {
        beckon.assertAlive();
        const n = healthyOf((stats = await receiver.stats()));
        const quiet = n === previous && n > 0;
        previous = n;
        return quiet;
      }, deadline, 1000);
      expected = healthyOf(stats);
    }
    const last = Math.max(...stats.endpoints.filter((e) => healthyNames.has(e.name)).map((e) => e.last ?? started));
    const seconds = (last - started) / 1000;
    const healthy = healthyOf(stats);
    const points = await progress.stop();
    const peakRssBytes = rss.stop();
    const drainSeconds = (last - generatedAt) / 1000;
    // Only meaningful when a good share of the deliveries happened after the last event was created.
    const drained = healthy - healthyAtGenerated;
    const drainRate = drainSeconds > 0.5 && drained >= Math.max(100, expected / 10) ? drained / drainSeconds : null;
    await beckon.stop();
    let raw = null;
    if (!faulty && stats.sample) {
      ctx.log('isolation: raw undici baseline to the same endpoints');
      raw = await rawPosts(specs.map((s) => s.port), stats.sample, rawBudget(opts).count, opts.concurrency, rawBudget(opts).seconds);
    }
    return {
      event: source.event, healthy, expected, complete, seconds, rate: healthy / seconds, drainRate, peakRssBytes,
      slowRequests: stats.endpoints.find((e) => e.name === 'slow')?.requests ?? 0,
      generated: generated.done, generateSeconds, timeline: points, generateFailed: generated.failed, generateErrors: generated.errors, stats, raw,
    };
  } finally {
    await beckon.stop();
    await receiver.stop();
  }
}

/**
 * Webhook isolation: E events to 10 endpoints of which one answers after 5 s and one refuses connections,
 * against the same run with only the 8 healthy endpoints. Deliveries/s to the healthy ones must stay >= 0.8
 * of the clean run. Raw speed baseline: undici posting the same bodies straight to the receiver.
 */
export async function isolation(ctx: BenchContext): Promise<BenchResult> {
  const clean = await runOnce(ctx, false);
  if ('status' in clean) return clean;
  const faulty = await runOnce(ctx, true);
  if ('status' in faulty) return faulty;
  const failed = clean.generateFailed > 0 || faulty.generateFailed > 0;
  const complete = clean.complete && faulty.complete && clean.generated === ctx.opts.events && faulty.generated === ctx.opts.events;
  const healthyCount = ctx.opts.endpoints - 2;
  const reason = complete && !failed ? undefined : [clean, faulty].map((r, i) => `${i ? 'faulty' : 'clean'} run: ${r.generated} of ${ctx.opts.events} events created, ${r.healthy} of ${r.expected} healthy deliveries within the ${ctx.opts.phaseTimeout} s cap, ${r.generateFailed} event requests failed${r.generateErrors.length ? ` (${r.generateErrors.join('; ')})` : ''}`).join('; ');
  return {
    status: failed ? 'failed' : complete ? 'ok' : 'incomplete',
    ...(reason ? { reason } : {}),
    figures: [
      figure('isolation_faulty_rps', `deliveries/s to ${healthyCount} healthy endpoints, with a slow and a dead one`, 'deliveries/s', faulty.rate,
        { label: `same run with the ${healthyCount} healthy only`, value: clean.rate }, [{ on: 'ratio', op: '>=', value: 0.8 }]),
      figure('isolation_faulty_drain_rps', 'the same, once every event is created (delivery alone)', 'deliveries/s', faulty.drainRate,
        { label: `same phase with the ${healthyCount} healthy only`, value: clean.drainRate }, [{ on: 'ratio', op: '>=', value: 0.8 }]),
      figure('isolation_clean_rps', `deliveries/s to ${healthyCount} healthy endpoints only`, 'deliveries/s', clean.rate,
        { label: 'undici → receiver, same bodies', value: clean.raw?.rate ?? null }),
      figure('isolation_peak_rss_mb', 'peak RSS, run with the slow and dead endpoints', 'MB', mb(faulty.peakRssBytes),
        { label: `run with the ${healthyCount} healthy only`, value: mb(clean.peakRssBytes) }),
    ],
    details: {
      events: ctx.opts.events, endpoints: ctx.opts.endpoints, slow_ms: ctx.opts.slowMs, event_type: clean.event,
      clean: { ...clean, stats: undefined }, faulty: { ...faulty, stats: undefined, raw: undefined },
      notes: [
        `Each event goes to every subscribed endpoint: ${ctx.opts.events} events × ${healthyCount} healthy endpoints = ${ctx.opts.events * healthyCount} deliveries measured per run.`,
        `Creating the events took ${clean.generateSeconds.toFixed(1)} s (clean run) and ${faulty.generateSeconds.toFixed(1)} s (faulty run); healthy deliveries over time are in latest.json (details.*.timeline).`,
        `Rate = healthy deliveries / (last healthy arrival − first event request); the slow endpoint answered ${faulty.slowRequests} requests during the faulty run.`,
      ],
    },
  };
}
