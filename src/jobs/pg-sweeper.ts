import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { quoteIdent } from './pg-queue.ts';

/** Prefix of the application_name of a live worker pool's marker connection. */
export const MARKER_PREFIX = 'beckon-pool:';

/** How long a job must have been locked before the sweeper considers it (seconds): a pool's marker connects right after it starts. */
export const SWEEP_GRACE_SECONDS = 10;

/**
 * An idle connection named `beckon-pool:<graphile pool id>` held while the pool runs: PostgreSQL drops it when the
 * process dies (even by kill -9), which is how other processes tell its locked jobs are orphans.
 */
export class PoolMarker {
  private client: pg.Client | null;
  private readonly connect: () => Promise<pg.Client>;
  private closed = false;

  private constructor(client: pg.Client, connect: () => Promise<pg.Client>) {
    this.client = client;
    this.connect = connect;
  }

  /** Opens the marker of pool `poolId` with the pool's connection settings; it reconnects if the connection drops. */
  static async open(pool: pg.Pool, poolId: string, log: FastifyBaseLogger): Promise<PoolMarker> {
    const settings = (pool as unknown as { options: pg.ClientConfig }).options;
    let marker: PoolMarker;
    const connect = async (): Promise<pg.Client> => {
      const client = new pg.Client({ ...settings, application_name: MARKER_PREFIX + poolId });
      client.on('error', (err) => {
        log.warn({ err, poolId }, 'worker pool marker connection lost; reconnecting');
        marker.reconnect();
      });
      await client.connect();
      return client;
    };
    marker = new PoolMarker(await connect(), connect);
    return marker;
  }

  private reconnect(): void {
    this.client = null;
    const retry = () => {
      if (this.closed) return;
      this.connect().then((client) => {
        if (this.closed) void client.end();
        else this.client = client;
      }, () => setTimeout(retry, 1000).unref());
    };
    retry();
  }

  /** Closes the marker (after the pool stopped). */
  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => {});
  }
}

/**
 * Unlocks jobs locked for more than SWEEP_GRACE_SECONDS by a worker pool that has no marker connection (its process
 * died without shutting down); graphile-worker alone would wait 4 hours. The attempt they were on stays counted.
 * Returns the number of jobs released.
 */
export async function sweepOrphanedJobs(pool: pg.Pool, schema: string, graceSeconds = SWEEP_GRACE_SECONDS): Promise<number> {
  const result = await pool.query(`
    update ${quoteIdent(schema)}._private_jobs as jobs set locked_by = null, locked_at = null
    where locked_by is not null and locked_at < now() - make_interval(secs => $2)
      and not exists (select 1 from pg_stat_activity a where a.application_name = $1 || jobs.locked_by)`,
  [MARKER_PREFIX, graceSeconds]);
  return result.rowCount ?? 0;
}
