/** Longest a delivery is expected to wait in process for its endpoint's next free slot; beyond that it goes back to the queue. */
export const MAX_SLOT_WAIT_MS = 500;

/** Latest a turned-away delivery is told to come back (it is turned away again if the endpoint is still full). */
export const MAX_COME_BACK_MS = 15_000;

interface Endpoint {
  /** Start times (epoch ms) of the attempts in flight. */
  running: number[];
  waiters: (() => void)[];
  /** Moving average of this endpoint's attempt durations. */
  latencyMs: number;
  /** Times (epoch ms) turned-away deliveries were told to come back at. */
  comeBacks: number[];
}

/**
 * Bounds the attempts in flight per endpoint in this process (`limit`). A delivery finding its endpoint full
 * waits in process only when a slot is expected soon (a fast endpoint's backlog flows without a trip through
 * the queue); otherwise it is turned away with a come-back time paced by the endpoint's observed latency, so
 * a slow endpoint's backlog neither holds worker slots nor churns the queue.
 */
export class EndpointSlots {
  readonly limit: number;
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(limit: number) {
    this.limit = limit;
  }

  private of(id: string): Endpoint {
    let endpoint = this.endpoints.get(id);
    if (!endpoint) {
      endpoint = { running: [], waiters: [], latencyMs: 50, comeBacks: [] };
      this.endpoints.set(id, endpoint);
    }
    return endpoint;
  }

  /** The endpoint's usual attempt time, or longer while its attempts in flight have been running longer. */
  private latency(endpoint: Endpoint, now: number): number {
    return Math.max(endpoint.latencyMs, ...endpoint.running.map((start) => now - start));
  }

  /** Takes a slot of the endpoint, waiting if one is expected soon: resolves to the slot's start time (give it to release), or null when the caller should come back later (see comeBackInMs). */
  async acquire(id: string): Promise<number | null> {
    const endpoint = this.of(id);
    if (endpoint.running.length < this.limit) return this.start(endpoint);
    const expectedWait = ((endpoint.waiters.length + 1) * this.latency(endpoint, Date.now())) / this.limit;
    if (expectedWait > MAX_SLOT_WAIT_MS) return null;
    return new Promise<number | null>((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(this.start(endpoint));
      };
      const timer = setTimeout(() => {
        endpoint.waiters.splice(endpoint.waiters.indexOf(grant), 1);
        resolve(null);
      }, MAX_SLOT_WAIT_MS * 2);
      endpoint.waiters.push(grant);
    });
  }

  private start(endpoint: Endpoint): number {
    const at = Date.now();
    endpoint.running.push(at);
    return at;
  }

  /** Gives back the slot of an attempt that started at `startedAt` (epoch ms), handing it to the longest waiter. */
  release(id: string, startedAt: number): void {
    const endpoint = this.of(id);
    const i = endpoint.running.indexOf(startedAt);
    endpoint.running.splice(i >= 0 ? i : 0, 1);
    endpoint.latencyMs = endpoint.latencyMs * 0.7 + (Date.now() - startedAt) * 0.3;
    endpoint.waiters.shift()?.();
  }

  /**
   * How long a turned-away delivery should wait: one more share of the endpoint's latency (divided by the limit)
   * than the deliveries already told to come back, between 10 ms and MAX_COME_BACK_MS.
   */
  comeBackInMs(id: string): number {
    const endpoint = this.of(id);
    const now = Date.now();
    endpoint.comeBacks = endpoint.comeBacks.filter((at) => at > now);
    const delay = Math.round(Math.min(MAX_COME_BACK_MS, Math.max(10, ((endpoint.comeBacks.length + 1) * this.latency(endpoint, now)) / this.limit)));
    endpoint.comeBacks.push(now + delay);
    return delay;
  }
}
