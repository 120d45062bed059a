// What the two pipeline benchmarks share: Beckon with a webhook endpoint subscribed to message_status_updated at a
// tracking receiver, the wait for the `delivered` webhooks, and the accept → delivered latency of each message.
import { routeMissing, type BeckonServer } from './beckon.ts';
import { sendBody, until } from './load.ts';
import { freePort } from './procs.ts';
import { startReceiver, type Receiver, type ReceiverStats } from './receiver-client.ts';
import { skipped, type BenchResult } from './report.ts';

/** A running Beckon whose message statuses are posted to `receiver` (endpoint `name` on `port`). */
export interface PipelineRig {
  beckon: BeckonServer;
  receiver: Receiver;
  port: number;
  /** Stops Beckon, then the receiver. */
  stop(): Promise<void>;
}

/**
 * Starts the receiver, then Beckon (`start`), and subscribes an endpoint to message_status_updated; answers a
 * skipped result when a route is missing and a failed one when the subscription is refused (both stopped).
 */
export async function startPipelineRig(name: string, start: () => Promise<BeckonServer>): Promise<PipelineRig | BenchResult> {
  const port = await freePort();
  const receiver = await startReceiver([{ name, port, mode: 'ok', track: true }]);
  let beckon: BeckonServer;
  try {
    beckon = await start();
  } catch (err) {
    await receiver.stop();
    throw err;
  }
  const rig: PipelineRig = {
    beckon, receiver, port,
    async stop() {
      await beckon.stop();
      await receiver.stop();
    },
  };
  try {
    for (const [method, path] of [['POST', '/v1/messages/send'], ['POST', '/v1/webhooks']] as const) {
      if (await routeMissing(beckon, method, path)) {
        await rig.stop();
        return skipped(`route missing: ${method} ${path}`);
      }
    }
    const hook = await beckon.call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['message_status_updated'] });
    if (hook.status >= 300) {
      await rig.stop();
      return { status: 'failed', reason: `POST /v1/webhooks answered ${hook.status}: ${JSON.stringify(hook.body)}`, figures: [], details: {} };
    }
  } catch (err) {
    await rig.stop();
    throw err;
  }
  return rig;
}

/** Sends message `i` of a pipeline run (a text to a new number, +39 333 3xx xxxx); answers its uuid, throws on a non-2xx. */
export async function sendOne(beckon: BeckonServer, i: number): Promise<string> {
  const res = await beckon.call('POST', '/v1/messages/send', JSON.parse(sendBody(i, 3)));
  if (res.status >= 300) throw new Error(`send answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body.message.uuid as string;
}

/** Polls the receiver until `count` messages have their `delivered` webhook or `deadline` (performance.now()) passes; throws when Beckon died. */
export async function waitDelivered(rig: PipelineRig, count: () => number, deadline: number, everyMs = 200): Promise<{ complete: boolean; stats: ReceiverStats }> {
  let stats = await rig.receiver.stats();
  const complete = await until(async () => {
    rig.beckon.assertAlive();
    return (stats = await rig.receiver.stats()).deliveredCount >= count();
  }, deadline, everyMs);
  return { complete, stats };
}

/** Waits until the receiver's request count stops moving for a second (or `deadline`), so late webhooks (read) are counted. */
export async function waitQuiet(rig: PipelineRig, deadline: number): Promise<void> {
  let previous = -1;
  await until(async () => {
    rig.beckon.assertAlive();
    const count = (await rig.receiver.stats()).endpoints[0].requests;
    const quiet = count === previous;
    previous = count;
    return quiet;
  }, deadline, 1000);
}

/**
 * Accept → delivered of each message: the arrival of its `delivered` webhook at the receiver minus the moment its
 * 2xx came back (`accepted`: uuid → that moment, same machine clock), and the last arrival seen (or `since`).
 */
export function deliveryLatencies(arrivals: Array<[string, number]>, accepted: Map<string, number>, since: number): { latencies: Map<string, number>; lastArrival: number } {
  const latencies = new Map<string, number>();
  let lastArrival = since;
  for (const [uuid, at] of arrivals) {
    const acceptedAt = accepted.get(uuid);
    if (acceptedAt !== undefined) latencies.set(uuid, at - acceptedAt);
    if (at > lastArrival) lastArrival = at;
  }
  return { latencies, lastArrival };
}

/** The samples of metric `name` in Prometheus text, by their label set as written (`thread="api"`; '' for none). */
export function metricSamples(text: string, name: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(new RegExp(`^${name}(?:\\{(.*)\\})? (\\S+)$`, 'gm'))].map((m) => [m[1] ?? '', Number(m[2])]));
}

/** Seconds each thread (api, jobs) has held and waited for the embedded store's write lock, from /metrics (null: no such lock, e.g. PostgreSQL). */
export async function writeLockUse(base: string): Promise<{ held: Record<string, number>; waited: Record<string, number> } | null> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const byThread = (name: string) => Object.fromEntries(Object.entries(metricSamples(text, name)).map(([labels, value]) => [/thread="(\w+)"/.exec(labels)?.[1] ?? labels, value]));
  const held = byThread('beckon_sqlite_write_lock_held_seconds_total');
  return Object.keys(held).length ? { held, waited: byThread('beckon_sqlite_write_lock_waited_seconds_total') } : null;
}

/** What the write lock did between two writeLockUse readings `seconds` apart: the share of the time it was held, and each thread's held and waited seconds. */
export function writeLockShare(before: Awaited<ReturnType<typeof writeLockUse>>, after: Awaited<ReturnType<typeof writeLockUse>>, seconds: number): { heldShare: number; note: string } | null {
  if (!before || !after) return null;
  const threads = Object.keys(after.held);
  const delta = (what: 'held' | 'waited', thread: string) => (after[what][thread] ?? 0) - (before[what][thread] ?? 0);
  const held = threads.reduce((sum, thread) => sum + delta('held', thread), 0);
  const each = threads.map((thread) => `${thread} held it ${delta('held', thread).toFixed(1)} s and waited for it ${delta('waited', thread).toFixed(1)} s`).join(', ');
  return { heldShare: held / seconds, note: `The SQLite write lock over the ${seconds.toFixed(1)} s from the first send to the last delivered webhook: ${each} (beckon_sqlite_write_lock_*_seconds_total in /metrics).` };
}
