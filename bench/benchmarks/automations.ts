import { startBeckon, type BeckonServer } from '../lib/beckon.ts';
import { clock, percentile, runBounded, until } from '../lib/load.ts';
import { cpuSeconds, rssBytes, sampleRss } from '../lib/procs.ts';
import { figure, type BenchResult, type Figure } from '../lib/report.ts';
import { campaign } from './campaign.ts';
import { mb, type BenchContext } from './context.ts';

/** Events per POST /v1/events/batch (its maximum). */
const BATCH = 1_000;
/** Batches in flight. */
const IN_FLIGHT = 2;
/** Seconds of each idle CPU measurement, and of the settling before it. */
const IDLE_SECONDS = 10;
const SETTLE_SECONDS = 5;
const EVENT = 'bench_signup';
/**
 * A 1,000-event batch can wait behind the busy worker longer than the default request timeout (30 s), and a request's
 * headers longer than the headers timeout (10 s, a slowloris guard checked on a timer) on a slow shared machine: the
 * bench measures how long, it does not cut the connection.
 */
const ENV = { BECKON_REQUEST_TIMEOUT_MS: '600000', BECKON_HEADERS_TIMEOUT_MS: '600000' };

/** An event-triggered automation: send → wait `wait` → tag (or, parked, wait → tag). */
function definition(channel: string, waitSeconds: number, send: boolean): Record<string, unknown> {
  const wait = { type: 'wait', duration: { seconds: waitSeconds }, next: 'tag' };
  return {
    name: send ? 'Bench send → wait 0 → tag' : 'Bench parked in a one-day wait', trigger: { type: 'event', event: `custom.${EVENT}` }, start: send ? 'hello' : 'pause',
    steps: {
      ...(send && { hello: { type: 'send_message', channel_uuid: channel, text: 'Hi {{ contact.name | default: "there" }}, welcome aboard.', next: 'pause' } }),
      pause: wait,
      tag: { type: 'update_contact', add_tags: ['welcomed'] },
    },
  };
}

