import { describe, expect, it } from 'vitest';
import { retryingDeadlocks } from '../../src/db/scope.js';
import { createTestEnvironment, databaseKinds } from '../support/environment.js';

/**
 * A real deadlock of MariaDB, as sign-ins at once meet it: a row inserted but not yet committed,
 * three others inserting the same key wait for it, and when it is rolled back, all three would
 * insert: MariaDB makes two of them deadlock victims. SQLite runs one write at a time and has none.
 */
const hasMysql = databaseKinds().includes('mysql');
// Without TEST_MYSQL_URL the global set-up says loudly that MySQL is not covered; this suite is then skipped by name.
describe.skipIf(!hasMysql)('statements retried on a deadlock [mysql] (needs TEST_MYSQL_URL)', () => {
  async function threeInsertsAfterARollback(insertOf: (insert: () => PromiseLike<unknown>) => Promise<unknown>) {
    const env = await createTestEnvironment('mysql');
    try {
      const key = `deadlock-test-${Date.now()}-${Math.random()}`;
      const holder = await env.db.transaction();
      await holder('login_throttles').insert({ throttle_key: key, failures: 0, last_failure_at: '2026-01-01 00:00:00', in_flight: 0 });
      const insert = () => env.db('login_throttles').insert({ throttle_key: key, failures: 0, last_failure_at: '2026-01-01 00:00:00', in_flight: 1 }).onConflict('throttle_key').ignore();
      const outcomes = Promise.allSettled([insertOf(insert), insertOf(insert), insertOf(insert)]);
      // The three wait for the holder's row; then it goes away under them.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.rollback();
      const settled = await outcomes;
      const rows = await env.db('login_throttles').where('throttle_key', key);
      await env.db('login_throttles').where('throttle_key', key).delete();
      return { settled, rows };
    } finally {
      await env.close?.();
    }
  }

  it('meets a real deadlock without the retry (so the test below shows something)', async () => {
    const { settled } = await threeInsertsAfterARollback((insert) => Promise.resolve(insert()));
    const codes = settled.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as { code?: string }).code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['ER_LOCK_DEADLOCK']));
  });

  it('runs a deadlock’s victim again, so every statement succeeds and the row is there once', async () => {
    const { settled, rows } = await threeInsertsAfterARollback((insert) => retryingDeadlocks(insert));
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(rows).toHaveLength(1);
  });

  it('lets any other error through at once', async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' }));
    };
    await expect(retryingDeadlocks(failing)).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(calls).toBe(1);
  });
});
