import type { Db } from '../db/connect.ts';
import type { CustomEventsTable } from '../db/types.ts';
import { insertRows } from '../db/prepared.ts';

/** Inserts custom event rows (multi-row statements). */
export async function insertCustomEvents(trx: Db, rows: CustomEventsTable[]): Promise<void> {
  if (rows.length > 0) await insertRows(trx, 'custom_events', rows);
}
