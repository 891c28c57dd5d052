import type { SystemWork } from '../db/installation.js';
import { z } from 'zod';
import { toDatabaseTime } from '../lib/time.js';
import { deleteFinishedJobs } from '../models/job.js';
import { throttlePolicy } from '../models/login-throttle.js';
import type { JobKind } from './kind.js';

/** Deletes what has expired: sessions past their expiry, and sign-in counters nobody needs any more. */
export async function removeExpiredRows(system: SystemWork): Promise<void> {
  const now = system.now();
  const stamp = toDatabaseTime(now);
  await system.acrossTenants('sessions').where('expires_at', '<=', stamp).delete();
  const forgotten = toDatabaseTime(new Date(now.getTime() - throttlePolicy.forgetAfterSeconds * 1000));
  const attemptsOver = toDatabaseTime(new Date(now.getTime() - 60 * 60 * 1000));
  await system.acrossTenants('login_throttles')
    .where('last_failure_at', '<', forgotten)
    .andWhere((query) => query.whereNull('blocked_until').orWhere('blocked_until', '<=', stamp))
    // A counter with a sign-in in flight stays until it is settled (or long dead).
    .andWhere((query) => query.where('in_flight', 0).orWhereNull('in_flight_at').orWhere('in_flight_at', '<', attemptsOver))
    .delete();
}

const day = 24 * 60 * 60 * 1000;
const noPayload = z.object({});

/**
 * 'housekeeping': scheduled system work, enqueued once every quarter of an hour by whichever
 * process asks first. Deletes expired rows, jobs done a week ago and jobs failed a month ago.
 */
export const housekeeping: JobKind<z.infer<typeof noPayload>> = {
  payload: noPayload,
  maxAttempts: 3,
  retryAfterSeconds: () => 60,
  leaseSeconds: 5 * 60,
  everySeconds: 15 * 60,
  async run(context) {
    const now = context.system.now();
    await removeExpiredRows(context.system);
    await deleteFinishedJobs(context.system, { done: new Date(now.getTime() - 7 * day), failed: new Date(now.getTime() - 30 * day) });
  },
};
