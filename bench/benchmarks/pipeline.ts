import { cpus } from 'node:os';
import { clock, percentile, runBounded, timeline } from '../lib/load.ts';
import { deliveryLatencies, sendOne, startPipelineRig, waitDelivered, waitQuiet, writeLockShare, writeLockUse } from '../lib/pipeline-rig.ts';
import { cpuSeconds, machineCpuSeconds, rssBytes, sampleRss } from '../lib/procs.ts';
import { figure, type BenchResult, type Figure } from '../lib/report.ts';
import { barePipeline, rawBudget, rawPosts } from './baselines.ts';
import { mb, type BenchContext } from './context.ts';

/**
 * Pipeline: M messages from accept to `delivered` through the sandbox (delays 0), with a webhook endpoint
 * subscribed to message_status_updated at the local receiver. End-to-end msg/s runs from the first send to the
 * last `delivered` webhook; accept→delivered is the receiver's arrival time minus the time the 2xx came back.
 */
export async function pipeline(ctx: BenchContext): Promise<BenchResult> {
  const { opts } = ctx;
  const base = await ctx.baselines.acceptBaseline(); // measured before Beckon starts, so they never overlap
  const rig = await startPipelineRig('pipeline', () => ctx.startBeckon({ profileDir: ctx.profileDir('pipeline') }));
  if (!('beckon' in rig)) return rig;
  const { beckon, receiver, port } = rig;
  try {
    ctx.log(`pipeline: sending ${opts.messages} messages, ${opts.concurrency} in flight`);
    const accepted = new Map<string, number>();
    const deadline = performance.now() + opts.phaseTimeout * 1000;
    const every = opts.mode === 'quick' ? 1000 : 5000;
    const progress = timeline(every, async () => {
      const s = await receiver.stats();
      return { accepted: accepted.size, delivered: s.deliveredCount, webhooks: s.endpoints[0].requests, rss_mb: mb(rssBytes(beckon.child.pid)) };
    }, (p) => p.t % 60 < every / 1000 && opts.mode === 'full' && ctx.log(`pipeline: ${p.accepted} accepted, ${p.delivered} delivered after ${p.t} s`));
    const rss = sampleRss(beckon.child.pid, 250);
    const cpu0 = cpuSeconds(beckon.child.pid);
    const machine0 = machineCpuSeconds();
    const lock0 = await writeLockUse(beckon.base);
    const firstSend = clock();
    const sent = await runBounded(opts.messages, opts.concurrency, deadline, async (i) => {
      accepted.set(await sendOne(beckon, i), clock());
    }, beckon.dead);
    beckon.assertAlive();
    const sendSeconds = (clock() - firstSend) / 1000;
    ctx.log(`pipeline: ${accepted.size} accepted in ${sendSeconds.toFixed(1)} s; waiting for delivered webhooks`);
    const { complete } = await waitDelivered(rig, () => accepted.size, deadline);
    const lock = writeLockShare(lock0, await writeLockUse(beckon.base), (clock() - firstSend) / 1000);
    // Let the remaining status webhooks (read) land, so deliveries/s counts them all.
    await waitQuiet(rig, Math.min(deadline, performance.now() + 30_000));
    const cpu1 = cpuSeconds(beckon.child.pid);
    const machine1 = machineCpuSeconds();
    const points = await progress.stop();
    const peakRss = rss.stop();
    const stats = await receiver.stats(true);
    const endpoint = stats.endpoints[0];
    const delivered = deliveryLatencies(stats.arrivals ?? [], accepted, firstSend);
    const latencies = [...delivered.latencies.values()];
    const lastDelivered = delivered.lastArrival;
    const e2eSeconds = (lastDelivered - firstSend) / 1000;
    const e2eRate = latencies.length / e2eSeconds;
    const hookSeconds = endpoint.first !== null && endpoint.last !== null ? (endpoint.last - endpoint.first) / 1000 : null;
    const hookRate = hookSeconds ? endpoint.requests / hookSeconds : null;

    await beckon.stop(); // nothing else posts to the receiver while the raw baseline runs
    ctx.log('pipeline: raw undici baseline to the receiver');
    const raw = stats.sample
      ? await rawPosts([port], stats.sample, rawBudget(opts).count, opts.concurrency, rawBudget(opts).seconds)
      : null;
    ctx.log(`pipeline: bare pipeline baseline (Fastify accept + three undici status posts per message, no store), ${opts.messages} messages`);
    const bare = await barePipeline(receiver, port, opts.messages, opts.concurrency, opts.phaseTimeout);
    const serverSide = stats.serverSide ?? [];
    const figures: Figure[] = [
      figure('pipeline_e2e_rps', 'end to end, accept → delivered', 'msg/s', e2eRate, { label: 'bare pipeline: Fastify accept + 3 undici posts per message, no store', value: bare.rate }, [{ on: 'value', op: '>=', value: 5000 }]),
      figure('pipeline_webhooks_rps', 'webhook deliveries/s (all statuses)', 'deliveries/s', hookRate, { label: 'undici → receiver, same bodies', value: raw?.rate ?? null }),
      figure('pipeline_p50_ms', 'accept → delivered webhook p50', 'ms', percentile(latencies, 50), { label: 'bare Fastify accept p50', value: base.load.p50 }),
      figure('pipeline_p99_ms', 'accept → delivered webhook p99', 'ms', percentile(latencies, 99), { label: 'bare Fastify accept p99', value: base.load.p99 }),
    ];
    // CPU time per message holds better than msg/s on a shared machine: it is what one message costs Beckon, not how
    // much of the machine it got
    const cpuMs = cpu0 !== null && cpu1 !== null && accepted.size > 0 ? ((cpu1 - cpu0) * 1000) / accepted.size : null;
    figures.push(figure('pipeline_cpu_ms_per_message', 'Beckon CPU time per message (accept to the last webhook)', 'ms', cpuMs, { label: 'bare Fastify accept, CPU ms per request', value: base.load.serverCpuSeconds && base.load.ok ? (base.load.serverCpuSeconds * 1000) / base.load.ok : null }));
    // the whole machine (Beckon, the load generator, the receiver) per message, next to the same for the bare pipeline:
    // two cores over it is the most any server could reach on this machine with this load generator and receiver
    const machineMs = machine0 !== null && machine1 !== null && accepted.size > 0 ? ((machine1 - machine0) * 1000) / accepted.size : null;
    figures.push(figure('pipeline_machine_cpu_ms_per_message', 'machine CPU time per message (Beckon, load generator, receiver)', 'ms', machineMs, { label: 'the same for the bare pipeline', value: bare.machineCpuMsPerMessage }));
    if (lock) figures.push(figure('pipeline_write_lock_held', 'SQLite write lock held (both threads), share of the run', '%', 100 * lock.heldShare, { label: 'held all the time', value: 100 }));
    figures.push(figure('pipeline_peak_rss_mb', 'peak RSS during the pipeline', 'MB', mb(peakRss), { label: 'bare Fastify under the accept load', value: mb(base.load.peakRssBytes) }));
    if (serverSide.length) {
      figures.push(figure('pipeline_server_p50_ms', 'status history enqueued → delivered p50', 'ms', percentile(serverSide, 50), { label: 'bare Fastify accept p50', value: base.load.p50 }));
      figures.push(figure('pipeline_server_p99_ms', 'status history enqueued → delivered p99', 'ms', percentile(serverSide, 99), { label: 'bare Fastify accept p99', value: base.load.p99 }));
    }
    const status = sent.failed > 0 ? 'failed' : complete && accepted.size === opts.messages ? 'ok' : 'incomplete';
    const reason = sent.failed > 0 ? `${sent.failed} sends failed: ${sent.errors.join('; ')}`
      : `${accepted.size} of ${opts.messages} messages accepted and ${stats.deliveredCount} delivered within the ${opts.phaseTimeout} s cap`;
    return {
      status,
      ...(status === 'ok' ? {} : { reason }),
      figures,
      details: {
        messages: opts.messages, accepted: accepted.size, send_failed: sent.failed, send_seconds: sendSeconds,
        accept_rps_during_pipeline: accepted.size / sendSeconds,
        delivered: stats.deliveredCount, e2e_seconds: e2eSeconds,
        webhook_requests: endpoint.requests, webhooks_by_status: stats.byStatus, webhooks_by_event: stats.byEvent, receiver_parse_errors: stats.parseErrors,
        raw_baseline: raw,
        bare_pipeline: bare,
        bare_accept_rps: base.load.rps,
        timeline: points,
        notes: [
          `${accepted.size} messages sent with ${opts.concurrency} in flight took ${sendSeconds.toFixed(1)} s to accept (${(accepted.size / sendSeconds).toFixed(0)} msg/s while the worker ran); the last was delivered ${e2eSeconds.toFixed(1)} s after the first send.`,
          `The bare pipeline (bench/baseline-server.ts --hooks: the same sends, answered by bare Fastify, which then posts the three status webhooks through undici, signed, with no store, job or event) delivered ${bare.delivered} of ${bare.messages} at ${bare.rate.toFixed(0)} msg/s, ${bare.cpuMsPerMessage?.toFixed(2) ?? '?'} CPU ms per message in its process and ${bare.machineCpuMsPerMessage?.toFixed(2) ?? '?'} on the whole machine (with the load generator and the receiver): the pipeline's HTTP work alone, on ${cpus().length} cores, cannot go beyond ${bare.machineCpuMsPerMessage ? Math.round((cpus().length * 1000) / bare.machineCpuMsPerMessage) : '?'} msg/s here.`,
          'Latency = arrival of the `delivered` webhook at the receiver minus the moment the 2xx came back to the sender (same machine clock).',
          ...(lock ? [lock.note] : []),
        ],
      },
    };
  } finally {
    await rig.stop();
  }
}
