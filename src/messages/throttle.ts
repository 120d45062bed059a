/**
 * Per-channel send pacing. Each channel sends at most `rate` messages per second, with bursts of up to one
 * second's worth (GCRA, the token bucket written as a "theoretical arrival time"). A send over the rate is not
 * refused but given a slot: the job comes back exactly then (RetryLater) and finds its slot waiting, so a backlog of
 * N messages is rescheduled about once each instead of polling. A provider's throughput error pauses the channel.
 *
 * The state lives in this process. Embedded (SQLite) Beckon runs every worker in one process, so the rate holds
 * exactly; on PostgreSQL, where several worker processes share the store, throttle-pg.ts keeps the same state in the
 * database (see docs/sending-rules.md).
 */

/** Sends per second when the channel sets no `rate_per_second`: WhatsApp Cloud's default throughput, and conservative SMS and email figures. */
export const DEFAULT_RATES: Record<string, number> = { whatsapp: 80, sms: 10, email: 10 };

/** Highest `rate_per_second` a channel may set. */
export const MAX_RATE_PER_SECOND = 10_000;

/**
 * The send rate of a channel: its config's `rate_per_second` (a positive number, at most MAX_RATE_PER_SECOND), else
 * DEFAULT_RATES by type; sandbox channels are unlimited (Infinity) unless they set one.
 */
export function sendRateOf(channel: { type: string; provider: string; config: Record<string, unknown> }): number {
  const configured = channel.config.rate_per_second;
  if (typeof configured === 'number' && Number.isFinite(configured) && configured > 0) return Math.min(configured, MAX_RATE_PER_SECOND);
  if (channel.provider === 'sandbox') return Infinity;
  return DEFAULT_RATES[channel.type] ?? DEFAULT_RATES.whatsapp;
}

interface ChannelState {
  /** Theoretical arrival time: when the next send would be due if sends went out exactly at the rate (ms epoch). */
  tat: number;
  /** No send before this (a provider asked us to slow down). */
  pausedUntil: number;
  /** The burst allowance of the last rate used (ms): a pause ends without a burst. */
  tolerance: number;
  /** Slots handed to sends told to come back, by key. */
  reservations: Map<string, number>;
}

/** Per-channel pacing of sends in this process. */
export interface ChannelThrottle {
  /**
   * 0 when the send identified by `key` may go now on the channel; otherwise the milliseconds it must wait, with a
   * slot reserved for that key at that time (a call with the same key at or after the slot gets 0).
   */
  take(channelId: string, ratePerSecond: number, key: string, now?: number): number;
  /** Holds every send on the channel for `ms` (the provider's throughput error); slots already handed out before then are moved after it. */
  pause(channelId: string, ms: number, now?: number): void;
}

/** Creates an in-process ChannelThrottle. */
export function createThrottle(): ChannelThrottle {
  const channels = new Map<string, ChannelState>();
  const stateOf = (channelId: string): ChannelState => {
    let state = channels.get(channelId);
    if (!state) {
      state = { tat: 0, pausedUntil: 0, tolerance: 0, reservations: new Map() };
      channels.set(channelId, state);
    }
    return state;
  };
  const prune = (state: ChannelState, now: number): void => {
    if (state.reservations.size < 1024) return;
    for (const [key, slot] of state.reservations) if (slot < now - 60_000) state.reservations.delete(key);
  };

  return {
    take(channelId, ratePerSecond, key, now = Date.now()) {
      if (!(ratePerSecond > 0) || ratePerSecond === Infinity) {
        // unpaced: only a provider's pause holds it
        const pausedUntil = channels.get(channelId)?.pausedUntil ?? 0;
        return pausedUntil > now ? Math.ceil(pausedUntil - now) : 0;
      }
      const state = stateOf(channelId);
      const reserved = state.reservations.get(key);
      if (reserved !== undefined) {
        if (reserved >= state.pausedUntil) {
          if (now >= reserved) {
            state.reservations.delete(key);
            return 0;
          }
          return reserved - now;
        }
        state.reservations.delete(key); // handed out before a pause: take a new slot after it
      }
      const interval = 1000 / ratePerSecond;
      const tolerance = (Math.max(1, Math.floor(ratePerSecond)) - 1) * interval;
      state.tolerance = tolerance;
      const tat = Math.max(state.tat, now, state.pausedUntil);
      const slot = Math.max(now, tat - tolerance, state.pausedUntil);
      state.tat = tat + interval;
      if (slot <= now) return 0;
      prune(state, now);
      state.reservations.set(key, slot);
      return Math.ceil(slot - now);
    },
    pause(channelId, ms, now = Date.now()) {
      const state = stateOf(channelId);
      const until = now + Math.max(0, ms);
      if (until <= state.pausedUntil) return;
      state.pausedUntil = until;
      state.tat = Math.max(state.tat, until + state.tolerance);
    },
  };
}
