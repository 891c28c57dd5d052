import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { projectRoot } from '../../src/lib/paths.js';
import { databaseKinds } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';
import { csvText, invoiceHeader, numberedCustomer } from '../support/imports.js';
import { processEnvironment } from '../support/processes.js';

/** `npm run cli -- import …` as a real process. */
function importOnCommandLine(args: string[], variables: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', ...args], { cwd: projectRoot, env: processEnvironment(variables), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

for (const kind of databaseKinds()) {
  describe(`import on the command line [${kind}]`, () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ebok-import-cli-'));
    const variables = { DATA_DIR: folder, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: kind === 'mysql' ? inject('mysqlUrl')! : '' };
    let db: Knex | undefined;

    afterAll(async () => {
      await db?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });

    async function database(): Promise<Knex> {
      db ??= createDatabase(kind === 'mysql' ? { databaseUrl: variables.DATABASE_URL } : { sqliteFile: path.join(folder, 'ebok.sqlite') });
      await migrateToLatest(db);
      return db;
    }

    function file(name: string, text: string): string {
      const filePath = path.join(folder, name);
      writeFileSync(filePath, text);
      return filePath;
    }

    it('checks a file in a dry run, imports it with progress, and finds nothing to do the second time (exit 0)', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const { customerNumber } = await numberedCustomer(db, tenant);
      const invoices = file('good.csv', csvText([invoiceHeader, ...Array.from({ length: 1200 }, (_, index) => [`FV-${index}`, customerNumber!, `FV/${index}`, '2026-03-01', '2026-03-31', '10,00', '', ''])]));
      const dryRun = await importOnCommandLine(['--tenant', tenant.slug, '--kind', 'invoices', invoices, '--dry-run'], variables);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toContain('checking: 1000 of 1200 rows, 0 bad');
      expect(dryRun.stdout).toContain('Dry run: the file would import. 1200 rows: 1200 new, 0 changed, 0 unchanged, 0 bad.');
      expect(await db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);

      const real = await importOnCommandLine(['--tenant', tenant.slug, '--kind', 'invoices', invoices], variables);
      expect(real.code, real.stderr).toBe(0);
      expect(real.stdout).toContain('Imported. 1200 rows: 1200 new');
      expect(await db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' })).toHaveLength(1200);
      const again = await importOnCommandLine(['--tenant', tenant.slug, '--kind', 'invoices', invoices], variables);
      expect(again.stdout).toContain('Imported. 1200 rows: 0 new, 0 changed, 1200 unchanged, 0 bad.');
      expect(await db('imports').where('tenant_id', tenant.id).orderBy('id').pluck('status')).toEqual(['done', 'done', 'done']);
    }, 120_000);

    it('prints bad rows in the tenant’s language and exits 1, and 2 for an unknown tenant or kind', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const bad = file('bad.csv', csvText([invoiceHeader, ['FV-1', 'NIEMA', 'FV/1', '2026-03-01', '2026-03-31', '10,00', '', '']]));
      const refused = await importOnCommandLine(['--tenant', tenant.slug, '--kind', 'invoices', bad], variables);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('line 2: Żaden klient nie ma numeru NIEMA.');
      expect(refused.stdout).toContain('Refused: nothing was written.');
      expect(await db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);
      expect((await importOnCommandLine(['--tenant', 'no-such-tenant', '--kind', 'invoices', bad], variables)).code).toBe(2);
      expect((await importOnCommandLine(['--tenant', tenant.slug, '--kind', 'orders', bad], variables)).code).toBe(2);
    }, 120_000);
  });
}
