import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import type { Logger } from '../lib/logger.js';

export type Database = Knex;

/**
 * Opens the database: MySQL/MariaDB through mysql2 when a URL is given, otherwise SQLite in the
 * data folder (WAL, foreign keys on). Times come back as strings on both (see lib/time.ts).
 */
export function createDatabase(options: { databaseUrl?: string | undefined; sqliteFile?: string; poolMax?: number; logger?: Logger }): Database {
  const log = knexLog(options.logger);
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    return knex({
      client: 'mysql2',
      connection: {
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.replace(/^\//, '')),
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: true,
        supportBigNumbers: true,
        connectTimeout: 5000,
      },
      pool: { min: 0, max: options.poolMax ?? 10 },
      acquireConnectionTimeout: 5000,
      // Bound values (session ids, hashes) stay out of error messages and so out of the log.
      compileSqlOnError: false,
      log,
    });
  }
  const file = options.sqliteFile ?? path.join('data', 'ebok.sqlite');
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    compileSqlOnError: false,
    log,
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: { pragma(sql: string): unknown }, done: (error: Error | null, connection: unknown) => void) {
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma('busy_timeout = 5000');
        connection.pragma('synchronous = NORMAL');
        done(null, connection);
      },
    },
  });
}

const connectionNoise = /^(Acquire connection error|Connection Error)/;

/**
 * knex's own messages, which it would print as plain text on stdout. A lost connection is said
 * once per failed query (thousands in an outage); the outage itself is logged by availability.ts
 * and each request's 503 by its log line, so those messages go to debug. Anything else is a warning.
 */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  const warn = (message: unknown) => {
    const text = String(message).split('\n')[0]!.slice(0, 500);
    if (connectionNoise.test(text)) logger?.debug({ knex: text }, 'database connection lost');
    else if (logger) logger.warn({ knex: text }, 'knex warning');
    else console.warn(text);
  };
  return { warn, error: warn, deprecate: (method: string, alternative: string) => warn(`${method} is deprecated, use ${alternative}`), debug: () => {} };
}

export function isMysql(db: Database | Knex.Transaction): boolean {
  return db.client.config.client === 'mysql2';
}

/** Checks that the database answers; used by /readyz. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.raw('select 1');
}
