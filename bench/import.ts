import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { openSystemWork } from '../src/db/installation.js';
import { projectRoot } from '../src/lib/paths.js';
import { systemClock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import { openBenchDatabase, makeBenchTenant } from './fixture.js';

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
  await writeInvoices(file);
  const env = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', BASE_URL: 'http://127.0.0.1', DATA_DIR: path.dirname(config.sqliteFile ?? ''), DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' };
  console.log(`${rows} invoice rows, ${customers} customers, ${config.databaseUrl ? 'MySQL/MariaDB' : 'SQLite'}`);
  const runs: Array<[string, string[]]> = [
    ['dry run', ['--dry-run']],
    ['first import', []],
    ['second import (all unchanged)', []],
  ];
  for (const [run, options] of runs) console.log(`${run}: ${await timedImport(file, slug, env, options, run)}`);
}

async function writeInvoices(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('external_id;customer_number;number;issue_date;due_date;amount;currency;description\r\n');
  for (let row = 0; row < rows; row += 1) {
    const day = String((row % 28) + 1).padStart(2, '0');
    const line = `FV-${row};B/${row % customers};FV/${row}/2026;2026-03-${day};2026-04-${day};${(row % 5000) + 1},${String(row % 100).padStart(2, '0')};PLN;Abonament ${row}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** One CLI import under /usr/bin/time; BENCH_IMPORT_PROFILE=<folder> adds a CPU profile of each run there. */
function timedImport(file: string, slug: string, env: NodeJS.ProcessEnv, options: string[], run: string): Promise<string> {
  const profile = process.env.BENCH_IMPORT_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(process.env.BENCH_IMPORT_PROFILE, run.split(' ')[0]!)] : [];
  const child = spawn('/usr/bin/time', ['-f', 'TIME %e s, peak RSS %M KB', process.execPath, ...profile, '--import', 'tsx', 'src/cli/index.ts', 'import', '--tenant', slug, '--kind', 'invoices', ...options, file], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.once('close', () => {
      const lines = output.trim().split('\n');
      const verdict = lines.find((line) => /^(Imported|Refused|Failed|Dry run)/.test(line)) ?? output.trim().slice(-500);
      resolve(`${lines.find((line) => line.startsWith('TIME')) ?? '?'}; ${verdict}`);
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
