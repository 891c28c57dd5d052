import path from 'node:path';
import { openSystemWork } from '../src/db/installation.js';
import { projectRoot } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import { openBenchDatabase, makeBenchTenant } from './fixture.js';
import { timedImport, writeInvoices } from './import-file.js';

/**
 * `npm run bench:import`: a file of BENCH_IMPORT_ROWS (100,000) invoices of 1,000 customers is
 * imported by `npm run cli -- import` three times (a dry run, the import, then again finding every row unchanged), each under
 * /usr/bin/time, which prints the wall time and the peak RSS of the process. SQLite in a fresh
 * folder, or BENCH_DATABASE_URL=mysql://…
 */
const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const customers = 1000;

async function main(): Promise<void> {
  const { config, db } = await openBenchDatabase('import');
  const slug = await makeBenchTenant(db, 'imp');
  const system = openSystemWork(db, systemClock, 'bench import');
  const tenant = (await findAnyTenantBySlug(system, slug))!;
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  for (let start = 0; start < customers; start += 200) {
    const batch = Array.from({ length: 200 }, (_, index) => ({ tenant_id: tenant.id, name: `Klient ${start + index}`, customer_number: `B/${start + index}`, is_active: true, created_at: now, updated_at: now }));
    await system.acrossTenants('customers').insert(batch);
  }
  await db.destroy();
  const file = path.join(path.dirname(config.sqliteFile ?? path.join(projectRoot, 'data', 'x')), 'invoices.csv');
  const env = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', BASE_URL: 'http://127.0.0.1', DATA_DIR: path.dirname(config.sqliteFile ?? ''), DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' };
  console.log(`${rows} invoice rows, ${customers} customers, ${config.databaseUrl ? 'MySQL/MariaDB' : 'SQLite'}`);
  const numbers = Array.from({ length: customers }, (_, index) => `B/${index}`);
  await writeInvoices(file, rows, numbers);
  const runs: Array<[string, boolean]> = [
    ['dry run', true],
    ['first import', false],
    ['second import (all unchanged)', false],
  ];
  for (const [run, isDryRun] of runs) {
    const timed = await timedImport(file, slug, env, isDryRun);
    console.log(`${run}: TIME ${timed.seconds ?? '?'} s, peak RSS ${timed.peakKilobytes ?? '?'} KB; ${timed.verdict}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
