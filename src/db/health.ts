import type { Knex } from 'knex';
import { pingDatabase } from './knex.js';
import { pendingMigrations } from './migrations.js';

export type Readiness = { isReady: true } | { isReady: false; reason: 'migrations pending'; pending: string[] } | { isReady: false; reason: 'database unreachable'; error: unknown };

/** Whether the database answers and its schema is current (GET /readyz). */
export async function databaseReadiness(db: Knex): Promise<Readiness> {
  try {
    await pingDatabase(db);
    const pending = await pendingMigrations(db);
    return pending.length > 0 ? { isReady: false, reason: 'migrations pending', pending } : { isReady: true };
  } catch (error) {
    return { isReady: false, reason: 'database unreachable', error };
  }
}
