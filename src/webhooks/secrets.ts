import type { Db } from '../db/connect.ts';
import type { WebhookEndpointsTable } from '../db/types.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { SECRET_PREFIX } from './sign.ts';
import { keptOrComputed } from '../lib/bounded-cache.ts';

function context(endpointId: string): string {
  return `webhook:${endpointId}`;
}

/** Seals a signing secret bound to its endpoint (lib/secret-box.ts: AES-256-GCM, the key that seals channel secrets). */
export function sealWebhookSecret(box: SecretBox, endpointId: string, secret: string): string {
  return box.seal(secret, context(endpointId));
}

/** Most opened secrets kept per key: the endpoints delivered to lately (an AES-GCM open per delivery was ~6% of the pipeline's CPU). */
export const OPENED_SECRETS_KEPT = 1024;
const opened = new WeakMap<SecretBox, Map<string, string>>();

/**
 * The signing secret as stored: opened when sealed (kept per key and sealed text, which names its endpoint through the
 * context it was sealed with: a rotated or altered secret is a new text, opened anew); a plaintext `whsec_…` (stored
 * before sealing) is taken as it is.
 */
export function openWebhookSecret(box: SecretBox, endpointId: string, stored: string): string {
  if (stored.startsWith(SECRET_PREFIX)) return stored;
  let cache = opened.get(box);
  if (!cache) opened.set(box, (cache = new Map()));
  return keptOrComputed(cache, `${endpointId} ${stored}`, OPENED_SECRETS_KEPT, () => box.open(stored, context(endpointId)));
}

/** The endpoint row with its current and previous secrets opened (what signing and the Callbell view read). */
export function withOpenSecrets<T extends Pick<WebhookEndpointsTable, 'secret' | 'previous_secret'>>(box: SecretBox, endpointId: string, row: T): T {
  const previous = row.previous_secret === null ? null : openWebhookSecret(box, endpointId, row.previous_secret);
  return { ...row, secret: openWebhookSecret(box, endpointId, row.secret), previous_secret: previous };
}

/**
 * Seals the signing secrets still stored in plaintext (endpoints created before secrets were sealed); run at start.
 * Each row is updated only if it still holds the plaintext read, so processes starting together do not clash.
 * Returns how many endpoints it sealed.
 */
export async function sealPlaintextWebhookSecrets(db: Db, box: SecretBox): Promise<number> {
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'secret', 'previous_secret'])
    .where((eb) => eb.or([eb('secret', 'like', `${SECRET_PREFIX}%`), eb('previous_secret', 'like', `${SECRET_PREFIX}%`)])).execute();
  for (const row of rows) {
    const seal = (value: string | null) => (value !== null && value.startsWith(SECRET_PREFIX) ? sealWebhookSecret(box, row.id, value) : value);
    await db.updateTable('webhook_endpoints').set({ secret: seal(row.secret)!, previous_secret: seal(row.previous_secret) })
      .where('id', '=', row.id).where('secret', '=', row.secret)
      .where((eb) => (row.previous_secret === null ? eb('previous_secret', 'is', null) : eb('previous_secret', '=', row.previous_secret)))
      .execute();
  }
  return rows.length;
}
