import { Pool } from 'undici';
import { clock, percentile, runAtRate, timeline } from '../lib/load.ts';
import { deliveryLatencies, metricSamples, sendOne, startPipelineRig, waitDelivered } from '../lib/pipeline-rig.ts';
import { rssBytes, sampleRss } from '../lib/procs.ts';
import { figure, type BenchResult, type Figure } from '../lib/report.ts';
import { mb, type BenchContext } from './context.ts';

/** Seconds after the last send's answer within which every message must be delivered for the pipeline to keep up. */
export const KEEP_UP_SECONDS = 5;

/** The last tenth of the sends keeps up when its delivered p50 is at most this many times the first tenth's … */
export const GROWTH_FACTOR = 2;
/** … plus this many ms, so that a few ms of noise on tiny latencies is not read as a growing backlog. */
export const GROWTH_SLACK_MS = 100;

/** beckon_queue_depth (runnable jobs) and beckon_queue_oldest_age_seconds from /metrics, or nulls. */
async function queueMetrics(pool: Pool): Promise<{ depth: number | null; oldest: number | null }> {
  try {
    const res = await pool.request({ method: 'GET', path: '/metrics' });
    const text = await res.body.text();
    const read = (name: string) => metricSamples(text, name)[''] ?? null;
    return { depth: read('beckon_queue_depth'), oldest: read('beckon_queue_oldest_age_seconds') };
  } catch {
    return { depth: null, oldest: null };
  }
}

/** The p50 of each tenth of the sends (by send order) among the delivered ones, and how many of each were not delivered. */
function tenths(count: number, indexOf: Map<string, number>, latencies: Map<string, number>): Array<{ p50: number | null; undelivered: number }> {
  const groups = Array.from({ length: 10 }, () => ({ values: [] as number[], undelivered: 0 }));
  for (const [uuid, i] of indexOf) {
    const group = groups[Math.min(9, Math.floor((i * 10) / count))];
    const latency = latencies.get(uuid);
    if (latency === undefined) group.undelivered++;
    else group.values.push(latency);
  }
  return groups.map((g) => ({ p50: percentile(g.values, 50), undelivered: g.undelivered }));
}

/**
 * Pipeline at a fixed offered rate: the pipeline benchmark's setup (sandbox at zero delays, an endpoint subscribed to
 * message_status_updated), but `--rate` sends per second for `--rate-duration` s, spaced evenly and issued on
 * schedule whatever the earlier ones answered (open loop; a send due while `--concurrency` are in flight is counted
 * as missed). Measures accept → delivered webhook latency, whether the pipeline keeps up, the queue depth each second
 * (/metrics) and the peak RSS, next to the saturating pipeline of the same run.
 */
