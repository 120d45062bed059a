/** Consecutive attempts without an HTTP answer (refused, timed out, unreachable) that open an endpoint's breaker. */
export const BREAKER_THRESHOLD = 5;

const BASE_OPEN_MS = 1_000;
const MAX_OPEN_MS = 60_000;
/** How long other deliveries wait while the one probe of a half-open breaker is under way. */
const PROBE_WAIT_MS = 1_000;
/** A probe that reported nothing in this long (its job ended before connecting) gives way to a new one. */
const PROBE_EXPIRY_MS = 30_000;

interface State {
  failures: number;
  openUntil: number;
  /** When the current probe was let through (0: none under way). */
  probeAt: number;
}

/**
 * Circuit breakers per endpoint, in this process: after BREAKER_THRESHOLD attempts in a row got no HTTP answer,
 * the endpoint's deliveries wait (without spending an attempt) for 1 s, doubling up to 60 s with every further
 * failure; when the wait is over one probe goes through, and the first HTTP answer, whatever its status, closes
 * the breaker. A dead endpoint then costs a few connection attempts a minute instead of one per delivery.
 */
export class CircuitBreakers {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Milliseconds a delivery to this endpoint should wait before trying (0: go ahead). */
  waitMs(endpointId: string): number {
    const state = this.states.get(endpointId);
    if (!state || state.failures < BREAKER_THRESHOLD) return 0;
    const now = this.now();
    const left = state.openUntil - now;
    if (left > 0) return left;
    if (state.probeAt && now - state.probeAt < PROBE_EXPIRY_MS) return PROBE_WAIT_MS;
    state.probeAt = now;
    return 0;
  }

  /** Records how an attempt ended: `answered` is true when the endpoint sent any HTTP status. */
  record(endpointId: string, answered: boolean): void {
    if (answered) {
      this.states.delete(endpointId);
      return;
    }
    const state = this.states.get(endpointId) ?? { failures: 0, openUntil: 0, probeAt: 0 };
    state.failures += 1;
    state.probeAt = 0;
    if (state.failures >= BREAKER_THRESHOLD) {
      state.openUntil = this.now() + Math.min(MAX_OPEN_MS, BASE_OPEN_MS * 2 ** (state.failures - BREAKER_THRESHOLD));
    }
    this.states.set(endpointId, state);
  }
}
