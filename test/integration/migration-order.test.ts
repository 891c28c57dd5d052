import { afterAll, describe, expect, it } from 'vitest';
import { pendingMigrations } from '../../src/db/migrations.js';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.js';

describe('the list of migrations', () => {
  let database: EmptyDatabase | undefined;
  afterAll(async () => database?.drop());

  it('runs them in the order of their names, each name once', async () => {
    database = await emptyDatabase('sqlite');
    const names = await pendingMigrations(database.db);
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
  });
});
