import type { Knex } from 'knex';
import { isDatabaseUnavailable } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/**
 * Whether the database answers, as the process last saw it. An outage is logged twice: once
 * when the first request or job finds the database gone (with that error), once when a query
 * succeeds again (with how long it was away). What fails in between is the 503 of each request,
 * logged on its own line, not another stack trace.
 */
export type DatabaseAvailability = {
  /** Takes note of a failure; returns whether it was the database being unreachable. */
  noteFailure(error: unknown): boolean;
  isAvailable(): boolean;
};

const watched = new WeakMap<Knex, DatabaseAvailability>();

/** The one watch of a database in this process (the app and the job runner share it). */
export function watchAvailability(db: Knex, logger: Logger, clock: () => number = Date.now): DatabaseAvailability {
  const existing = watched.get(db);
  if (existing) return existing;
  let unavailableSince: number | null = null;
  let failedRequests = 0;
  db.on('query-response', () => {
    if (unavailableSince === null) return;
    logger.info({ unavailableMs: clock() - unavailableSince, failedRequests }, 'database reachable again');
    unavailableSince = null;
    failedRequests = 0;
  });
  const availability: DatabaseAvailability = {
    noteFailure(error) {
      if (!isDatabaseUnavailable(error)) return false;
      failedRequests += 1;
      if (unavailableSince === null) {
        unavailableSince = clock();
        logger.error({ err: error }, 'database unreachable');
      }
      return true;
    },
    isAvailable: () => unavailableSince === null,
  };
  watched.set(db, availability);
  return availability;
}
