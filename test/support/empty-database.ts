import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { inject, onTestFinished } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { migrateUpTo } from '../../src/db/migrations.js';
import type { DatabaseKind } from './environment.js';

export type EmptyDatabase = {
  db: Knex;
  /** Its URL on the MySQL server, for a process the test starts; undefined for SQLite. */
  url: string | undefined;
  drop(): Promise<void>;
};

/**
 * An empty database of its own, for a test that cannot share the run's (a migration test that
 * migrates step by step, a worker that sends every tenant's mail, a process whose counters no
 * other file may touch): a new SQLite file, or a new database on the run's MySQL server.
 */
export async function emptyDatabase(kind: DatabaseKind): Promise<EmptyDatabase> {
  if (kind === 'sqlite') {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-database-'));
    const db = createDatabase({ sqliteFile: path.join(folder, 'test.sqlite') });
    return { db, url: undefined, drop: async () => (await db.destroy(), rmSync(folder, { recursive: true, force: true })) };
  }
  const url = new URL(inject('mysqlUrl')!);
  const server = createDatabase({ databaseUrl: url.toString() });
  const name = `${url.pathname.slice(1)}_m${randomBytes(3).toString('hex')}`;
  await server.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  url.pathname = `/${name}`;
  const db = createDatabase({ databaseUrl: url.toString() });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      await server.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await server.destroy();
    },
  };
}

/** An empty database of its own migrated to just before `migration`, dropped when the test finishes (a migration's data test). */
export async function databaseBefore(kind: DatabaseKind, migration: string): Promise<Knex> {
  const database = await emptyDatabase(kind);
  onTestFinished(() => database.drop());
  await migrateUpTo(database.db, migration);
  return database.db;
}
