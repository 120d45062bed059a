import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { jsonSql } from '../db/dialect.ts';

/**
 * The JSON query of campaign statistics: each status a campaign message reached, per hour, read from the messages'
 * status_history arrays over the store's JSON helpers (src/db/dialect.ts: json_each on SQLite, jsonb_array_elements on PostgreSQL).
 */
export async function statusesByHour(db: Db, campaignId: string): Promise<{ hour: string; status: string; n: number }[]> {
  const j = jsonSql(db);
  const result = await sql<{ hour: string; status: string; n: number }>`
    select substr(${j.elementText('h.value', 'at')}, 1, 13) as hour, ${j.elementText('h.value', 'status')} as status, count(*) as n
    from messages as m, ${j.arrayElements('m.status_history', 'h')}
    where m.campaign_id = ${campaignId}
    group by 1, 2`.execute(db);
  return result.rows.map((r) => ({ hour: String(r.hour), status: String(r.status), n: Number(r.n) }));
}
