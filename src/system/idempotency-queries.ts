import type { Db } from '../db/connect.ts';

/** A stored idempotency record as the hooks need it. */
export interface IdempotencyRow {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: string;
}

/**
 * Claims `key` for a request in one upsert: inserts a placeholder, or takes over a row that expired (created
 * before `expiredBefore`) or a placeholder whose request was abandoned (no answer, created before `abandonedBefore`).
 * Returns true when the caller now owns the key.
 */
export async function claimKey(
  trx: Db, workspaceId: string, key: string, requestHash: string, now: string, expiredBefore: string, abandonedBefore: string,
): Promise<boolean> {
  const fresh = { request_hash: requestHash, status_code: null, response_body: null, response_type: null, created_at: now };
  const result = await trx.insertInto('idempotency_keys')
    .values({ workspace_id: workspaceId, key, ...fresh })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet(fresh).where((eb) => eb.or([
      eb('idempotency_keys.created_at', '<', expiredBefore),
      eb.and([eb('idempotency_keys.status_code', 'is', null), eb('idempotency_keys.created_at', '<', abandonedBefore)]),
    ])))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The record of `key` in a workspace, if any. */
export async function findKey(db: Db, workspaceId: string, key: string): Promise<IdempotencyRow | undefined> {
  return db.selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response_body', 'response_type', 'created_at'])
    .where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
}

/** Stores the answer of the request that holds the placeholder (matched by its hash). */
export async function storeAnswer(
  trx: Db, workspaceId: string, key: string, requestHash: string, answer: { status: number; body: string; type: string | null },
): Promise<void> {
  await trx.updateTable('idempotency_keys')
    .set({ status_code: answer.status, response_body: answer.body, response_type: answer.type })
    .where('workspace_id', '=', workspaceId).where('key', '=', key)
    .where('request_hash', '=', requestHash).where('status_code', 'is', null)
    .execute();
}

/** Deletes the placeholder of a request whose answer is not kept (a 5xx), so a retry runs again. */
export async function releaseKey(trx: Db, workspaceId: string, key: string, requestHash: string): Promise<void> {
  await trx.deleteFrom('idempotency_keys')
    .where('workspace_id', '=', workspaceId).where('key', '=', key)
    .where('request_hash', '=', requestHash).where('status_code', 'is', null)
    .execute();
}

/** Deletes every record created before `before`; returns how many. */
export async function purgeKeys(trx: Db, before: string): Promise<number> {
  const result = await trx.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
