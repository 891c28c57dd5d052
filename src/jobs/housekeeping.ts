import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.js';
import { toDatabaseTime } from '../lib/time.js';
import { throttlePolicy } from '../models/login-throttle.js';

/** Deletes what has expired: sessions past their expiry, and sign-in counters nobody needs any more. */
export async function removeExpiredRows(db: Knex, now: Date): Promise<void> {
  const stamp = toDatabaseTime(now);
  await db('sessions').where('expires_at', '<=', stamp).delete();
  const forgotten = toDatabaseTime(new Date(now.getTime() - throttlePolicy.forgetAfterSeconds * 1000));
  const attemptsOver = toDatabaseTime(new Date(now.getTime() - 60 * 60 * 1000));
  await db('login_throttles')
    .where('last_failure_at', '<', forgotten)
    .andWhere((query) => query.whereNull('blocked_until').orWhere('blocked_until', '<=', stamp))
    // A counter with a sign-in in flight stays until it is settled (or long dead).
    .andWhere((query) => query.where('in_flight', 0).orWhereNull('in_flight_at').orWhere('in_flight_at', '<', attemptsOver))
    .delete();
}

/** Runs removeExpiredRows now and then in the background (every process may; the deletes are idempotent). */
export function startHousekeeping(db: Knex, logger: Logger, intervalMs = 15 * 60 * 1000): { stop(): void } {
  const run = () => removeExpiredRows(db, new Date()).catch((error: unknown) => logger.warn({ err: error }, 'housekeeping failed; will try again'));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
