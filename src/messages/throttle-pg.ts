import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * Per-channel send pacing shared in PostgreSQL: the same GCRA as throttle.ts (a burst of one second's worth, then one
 * send per 1/rate, slots reserved for sends told to come back, a provider's pause holding the channel), with its state
 * in channel_send_pacing and the reserved slots in channel_send_slots, so the rate holds across every worker process.
 * Each new slot is one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING on the channel's row; processes serialize on it.
 * Times are each process's clock (ms): machines must keep their clocks in step (NTP), a skew shifts slots by as much.
 */
export interface SharedChannelThrottle {
  /** As ChannelThrottle.take, asynchronously: 0 when the send may go now, else the ms to wait with a slot reserved for `key`. */
  take(channelId: string, ratePerSecond: number, key: string, now?: number): Promise<number>;
  /** As ChannelThrottle.pause: holds every send on the channel for `ms`, in every process. */
  pause(channelId: string, ms: number, now?: number): Promise<void>;
}

/** Reserved slots this far in the past belong to sends that never came back (message deleted) and are deleted. */
const STALE_SLOT_MS = 3600_000;

/** One take in this many also sweeps stale slots. */
const SWEEP_EVERY = 1000;

/** Creates a ChannelThrottle whose state lives in the PostgreSQL store `db`. */
export function createPgThrottle(db: Db): SharedChannelThrottle {
  let takes = 0;

  const pausedUntilOf = async (channelId: string): Promise<number> => {
    const row = await db.selectFrom('channel_send_pacing').select('paused_until').where('channel_id', '=', channelId).executeTakeFirst();
    return row ? Number(row.paused_until) : 0;
  };

  return {
    async take(channelId, ratePerSecond, key, now = Date.now()) {
      if (!(ratePerSecond > 0) || ratePerSecond === Infinity) {
        const pausedUntil = await pausedUntilOf(channelId);
        return pausedUntil > now ? Math.ceil(pausedUntil - now) : 0;
      }
      if (++takes % SWEEP_EVERY === 0) {
        await db.deleteFrom('channel_send_slots').where('slot', '<', now - STALE_SLOT_MS).execute();
      }
      const reserved = await db.selectFrom('channel_send_slots').select('slot').where('key', '=', key).executeTakeFirst();
      if (reserved) {
        const slot = Number(reserved.slot);
        if (slot >= await pausedUntilOf(channelId)) {
          if (now < slot) return Math.ceil(slot - now);
          await db.deleteFrom('channel_send_slots').where('key', '=', key).execute();
          return 0;
        }
        // handed out before a pause: take a new slot after it (the upsert below replaces it)
      }
      const interval = 1000 / ratePerSecond;
      const tolerance = (Math.max(1, Math.floor(ratePerSecond)) - 1) * interval;
      const row = await db.insertInto('channel_send_pacing')
        .values({ channel_id: channelId, tat: now + interval, paused_until: 0, tolerance })
        .onConflict((oc) => oc.column('channel_id').doUpdateSet({
          tat: sql`greatest(channel_send_pacing.tat, ${now}::double precision, channel_send_pacing.paused_until) + ${interval}::double precision`,
          tolerance,
        }))
        .returning(['tat', 'paused_until'])
        .executeTakeFirstOrThrow();
      const slot = Math.max(now, Number(row.tat) - interval - tolerance, Number(row.paused_until));
      if (slot <= now) {
        if (reserved) await db.deleteFrom('channel_send_slots').where('key', '=', key).execute();
        return 0;
      }
      await db.insertInto('channel_send_slots').values({ key, channel_id: channelId, slot })
        .onConflict((oc) => oc.column('key').doUpdateSet({ slot, channel_id: channelId }))
        .execute();
      return Math.ceil(slot - now);
    },
    async pause(channelId, ms, now = Date.now()) {
      const until = now + Math.max(0, ms);
      await db.insertInto('channel_send_pacing')
        .values({ channel_id: channelId, tat: until, paused_until: until, tolerance: 0 })
        .onConflict((oc) => oc.column('channel_id').doUpdateSet({
          tat: sql`case when ${until}::double precision > channel_send_pacing.paused_until then greatest(channel_send_pacing.tat, ${until}::double precision + channel_send_pacing.tolerance) else channel_send_pacing.tat end`,
          paused_until: sql`greatest(channel_send_pacing.paused_until, ${until}::double precision)`,
        }))
        .execute();
    },
  };
}
