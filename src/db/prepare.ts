import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { migrateToLatest } from './migrations.js';

/**
 * Runs the migrations, waiting for a database that is not up yet (a container starting beside
 * us) instead of crashing: it retries every few seconds until it answers.
 */
export async function migrateWhenReachable(db: Knex, logger: Logger, options: { retryDelayMs?: number } = {}): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const applied = await migrateToLatest(db);
      if (applied.length > 0) logger.info({ applied }, 'database migrated');
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logger.warn({ attempt, err: error }, 'database not reachable yet; retrying');
      await sleep(options.retryDelayMs ?? 3000);
    }
  }
}
