import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openSystemWork } from '../src/db/installation.js';
import { systemClock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import { benchPassword, makeBenchTenant, openBenchDatabase } from './fixture.js';
import { signIn } from './http-load.js';

/**
 * `npm run bench:export`: BENCH_EXPORT_ROWS (100,000) customers in a fresh bench tenant (inserted
 * 500 a statement), then the app in a process of its own (export-app.ts) and the admin's
 * GET …/admin/exports/customers.csv, read as fast as loopback allows: the time to the first byte and
 * to the last, rows a second, and the app's RSS (from /proc) idle before the export and at its peak
 * during it. SQLite in a fresh folder, or BENCH_DATABASE_URL=mysql://…
 */
const rows = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const here = path.dirname(fileURLToPath(import.meta.url));

async function seed(): Promise<{ slug: string; dataDirectory: string }> {
  const { config, db } = await openBenchDatabase('export');
  const slug = await makeBenchTenant(db, 'exp');
  const system = openSystemWork(db, systemClock, 'bench export');
  const tenant = (await findAnyTenantBySlug(system, slug))!;
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const started = performance.now();
  for (let start = 0; start < rows; start += 500) {
    const batch = Array.from({ length: Math.min(500, rows - start) }, (_, offset) => {
      const number = start + offset;
      return { tenant_id: tenant.id, name: `Klient ${number} sp. z o.o.`, customer_number: `E/${number}`, tax_country: 'PL', street: `ul. Długa ${number % 300}`, postal_code: '00-950', city: 'Łódź', email: `klient${number}@example.test`, is_active: true, created_at: now, updated_at: now };
    });
    await system.acrossTenants('customers').insert(batch);
  }
  console.log(`${rows} customers inserted in ${((performance.now() - started) / 1000).toFixed(1)} s (${config.databaseUrl ? 'MySQL/MariaDB' : 'SQLite'})`);
  await db.destroy();
  return { slug, dataDirectory: config.dataDirectory };
}

const residentKilobytes = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Reads a GET to its end, discarding the bytes; resolves with the time to the first byte and to the end, in ms, and the lines. */
function download(port: number, urlPath: string, cookie: string): Promise<{ status: number; firstByte: number; total: number; lines: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: urlPath, headers: { Cookie: cookie } }, (res) => {
      let firstByte = 0;
      let lines = 0;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        firstByte ||= performance.now() - started;
        bytes += chunk.length;
        for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, firstByte, total: performance.now() - started, lines, bytes }));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const { slug, dataDirectory } = await seed();
  const app = spawn(process.execPath, [...(process.env.BENCH_APP_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_APP_PROFILE] : []), '--import', 'tsx', path.join(here, 'export-app.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_DATA_DIRECTORY: dataDirectory } });
  try {
    const { port } = await new Promise<{ port: number }>((resolve, reject) => {
      createInterface({ input: app.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
      app.once('exit', (code) => reject(new Error(`the app stopped before it listened (exit code ${code})`)));
    });
    const cookie = await signIn(port, slug, 'admin', benchPassword);
    await download(port, `/${slug}/staff`, cookie);
    await download(port, `/${slug}/admin/exports/invoices.csv`, cookie);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = residentKilobytes(app.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, residentKilobytes(app.pid!))), 20);
    const result = await download(port, `/${slug}/admin/exports/customers.csv`, cookie);
    clearInterval(sampler);
    const dataLines = result.lines - 1;
    console.log(`customers.csv: HTTP ${result.status}, ${dataLines} rows, ${(result.bytes / 1e6).toFixed(1)} MB, first byte after ${result.firstByte.toFixed(0)} ms, all after ${(result.total / 1000).toFixed(2)} s: ${Math.round(dataLines / (result.total / 1000))} rows a second`);
    console.log(`app RSS: idle ${(idle / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB during the export (+${((peak - idle) / 1024).toFixed(0)} MB)`);
  } finally {
    app.kill();
    await new Promise((resolve) => app.once("exit", resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
