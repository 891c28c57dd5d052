import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/lib/paths.js';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.js';
import { processEnvironment } from '../support/processes.js';

/**
 * The fault script itself, run briefly: on a database of its own on the run's MySQL server when
 * there is one (so the database cut is repeated too, and no other test file's sign-ins touch its
 * counters), else on SQLite. Every expectation it prints must be met.
 */
let database: EmptyDatabase | undefined;

beforeAll(async () => {
  if (inject('mysqlUrl')) database = await emptyDatabase('mysql');
});

afterAll(() => database?.drop());

it('repeats the faults of issue 19 and meets every expectation it prints', () => {
  const databaseUrl = database?.url;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/faults.ts'], {
    cwd: projectRoot,
    env: processEnvironment({ BENCH_DATABASE_URL: databaseUrl ?? '', FAULT_OUTAGE_SECONDS: '2', BENCH_CONCURRENCY: '4' }),
    encoding: 'utf8',
    timeout: 150_000,
  });
  const rows = run.stdout.split('\n').filter((line) => /\s(ok|FAIL)\s/.test(line));
  expect(rows.filter((row) => row.includes('FAIL')), run.stdout + run.stderr).toEqual([]);
  expect(run.status, run.stderr).toBe(0);
  const faults = new Set(rows.map((row) => row.slice(0, 30).trim().replace(/ \d+ s$/, '')));
  expect([...faults]).toEqual(['sign-ins 8 at once ×5', ...(databaseUrl ? ['database cut'] : []), 'a worker killed', 'SIGTERM under keep-alive load']);
}, 180_000);
