import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { jsonSql } from '../../db/dialect.ts';

/** Every custom field key some contact of the workspace holds, sorted (one SQL pass over the JSON objects). */
export async function customFieldKeysInUse(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await sql<{ key: string }>`select distinct j.key as key from contacts, ${jsonSql(db).objectKeys('contacts.custom_fields', 'j')}
    where contacts.workspace_id = ${workspaceId} order by j.key`.execute(db);
  return rows.rows.map((r) => r.key);
}