async function ok(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const { status, body } = await res;
  if (status >= 300) throw new Error(`${what} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** Creates and activates the automation on a sandbox SMS channel; returns its uuid. */
async function setUp(beckon: BeckonServer, waitSeconds: number, send: boolean): Promise<string> {
  const channel = (await ok(beckon.call('POST', '/v1/channels', { type: 'sms', provider: 'sandbox', title: 'Bench SMS', config: { rate_per_second: 10_000 } }), 'POST /v1/channels')).channel.uuid;
  const automation = (await ok(beckon.call('POST', '/v1/automations', definition(channel, waitSeconds, send)), 'POST /v1/automations')).automation.uuid;
  await ok(beckon.call('POST', `/v1/automations/${automation}/activate`, {}), 'activate');
  return automation;
}

/** Starts `total` runs with custom events, BATCH per POST /v1/events/batch, each for a new contact (by phone: +39 <prefix> 1xxxxxx). */
async function startRuns(beckon: BeckonServer, total: number, deadline: number, prefix: number): Promise<{ done: number; failed: number; errors: string[]; batch_ms: { p50: number | null; max: number | null } }> {
  const latencies: number[] = [];
  const result = await runBounded(Math.ceil(total / BATCH), IN_FLIGHT, deadline, async (b) => {
    const events = [];
    for (let i = b * BATCH; i < Math.min(total, (b + 1) * BATCH); i++) events.push({ name: EVENT, contact: { phone: `+39${prefix}${1_000_000 + i}` }, data: { i } });
    const t0 = performance.now();
    const body = await ok(beckon.call('POST', '/v1/events/batch', { events }), 'POST /v1/events/batch');
    latencies.push(performance.now() - t0);
    if (body.meta.accepted !== events.length) throw new Error(`batch ${b}: ${body.meta.accepted} of ${events.length} accepted: ${JSON.stringify(body.results.find((r: { error: unknown }) => r.error))}`);
  }, () => beckon.dead());
  return { ...result, batch_ms: { p50: percentile(latencies, 50), max: latencies.length ? Math.max(...latencies) : null } };
}

async function stats(beckon: BeckonServer, automation: string): Promise<any> {
  return (await ok(beckon.call('GET', `/v1/automations/${automation}/stats`), 'GET stats')).stats;
}

/** CPU% (of one core) the process uses over IDLE_SECONDS after SETTLE_SECONDS, and its RSS then. */
async function idle(beckon: BeckonServer): Promise<{ cpu_percent: number | null; rss_bytes: number | null }> {
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
  const before = cpuSeconds(beckon.child.pid);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const after = cpuSeconds(beckon.child.pid);
  return { cpu_percent: before === null || after === null ? null : ((after - before) / IDLE_SECONDS) * 100, rss_bytes: rssBytes(beckon.child.pid) };
}

/** Phase 1: `total` runs of send → wait 0 → tag started through the API, to every run completed. */
async function throughput(ctx: BenchContext, total: number): Promise<Record<string, unknown>> {
  const beckon = await startBeckon({ profileDir: ctx.profileDir('automations'), env: ENV });
  try {
    const automation = await setUp(beckon, 0, true);
    const deadline = performance.now() + ctx.opts.phaseTimeout * 1000;
    const rss = sampleRss(beckon.child.pid, 250);
    ctx.log(`automations: starting ${total} runs (send → wait 0 → tag) in batches of ${BATCH} events`);
    const t0 = clock();
    const started = await startRuns(beckon, total, deadline, 333);
    if (started.failed > 0) throw new Error(`${started.failed} event batches failed: ${started.errors.slice(0, 3).join('; ')}`);
    const acceptedAt = clock();
    let last: any = null;
    let logged = 0;
    const complete = await until(async () => {
      beckon.assertAlive();
      last = await stats(beckon, automation);
      if (clock() - logged > 15_000) {
        logged = clock();
        ctx.log(`automations: ${last.runs.completed}/${total} completed after ${((clock() - t0) / 1000).toFixed(0)} s`);
      }
      return last.runs.completed + last.runs.failed + last.runs.exited >= total;
    }, deadline, 250);
    const doneAt = clock();
    const peak = rss.stop();
    return {
      complete: complete && started.failed === 0, started, stats: last, accept_seconds: (acceptedAt - t0) / 1000,
      seconds: complete ? (doneAt - t0) / 1000 : null, peak_rss_bytes: peak,
    };
  } finally {
    await beckon.stop();
  }
}

/** Phase 2: idle CPU and RSS of a process, then of the same process with `total` runs parked in a one-day wait, then of a restart on that store. */
async function parked(ctx: BenchContext, total: number): Promise<Record<string, unknown>> {
  let beckon = await startBeckon({ env: ENV });
  const dataDir = beckon.dataDir;
  try {
    const automation = await setUp(beckon, 86_400, false);
    ctx.log(`automations: idle process without parked runs (${SETTLE_SECONDS} s settle + ${IDLE_SECONDS} s)`);
    const without = await idle(beckon);
    const deadline = performance.now() + ctx.opts.phaseTimeout * 1000;
    ctx.log(`automations: parking ${total} runs in a one-day wait`);
    const started = await startRuns(beckon, total, deadline, 334);
    if (started.failed > 0) throw new Error(`${started.failed} event batches failed: ${started.errors.slice(0, 3).join('; ')}`);
    const allParked = await until(async () => (await stats(beckon, automation)).steps[0].waiting_now >= total, deadline, 250);
    ctx.log(`automations: idle process with ${total} parked runs`);
    const withRuns = await idle(beckon);
    await beckon.stop();
    beckon = await startBeckon({ dataDir, env: ENV });
    ctx.log('automations: the same store after a restart');
    const restarted = await idle(beckon);
    const still = await stats(beckon, automation);
    return { complete: allParked && started.failed === 0 && still.steps[0].waiting_now === total, started, without, with_runs: withRuns, restarted, waiting_now: still.steps[0].waiting_now };
  } finally {
    await beckon.stop();
  }
}

/**
 * automations: `--runs` runs (full 100,000, quick 1,000) of an event-triggered send → wait 0 → tag automation started
 * through POST /v1/events/batch (1,000 events each, 2 in flight), to every run completed (read from the stats
 * endpoint): runs/s next to the campaign benchmark's delivered messages/s for as many recipients in the same run, and
 * the peak RSS; then `--runs` runs parked in a one-day wait: the idle process's CPU% over 10 s and its RSS with them
 * next to the same process before them, and after a restart on that store.
 */
export async function automations(ctx: BenchContext): Promise<BenchResult> {
  const total = ctx.opts.runs;
  const run = await throughput(ctx, total);
  ctx.log(`automations: the campaign benchmark with ${total} recipients (the baseline)`);
  const camp = await campaign({ ...ctx, opts: { ...ctx.opts, messages: total, mode: 'full' } });
  const campaignRate = camp.figures.find((f) => f.id === 'campaign_e2e_rps')?.value ?? null;
  const park = await parked(ctx, total);
  const seconds = run.seconds as number | null;
  const without = park.without as { cpu_percent: number | null; rss_bytes: number | null };
  const withRuns = park.with_runs as typeof without;
  const restarted = park.restarted as typeof without;
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const figures: Figure[] = [
    figure('automation_runs_rps', `runs completed per second (${total} runs of send → wait 0 → tag, started by events)`, 'runs/s', seconds ? total / seconds : null,
      { label: `campaign messages delivered/s, ${total} recipients, same run`, value: campaignRate }),
    figure('automation_runs_s', `${total} runs: first event batch → every run completed`, 's', seconds, null, [{ on: 'value', op: '<', value: 120 * (total / 100_000) }]),
    figure('automation_peak_rss_mb', 'peak RSS while the runs ran', 'MB', mb(run.peak_rss_bytes as number | null), null),
    figure('automation_parked_cpu_pct', `idle CPU with ${total} runs parked in a one-day wait (${IDLE_SECONDS} s)`, '% of a core', withRuns.cpu_percent,
      { label: 'the same process before the runs', value: without.cpu_percent }),
    figure('automation_parked_cpu_delta_pct', 'idle CPU added by the parked runs', 'points', delta(withRuns.cpu_percent, without.cpu_percent), null, [{ on: 'value', op: '<', value: 1 }]),
    figure('automation_parked_rss_delta_mb', 'RSS added by the parked runs (same process: includes what ingesting them left on the heap)', 'MB', mb(delta(withRuns.rss_bytes, without.rss_bytes)), null),
    figure('automation_parked_restart_rss_delta_mb', 'RSS added by the parked runs (a restart on their store vs the fresh process)', 'MB', mb(delta(restarted.rss_bytes, without.rss_bytes)), null, [{ on: 'value', op: '<', value: 50 }]),
    figure('automation_parked_restart_cpu_pct', 'idle CPU of that restarted process', '% of a core', restarted.cpu_percent, { label: 'the fresh process without runs', value: without.cpu_percent }),
  ];
  const complete = run.complete === true && park.complete === true;
  return {
    status: complete ? 'ok' : 'incomplete',
    ...(complete ? {} : { reason: `runs ${JSON.stringify((run.stats as { runs?: unknown } | null)?.runs ?? null)}, parked ${String(park.waiting_now)} of ${total} within the ${ctx.opts.phaseTimeout} s cap` }),
    figures,
    details: {
      runs: total, batch: BATCH, in_flight: IN_FLIGHT, throughput: run, parked: park, campaign: { status: camp.status, figures: camp.figures },
      notes: [
        `Each run: an event in a batch of ${BATCH} (the contact created by phone, the custom event, the run and its first step job in the batch's transaction), then three automation_step jobs (send: the message stored through the outbound path; wait 0; tag) and the message's send_message, delivered and read jobs on a sandbox SMS channel at zero delays.`,
        'Completion is read from GET /v1/automations/:uuid/stats (counters, not a scan of runs). The campaign figure is the campaign benchmark run with as many recipients in this same run.',
        `Parked runs: wait 1 day → tag, no send. Idle CPU is measured from /proc over ${IDLE_SECONDS} s after ${SETTLE_SECONDS} s of settling; the machine is shared, so these figures are noisy.`,
      ],
    },
  };
}
