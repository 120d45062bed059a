import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The SQLite-specific JSON query of campaign statistics: each status a campaign message reached, per hour, read from
 * the messages' status_history arrays. A PostgreSQL store adds its branch here (jsonb_array_elements).
 */
export async function statusesByHour(db: Db, campaignId: string): Promise<{ hour: string; status: string; n: number }[]> {
  const result = await sql<{ hour: string; status: string; n: number }>`
    select substr(json_extract(h.value, '$.at'), 1, 13) as hour, json_extract(h.value, '$.status') as status, count(*) as n
    from messages as m, json_each(m.status_history) as h
    where m.campaign_id = ${campaignId}
    group by 1, 2`.execute(db);
  return result.rows.map((r) => ({ hour: String(r.hour), status: String(r.status), n: Number(r.n) }));
}