export async function pipelineRate(ctx: BenchContext): Promise<BenchResult> {
  const { opts } = ctx;
  const count = opts.rate * opts.rateDuration;
  const saturating = ctx.earlier.pipeline?.figures ?? [];
  const same = (id: string, label: string) => {
    const f = saturating.find((x) => x.id === id);
    return { label: f ? `${label}, same run` : `${label} (not in this run)`, value: f?.value ?? null };
  };
  const rig = await startPipelineRig('pipeline-rate', () => ctx.startBeckon({ profileDir: ctx.profileDir('pipeline-rate') }));
  if (!('beckon' in rig)) return rig;
  const { beckon, receiver } = rig;
  const sampler = new Pool(beckon.base, { connections: 1 });
  try {
    const accepted = new Map<string, number>();
    const indexOf = new Map<string, number>();
    ctx.log(`pipeline-rate: offering ${opts.rate} msg/s for ${opts.rateDuration} s (${count} messages, at most ${opts.concurrency} in flight)`);
    const rss = sampleRss(beckon.child.pid, 250);
    const samples = timeline(1000, async () => {
      const [queue, stats] = await Promise.all([queueMetrics(sampler), receiver.stats()]);
      return { accepted: accepted.size, delivered: stats.deliveredCount, queue_depth: queue.depth, queue_oldest_s: queue.oldest, rss_mb: mb(rssBytes(beckon.child.pid)) };
    }, (p) => opts.mode === 'full' && Math.round(p.t) % 5 === 0 && ctx.log(`pipeline-rate: ${p.accepted} accepted, ${p.delivered} delivered, queue ${p.queue_depth} after ${p.t} s`));
    const firstSend = clock();
    const run = runAtRate(count, opts.rate, opts.concurrency, async (i) => {
      const uuid = await sendOne(beckon, i);
      accepted.set(uuid, clock());
      indexOf.set(uuid, i);
    }, beckon.dead);
    const sent = await run.done;
    const lastAnswer = clock();
    const queueAtLastSend = (await queueMetrics(sampler)).depth;
    beckon.assertAlive();
    ctx.log(`pipeline-rate: ${accepted.size} accepted, ${sent.missed} missed, ${sent.failed} failed in ${((lastAnswer - firstSend) / 1000).toFixed(1)} s; waiting for delivered webhooks`);
    const { complete } = await waitDelivered(rig, () => accepted.size, performance.now() + opts.phaseTimeout * 1000, 100);
    const points = await samples.stop();
    const peakRss = rss.stop();
    const stats = await receiver.stats(true);
    const { latencies, lastArrival } = deliveryLatencies(stats.arrivals ?? [], accepted, firstSend);
    const values = [...latencies.values()];
    const byTenth = tenths(count, indexOf, latencies);
    const first = byTenth[0].p50;
    const last = byTenth[9].p50;

    const acceptRate = accepted.size / ((lastAnswer - firstSend) / 1000);
    const drainSeconds = (lastArrival - lastAnswer) / 1000;
    const why: string[] = [];
    const missedEarly = sent.missedBySecond.slice(0, 3).reduce((a, b) => a + b, 0);
    if (sent.missed > 0) why.push(`${sent.missed} sends were due while ${opts.concurrency} were in flight (${missedEarly} of them in the first 3 s)`);
    if (sent.failed > 0) why.push(`${sent.failed} sends failed`);
    if (latencies.size < accepted.size) why.push(`${accepted.size - latencies.size} accepted messages were not delivered within the ${opts.phaseTimeout} s cap`);
    else if (drainSeconds > KEEP_UP_SECONDS) why.push(`the last delivery came ${drainSeconds.toFixed(1)} s after the last send's answer (> ${KEEP_UP_SECONDS} s)`);
    if (first === null || last === null) why.push('a tenth of the sends has no delivered message');
    else if (last > GROWTH_FACTOR * first + GROWTH_SLACK_MS) why.push(`the last tenth's p50 (${last.toFixed(0)} ms) is more than ${GROWTH_FACTOR}× the first tenth's (${first.toFixed(0)} ms) + ${GROWTH_SLACK_MS} ms: the backlog grew`);
    const keepsUp = why.length === 0;
    const depths = points.map((p) => p.queue_depth).filter((d): d is number => typeof d === 'number');

    const figures: Figure[] = [
      figure('pipeline_rate_offered_rps', 'offered rate (fixed, open loop)', 'msg/s', opts.rate, same('pipeline_e2e_rps', 'saturating pipeline end to end')),
      figure('pipeline_rate_accept_rps', 'accepted sends/s at that rate', 'msg/s', acceptRate, { label: 'offered', value: opts.rate }),
      figure('pipeline_rate_missed', `sends not issued on time (${opts.concurrency} already in flight)`, 'sends', sent.missed, null),
      figure('pipeline_rate_p50_ms', 'accept → delivered webhook p50 at that rate', 'ms', percentile(values, 50), same('pipeline_p50_ms', 'saturating pipeline p50'), [{ on: 'value', op: '<', value: 1000 }]),
      figure('pipeline_rate_p99_ms', 'accept → delivered webhook p99 at that rate', 'ms', percentile(values, 99), same('pipeline_p99_ms', 'saturating pipeline p99')),
      figure('pipeline_rate_last_tenth_p50_ms', 'delivered p50 of the last tenth of the sends', 'ms', last, { label: 'the first tenth', value: first }),
      figure('pipeline_rate_keeps_up', `keeps up (none missed, all delivered ≤ ${KEEP_UP_SECONDS} s after the last send, last tenth's p50 ≤ ${GROWTH_FACTOR}× the first's + ${GROWTH_SLACK_MS} ms)`, 'yes/no', keepsUp ? 1 : 0, null, [{ on: 'value', op: '==', value: 1 }]),
      figure('pipeline_rate_queue_peak', 'queue depth (runnable jobs), peak of the 1 s samples', 'jobs', depths.length ? Math.max(...depths) : null, { label: 'at the last send', value: queueAtLastSend }),
      figure('pipeline_rate_peak_rss_mb', 'peak RSS at that rate', 'MB', mb(peakRss), same('pipeline_peak_rss_mb', 'saturating pipeline')),
    ];
    const status = sent.failed > 0 ? 'failed' : complete ? 'ok' : 'incomplete';
    return {
      status,
      ...(status === 'ok' ? {} : { reason: sent.failed > 0 ? `${sent.failed} sends failed: ${sent.errors.join('; ')}` : `${latencies.size} of ${accepted.size} accepted messages delivered within the ${opts.phaseTimeout} s cap` }),
      figures,
      details: {
        rate: opts.rate, rate_duration: opts.rateDuration, offered: count, sent: sent.sent, missed: sent.missed, send_failed: sent.failed,
        accepted: accepted.size, delivered: latencies.size, keeps_up: keepsUp, not_keeping_up_because: why,
        send_seconds: (lastAnswer - firstSend) / 1000, drain_seconds: drainSeconds,
        delivered_rps: latencies.size / ((lastArrival - firstSend) / 1000),
        generator_lag_ms: sent.lag, missed_by_second: sent.missedBySecond, tenths: byTenth,
        webhook_requests: stats.endpoints[0].requests, webhooks_by_status: stats.byStatus, receiver_parse_errors: stats.parseErrors,
        timeline: points,
        notes: [
          `${count} sends offered at ${opts.rate}/s (${sent.sent} issued, ${sent.missed} missed, ${sent.failed} failed; this process started them ${sent.lag.p99?.toFixed(1) ?? 'n/a'} ms late at p99); the last delivery came ${drainSeconds.toFixed(1)} s after the last send's answer.`,
          keepsUp ? 'It keeps up at this rate.' : `It does not keep up at this rate: ${why.join('; ')}.`,
          `Delivered p50 by tenth of the sends (ms): ${byTenth.map((t) => (t.p50 === null ? 'n/a' : t.p50.toFixed(0))).join(', ')}; queue depth (runnable jobs) each second: ${depths.join(', ')}.`,
          ...(sent.missed > 0 ? [`Sends missed by the second they were due in: ${sent.missedBySecond.join(', ')}.`] : []),
          'Latency = arrival of the `delivered` webhook at the receiver minus the moment the 2xx came back to the sender (same machine clock); the saturating pipeline of the same run is the baseline.',
        ],
      },
    };
  } finally {
    await sampler.close();
    await rig.stop();
  }
}
