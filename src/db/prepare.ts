import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { migrateToLatest, pendingMigrations } from './migrations.js';

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

/**
 * Waits until the schema is current: a worker started beside `npm start` leaves the migrations
 * to it (two processes migrating at once would fight over knex's lock), and waits for the
 * database too, retrying every few seconds.
 */
export async function waitForCurrentSchema(db: Knex, logger: Logger, options: { retryDelayMs?: number } = {}): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const pending = await pendingMigrations(db);
      if (pending.length === 0) return;
      if (attempt === 1) logger.info({ pending }, 'waiting for the migrations (npm start or npm run migrate)');
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt === 1) logger.warn({ err: error }, 'database not reachable yet; retrying');
    }
    await sleep(options.retryDelayMs ?? 3000);
  }
}
