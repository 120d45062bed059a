import type { Db } from '../../db/connect.ts';
import type { SandboxSendsTable } from '../../db/types.ts';
import { prepared } from '../../db/prepared.ts';

/**
 * Records one call to the sandbox provider for an idempotency key: creates the key's row on the first call (with
 * the provider id it will answer with), counts later calls, and returns the row as it now stands. `acceptedAt`
 * (a number that never refuses) marks it accepted in the same statement; only the first acceptance counts.
 */
export async function recordSandboxCall(db: Db, key: string, recipient: string, providerMessageId: string, at: string, acceptedAt: string | null = null): Promise<SandboxSendsTable> {
  return (await sandboxCall(db, key, providerMessageId, recipient, at, acceptedAt))[0];
}
const sandboxCall = prepared((db, key: string, providerMessageId: string, recipient: string, at: string, acceptedAt: string | null) =>
  db.insertInto('sandbox_sends')
    .values({ idempotency_key: key, provider_message_id: providerMessageId, recipient, calls: 1, accepted_at: acceptedAt, created_at: at })
    .onConflict((oc) => oc.column('idempotency_key').doUpdateSet((eb) => ({
      calls: eb(eb.ref('sandbox_sends.calls'), '+', 1),
      accepted_at: eb.fn.coalesce(eb.ref('sandbox_sends.accepted_at'), eb.ref('excluded.accepted_at')),
    })))
    .returningAll());

/** Marks the key's message accepted (handed to the simulated phone); only the first acceptance counts. */
export async function markSandboxAccepted(db: Db, key: string, at: string): Promise<void> {
  await sandboxAccepted(db, at, key);
}

/** The sandbox's record for an idempotency key, if it was ever called with it. */
export async function findSandboxSend(db: Db, key: string): Promise<SandboxSendsTable | undefined> {
  return db.selectFrom('sandbox_sends').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

const sandboxAccepted = prepared((db, at: string, key: string) =>
  db.updateTable('sandbox_sends').set({ accepted_at: at }).where('idempotency_key', '=', key).where('accepted_at', 'is', null));
