import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';
import { csvText, invoiceHeader, numberedCustomer } from '../support/imports.js';
import { cliWorkspace, runCli } from '../support/processes.js';

for (const kind of databaseKinds()) {
  describe(`import on the command line [${kind}]`, () => {
    const workspace = cliWorkspace(kind, 'ebok-import-cli-');
    const { folder, variables, database } = workspace;
    afterAll(() => workspace.close());

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
      const dryRun = await runCli(['import', '--tenant', tenant.slug, '--kind', 'invoices', invoices, '--dry-run'], variables);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toContain('checking: 1000 of 1200 rows, 0 bad');
      expect(dryRun.stdout).toContain('Dry run: the file would import. 1200 rows: 1200 new, 0 changed, 0 unchanged, 0 bad.');
      expect(await db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);

      const real = await runCli(['import', '--tenant', tenant.slug, '--kind', 'invoices', invoices], variables);
      expect(real.code, real.stderr).toBe(0);
      expect(real.stdout).toContain('Imported. 1200 rows: 1200 new');
      expect(await db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' })).toHaveLength(1200);
      const again = await runCli(['import', '--tenant', tenant.slug, '--kind', 'invoices', invoices], variables);
      expect(again.stdout).toContain('Imported. 1200 rows: 0 new, 0 changed, 1200 unchanged, 0 bad.');
      expect(await db('imports').where('tenant_id', tenant.id).orderBy('id').pluck('status')).toEqual(['done', 'done', 'done']);
    }, 120_000);

    it('prints bad rows in the tenant’s language and exits 1, and 2 for an unknown tenant or kind', async () => {
      const db = await database();
      const tenant = await makeTenant(db);
      const bad = file('bad.csv', csvText([invoiceHeader, ['FV-1', 'NIEMA', 'FV/1', '2026-03-01', '2026-03-31', '10,00', '', '']]));
      const refused = await runCli(['import', '--tenant', tenant.slug, '--kind', 'invoices', bad], variables);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('line 2: Żaden klient nie ma numeru NIEMA.');
      expect(refused.stdout).toContain('Refused: nothing was written.');
      expect(await db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);
      expect((await runCli(['import', '--tenant', 'no-such-tenant', '--kind', 'invoices', bad], variables)).code).toBe(2);
      expect((await runCli(['import', '--tenant', tenant.slug, '--kind', 'orders', bad], variables)).code).toBe(2);
    }, 120_000);
  });
}
