import type { Db } from '../db/connect.ts';
import { nowIso } from '../lib/time.ts';

/** Campaigns whose link ids a process keeps in memory (the least recently used is dropped beyond this). */
export const CACHED_CAMPAIGNS = 256;

/** Link ids a process keeps per campaign (a campaign with a distinct URL per recipient stops caching beyond this). */
export const CACHED_LINKS_PER_CAMPAIGN = 10_000;

/** A cached link id; `trx` is the transaction that inserted it until another transaction has read it back. */
interface CachedLink {
  id: number;
  trx: Db | null;
}

const caches = new WeakMap<Db, Map<string, Map<string, CachedLink>>>();

function campaignCache(db: Db, campaignId: string): Map<string, CachedLink> {
  let byCampaign = caches.get(db);
  if (!byCampaign) {
    byCampaign = new Map();
    caches.set(db, byCampaign);
  }
  let links = byCampaign.get(campaignId);
  if (links) byCampaign.delete(campaignId);
  else links = new Map();
  byCampaign.set(campaignId, links); // most recently used last
  if (byCampaign.size > CACHED_CAMPAIGNS) byCampaign.delete(byCampaign.keys().next().value!);
  return links;
}

async function readLinkId(trx: Db, campaignId: string, url: string): Promise<number | undefined> {
  const row = await trx.selectFrom('campaign_links').select('id').where('campaign_id', '=', campaignId).where('url', '=', url).executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/**
 * The id (1, 2, 3… per campaign) of each URL of a campaign, inserting the missing ones in `trx`. Ids are cached per
 * store and campaign, so a message whose links are known costs no query. Several processes may add links to one
 * campaign at once: an insert takes max(id)+1 and does nothing on conflict (same URL or same id taken by another
 * process), then reads again, so every URL keeps one id. An id inserted by a transaction that has not been seen
 * committed is trusted only inside that transaction; another transaction reads it back first (a rolled-back insert
 * is then made again).
 */
export async function campaignLinkIds(trx: Db, cacheKey: Db, workspaceId: string, campaignId: string, urls: string[]): Promise<Map<string, number>> {
  const cache = campaignCache(cacheKey, campaignId);
  const ids = new Map<string, number>();
  for (const url of new Set(urls)) {
    const cached = cache.get(url);
    if (cached && (cached.trx === null || cached.trx === trx)) {
      ids.set(url, cached.id);
      continue;
    }
    let id = await readLinkId(trx, campaignId, url);
    for (let attempt = 0; id === undefined; attempt++) {
      if (attempt >= 20) throw new Error(`could not assign a link id in campaign ${campaignId} (too many concurrent inserts)`);
      const max = await trx.selectFrom('campaign_links').select((eb) => eb.fn.max('id').as('max')).where('campaign_id', '=', campaignId).executeTakeFirst();
      const next = Number(max?.max ?? 0) + 1;
      const result = await trx.insertInto('campaign_links')
        .values({ id: next, campaign_id: campaignId, workspace_id: workspaceId, url, created_at: nowIso() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
        if (cache.size < CACHED_LINKS_PER_CAMPAIGN) cache.set(url, { id: next, trx });
        id = next;
        break;
      }
      id = await readLinkId(trx, campaignId, url);
    }
    if ((cache.has(url) || cache.size < CACHED_LINKS_PER_CAMPAIGN) && cache.get(url)?.trx !== trx) cache.set(url, { id, trx: null });
    ids.set(url, id);
  }
  return ids;
}
