import type { Kysely } from 'kysely';
import type { Db } from './connect.ts';

/** A fixed-window request counter (migration 0014). */
export interface RateLimitCountersTable {
  key: string;
  count: number;
  /** Milliseconds since the epoch; node-postgres returns bigint as a string. */
  window_ends: number | string;
}

/** The GCRA state of one channel's send pacing (migration 0014). */
export interface ChannelSendPacingTable {
  channel_id: string;
  tat: number;
  paused_until: number;
  tolerance: number;
}

/** A send slot handed to a send that was told to come back (migration 0014). */
export interface ChannelSendSlotsTable {
  key: string;
  channel_id: string;
  slot: number;
}

/** The shared-limit tables, kept apart from the main Database interface because only PostgreSQL uses them. */
export type LimitTables = {
  rate_limit_counters: RateLimitCountersTable;
  channel_send_pacing: ChannelSendPacingTable;
  channel_send_slots: ChannelSendSlotsTable;
};

/** The same connection, typed with the shared-limit tables. */
export type LimitsDb = Kysely<LimitTables>;

/** The store's handle typed for the shared-limit tables. */
export function limitsDb(db: Db | Kysely<any>): LimitsDb {
  return db.withTables<LimitTables>() as unknown as LimitsDb;
}
