/**
 * The process's small caches (the tenants by slug, the sessions' read expiries, the kept configuration,
 * the start page's overdue figures) are Maps kept to a size: each entry set as the newest, the oldest
 * giving way when the limit is reached (a Map iterates in the order of insertion).
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  if (map.size >= limit) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** A kept promise that fails is forgotten (the next request tries again), unless another entry took its key meanwhile. */
export function forgetIfFailed<K, V>(map: Map<K, V>, key: K, entry: V, promise: Promise<unknown>): void {
  promise.catch(() => {
    if (map.get(key) === entry) map.delete(key);
  });
}
