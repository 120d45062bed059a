import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isPostgres } from '../db/dialect.ts';

/**
 * The store-specific JSON query of campaign statistics: each status a campaign message reached, per hour, read from
 * the messages' status_history arrays (json_each on SQLite, jsonb_array_elements on PostgreSQL).
 */
export async function statusesByHour(db: Db, campaignId: string): Promise<{ hour: string; status: string; n: number }[]> {
  const result = isPostgres(db)
    ? await sql<{ hour: string; status: string; n: number }>`
    select substr(h.value ->> 'at', 1, 13) as hour, h.value ->> 'status' as status, count(*) as n
    from messages as m cross join lateral jsonb_array_elements((m.status_history)::jsonb) as h(value)
    where m.campaign_id = ${campaignId}
    group by 1, 2`.execute(db)
    : await sql<{ hour: string; status: string; n: number }>`
    select substr(json_extract(h.value, '$.at'), 1, 13) as hour, json_extract(h.value, '$.status') as status, count(*) as n
    from messages as m, json_each(m.status_history) as h
    where m.campaign_id = ${campaignId}
    group by 1, 2`.execute(db);
  return result.rows.map((r) => ({ hour: String(r.hour), status: String(r.status), n: Number(r.n) }));
}
