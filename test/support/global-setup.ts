import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlUrl: string | null;
  }
}

/**
 * With TEST_MYSQL_URL, makes a fresh database for this run on that server, migrates it, hands
 * its URL to every test file, and drops it at the end. In CI MySQL is mandatory.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = process.env.TEST_MYSQL_URL;
  if (!serverUrl) {
    if (process.env.CI === 'true') throw new Error('TEST_MYSQL_URL must be set when CI=true: the MySQL tests are mandatory in CI');
    console.warn('\n[eBOK tests] TEST_MYSQL_URL is not set: running on SQLite only. Set it (mysql://root@127.0.0.1:3306/test) to run on MySQL/MariaDB too.\n');
    project.provide('mysqlUrl', null);
    return undefined;
  }
  const databaseName = `ebok_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const server = createDatabase({ databaseUrl: serverUrl });
  await server.raw(`CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const db = createDatabase({ databaseUrl: url.toString() });
  await migrateToLatest(db);
  await db.destroy();
  project.provide('mysqlUrl', url.toString());
  return async () => {
    await server.raw(`DROP DATABASE IF EXISTS \`${databaseName}\``);
    await server.destroy();
  };
}
