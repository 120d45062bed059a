// How busy each thread of `beckon start` is, and the job thread's webhook calls dealt by it: both threads publish their
// event-loop utilization on a SharedArrayBuffer (read by /metrics too), and the job thread gives the API thread fewer
// of its calls while the API thread is the busier of the two (its cold start, a burst of requests), half otherwise.
import { performance } from 'node:perf_hooks';
import type { Dealer } from './sqlite-queue.ts';

/** How often each thread publishes its utilization, and the least time between two changes of the job thread's deal (ms). */
export const LOAD_WINDOW_MS = 200;

/** The API thread's share of the job thread's calls while it is not clearly busier than the job thread. */
export const EVEN_SHARE = 0.5;
/** Up to this much busier than the job thread (utilization, 0–1), the API thread still takes EVEN_SHARE … */
export const BUSIER_EVEN = 0.1;
/** … and from this much busier, none: in between its share falls linearly. */
export const BUSIER_NONE = 0.3;

/** A buffer for the utilization of `threads` threads, numbered 1 to `threads` (publishLoad, readLoad). */
export function loadBuffer(threads = 2): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (threads + 1));
}

/** A meter of this thread's event-loop utilization: each call answers the share of the time since the previous call (or since the meter was made) that the loop ran code, 0–1. */
export function utilizationMeter(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const share = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return Number.isFinite(share) ? share : 0;
  };
}

/**
 * Publishes this thread's utilization as thread `thread` of `buffer`: `initial` (0–1) at once, then that of each
 * LOAD_WINDOW_MS (a timer that keeps no process alive). Answers the function that stops it.
 */
export function publishLoad(buffer: SharedArrayBuffer, thread: number, initial = 0): () => void {
  const slots = new Int32Array(buffer);
  const meter = utilizationMeter();
  Atomics.store(slots, thread, Math.round(initial * 1000));
  const timer = setInterval(() => Atomics.store(slots, thread, Math.round(meter() * 1000)), LOAD_WINDOW_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The utilization thread `thread` last published into `buffer`, 0–1 (0 before it published). */
export function readLoad(buffer: SharedArrayBuffer, thread: number): number {
  return Atomics.load(new Int32Array(buffer), thread) / 1000;
}

/** The API thread's share of the job thread's calls when it is `busier` (its utilization minus the job thread's) than the job thread. */
export function apiShare(busier: number): number {
  if (busier <= BUSIER_EVEN) return EVEN_SHARE;
  if (busier >= BUSIER_NONE) return 0;
  // rounded to thousandths, as the loads are: a share like 0.25 deals exactly one job in four
  return Math.round(1000 * EVEN_SHARE * (BUSIER_NONE - busier) / (BUSIER_NONE - BUSIER_EVEN)) / 1000;
}

/**
 * Deals jobs between `apiLane` and `ownLane` by the two threads' load: `apiLoad` and `ownLoad` are read at most once a
 * LOAD_WINDOW_MS (`now`, ms), and the API lane gets apiShare() of what follows, spread evenly (at the even share, the
 * lanes alternate, the own lane first).
 */
export function dealByLoad(apiLane: string, ownLane: string, apiLoad: () => number, ownLoad: () => number, now: () => number = () => performance.now()): Dealer {
  let share = EVEN_SHARE;
  let credit = 0;
  let checked = -Infinity;
  return () => {
    const time = now();
    if (time - checked >= LOAD_WINDOW_MS) {
      checked = time;
      share = apiShare(apiLoad() - ownLoad());
    }
    credit += share;
    if (credit < 1) return ownLane;
    credit -= 1;
    return apiLane;
  };
}
