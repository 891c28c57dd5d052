import { isDeadlock } from '../lib/errors.js';

/**
 * Runs one statement that runs on its own (no transaction around it), again if MySQL/MariaDB picks
 * it as a deadlock's victim: the victim was rolled back whole, so running it again is safe. Rows
 * that many requests insert, update and delete at once meet this: a row deleted by one request
 * and inserted again by two others at the same moment is the usual case (the sign-in counters).
 * Never for a statement inside a transaction: the victim's whole transaction is gone.
 */
export async function retryingDeadlocks<T>(statement: () => PromiseLike<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
    }
  }
}
