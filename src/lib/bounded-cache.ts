/**
 * The value kept in `cache` under `key`, else `compute()`'s, kept there; a full cache (`max` entries) forgets its
 * oldest entry first. For values that are costly to derive and never change for their key (decoded keys, opened secrets).
 */
export function keptOrComputed<K, V>(cache: Map<K, V>, key: K, max: number, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute();
  if (cache.size >= max) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}
