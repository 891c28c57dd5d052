import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { projectRoot } from '../../src/lib/paths.js';

/**
 * The fault script itself, run briefly: on a database of its own on the run's MySQL server when
 * there is one (so the database cut is repeated too, and no other test file's sign-ins touch its
 * counters), else on SQLite. Every expectation it prints must be met.
 */
const serverUrl = inject('mysqlUrl');
let databaseUrl: string | undefined;

beforeAll(async () => {
  if (!serverUrl) return;
  const url = new URL(serverUrl);
  url.pathname = `/ebok_faults_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const server = createDatabase({ databaseUrl: serverUrl, poolMax: 1 });
  await server.raw(`CREATE DATABASE \`${url.pathname.slice(1)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await server.destroy();
  databaseUrl = url.toString();
});

afterAll(async () => {
  if (!serverUrl || !databaseUrl) return;
  const server = createDatabase({ databaseUrl: serverUrl, poolMax: 1 });
  await server.raw(`DROP DATABASE IF EXISTS \`${new URL(databaseUrl).pathname.slice(1)}\``);
  await server.destroy();
});

it('repeats the faults of issue 19 and meets every expectation it prints', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/faults.ts'], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? '', FAULT_OUTAGE_SECONDS: '2', BENCH_CONCURRENCY: '4' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  const rows = run.stdout.split('\n').filter((line) => /\s(ok|FAIL)\s/.test(line));
  expect(rows.filter((row) => row.includes('FAIL')), run.stdout + run.stderr).toEqual([]);
  expect(run.status, run.stderr).toBe(0);
  const faults = new Set(rows.map((row) => row.slice(0, 30).trim().replace(/ \d+ s$/, '')));
  expect([...faults]).toEqual(['sign-ins 8 at once ×5', ...(databaseUrl ? ['database cut'] : []), 'a worker killed', 'SIGTERM under keep-alive load']);
}, 180_000);
