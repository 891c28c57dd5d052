import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { isDeadlock, isUniqueViolation } from '../lib/errors.js';

/** What a keyed piece of work gives: the id it made, and whether this request only repeated an earlier one. */
export type KeyedResult = { id: number; isRepeat: boolean };

/**
 * Does `work` once per idempotency key and purpose in the tenant (one table for the forms and the
 * API): the key is inserted in the work's own transaction, so a second request with it — a double
 * click, twenty at once, an API client's retry — waits for the first to commit, fails on the unique
 * key, and answers with what the first made. A first request that fails leaves no key behind, so
 * trying again works.
 * @param work runs inside the transaction; returns the id of what it made
 */
export async function doOnce(scope: Scope, purpose: string, key: string, work: (trx: Scope) => Promise<number>): Promise<KeyedResult> {
  if (scope.isTransaction) throw new Error('doOnce opens its own transaction: a repeat must be able to read what the first one committed');
  const earlier = await resultOf(scope, purpose, key);
  if (earlier !== null) return { id: earlier, isRepeat: true };
  try {
    const id = await scope.transaction(async (trx) => {
      const keyId = await trx.insert('idempotency_keys', { purpose, idempotency_key: key, result_id: null, created_at: toDatabaseTime(trx.now()) });
      const made = await work(trx);
      await trx.table('idempotency_keys').where('id', keyId).update({ result_id: made });
      return made;
    });
    return { id, isRepeat: false };
  } catch (error) {
    // The key's row was another request's: it committed (a unique violation) or MySQL chose this one
    // as the victim of the waiters' deadlock on the key. Either way, what the first made is there.
    if (isUniqueViolation(error) || isDeadlock(error)) {
      const made = await resultOf(scope, purpose, key);
      if (made !== null) return { id: made, isRepeat: true };
    }
    throw error;
  }
}

async function resultOf(scope: Scope, purpose: string, key: string): Promise<number | null> {
  const row = await scope.table('idempotency_keys').where({ purpose, idempotency_key: key }).whereNotNull('result_id').first('result_id');
  return row ? Number(row.result_id) : null;
}
