import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';

export type Database = Knex;

/**
 * Opens the database: MySQL/MariaDB through mysql2 when a URL is given, otherwise SQLite in the
 * data folder (WAL, foreign keys on). Times come back as strings on both (see lib/time.ts).
 */
export function createDatabase(options: { databaseUrl?: string | undefined; sqliteFile?: string; poolMax?: number }): Database {
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
    });
  }
  const file = options.sqliteFile ?? path.join('data', 'ebok.sqlite');
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    compileSqlOnError: false,
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

export function isMysql(db: Database | Knex.Transaction): boolean {
  return db.client.config.client === 'mysql2';
}

/** Checks that the database answers; used by /readyz. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.raw('select 1');
}
