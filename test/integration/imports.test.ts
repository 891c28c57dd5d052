import { expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { moneyOf } from '../../src/lib/money.js';
import { runImport } from '../../src/models/import-run.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, scopeFor } from '../support/factories.js';
import { badRowsOf, csvText, importText, invoiceHeader, numberedCustomer, paymentHeader } from '../support/imports.js';

/** Windows-1250 bytes of a text (the letters this test uses). */
function windows1250(text: string): Buffer {
  const table: Record<string, number> = { ą: 0xb9, ę: 0xea, ł: 0xb3, ń: 0xf1, ó: 0xf3, ś: 0x9c, ź: 0x9f, ż: 0xbf, Ł: 0xa3, Ż: 0xaf, Ś: 0x8c };
  return Buffer.from(Array.from(text).map((character) => table[character] ?? character.charCodeAt(0)));
}

describeOnEachDatabase('importing invoices and payments', (env) => {
  const ledgerRows = (tenantId: number) => env.db('ledger_entries').where('tenant_id', tenantId).orderBy('id');

  it('lists every bad row of a dry run with its line and reason, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await numberedCustomer(env.db, tenant);
    const otherTenant = await makeTenant(env.db);
    const stranger = await numberedCustomer(env.db, otherTenant);
    const number = customer.customerNumber!;
    const file = csvText([
      invoiceHeader,
      ['FV-1', number, 'FV/1', '2026-03-01', '2026-03-15', '100,00', 'PLN', 'Abonament'],
      ['FV-2', number, 'FV/2', '2026-03-01', '2026-03-15', '-5,00', '', ''],
      ['FV-3', number, 'FV/3', '2026-02-30', '2026-03-15', '10', '', ''],
      ['FV-4', number, 'FV/4', '2026-03-20', '2026-03-15', '10', '', ''],
      ['FV-5', 'NO-SUCH', 'FV/5', '2026-03-01', '2026-03-15', '10', '', ''],
      ['FV-1', number, 'FV/6', '2026-03-01', '2026-03-15', '10', '', ''],
      ['FV-7', number, 'FV/7', '2026-03-01', '2026-03-15', '10', 'EUR', ''],
      ['FV-8', stranger.customerNumber!, 'FV/8', '2026-03-01', '2026-03-15', '10', '', ''],
    ]);
    const outcome = await importText(env.db, tenant, 'invoices', file, { isDryRun: true });
    expect(outcome.status).toBe('refused');
    expect(badRowsOf(outcome)).toEqual([
      [3, 'imports:row.amountPositive'],
      [4, 'imports:row.date'],
      [5, 'imports:row.dueBeforeIssue'],
      [7, 'imports:row.duplicate'],
      [8, 'imports:row.currency'],
      [6, 'imports:row.customerUnknown'],
      [9, 'imports:row.customerUnknown'],
    ]);
    expect(outcome).toMatchObject({ rowsTotal: 8, rowsDone: 8, errorCount: 7, created: 1, unchanged: 0 });
    expect(await ledgerRows(tenant.id)).toEqual([]);
    expect(await ledgerRows(otherTenant.id)).toEqual([]);
  });

  it('writes nothing of a real import that has one bad row', async () => {
    const tenant = await makeTenant(env.db);
    const { customerNumber } = await numberedCustomer(env.db, tenant);
    const rows = Array.from({ length: 1500 }, (_, index) => [`FV-${index}`, customerNumber!, `FV/${index}`, '2026-03-01', '2026-03-15', '10,00', '', '']);
    rows[1200]![5] = '10,001';
    const outcome = await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ...rows]));
    expect(outcome.status).toBe('refused');
    expect(badRowsOf(outcome)).toEqual([[1202, 'imports:row.amount']]);
    expect(await ledgerRows(tenant.id)).toEqual([]);
  });

  it('imports a good file approved and allocated, and the same file again changes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await numberedCustomer(env.db, tenant);
    const number = customer.customerNumber!;
    const invoices = csvText([invoiceHeader, ['FV-1', number, 'FV/1', '2026-03-01', '2026-03-31', '300,00', '', ''], ['FV-2', number.toLowerCase(), 'FV/2', '01.02.2026', '28.02.2026', '200.00', 'PLN', 'Serwis']]);
    expect(await importText(env.db, tenant, 'invoices', invoices)).toMatchObject({ status: 'done', created: 2, unchanged: 0, errorCount: 0 });
    // The payment names the newer invoice, which it pays first; the rest goes to the oldest one due.
    const payments = csvText([paymentHeader, ['KP-1', number, '2026-03-10', '350,00', 'przelew', 'Przelew FV/1', 'FV-1']]);
    expect(await importText(env.db, tenant, 'payments', payments)).toMatchObject({ status: 'done', created: 1 });

    const entries = await ledgerRows(tenant.id);
    expect(entries.map((entry) => [entry.external_id, entry.kind, entry.status, entry.source, String(entry.amount)])).toEqual([
      ['FV-1', 'invoice', 'approved', 'import', '30000'],
      ['FV-2', 'invoice', 'approved', 'import', '20000'],
      ['KP-1', 'payment', 'approved', 'import', '35000'],
    ]);
    const allocations = await env.db('ledger_allocations').where('tenant_id', tenant.id).orderBy('id');
    expect(allocations.map((row) => [row.debit_entry_id, String(row.amount)])).toEqual([
      [entries[0]!.id, '30000'],
      [entries[1]!.id, '5000'],
    ]);

    expect(await importText(env.db, tenant, 'invoices', invoices)).toMatchObject({ status: 'done', created: 0, changed: 0, unchanged: 2 });
    expect(await importText(env.db, tenant, 'payments', payments)).toMatchObject({ status: 'done', created: 0, unchanged: 1 });
    expect(await ledgerRows(tenant.id)).toHaveLength(3);
    expect(await env.db('ledger_allocations').where('tenant_id', tenant.id)).toHaveLength(2);
  });

  it('rolls back a whole import when a row turns bad between the check and the writing', async () => {
    const tenant = await makeTenant(env.db);
    const customer = await numberedCustomer(env.db, tenant);
    const rows = Array.from({ length: 1500 }, (_, index) => [`FV-${index}`, customer.customerNumber!, `FV/${index}`, '2026-03-01', '2026-03-31', '10,00', '', '']);
    const file = Buffer.from(csvText([invoiceHeader, ...rows]));
    const scope = scopeFor(env.db, tenant);
    let isTaken = false;
    const outcome = await runImport(scope, 'invoices', async () => Readable.from([file]), {
      isDryRun: false,
      // Once the check has passed, the API (say) enters FV-1400 with another amount before the import writes.
      onProgress: async (progress) => {
        if (progress.phase !== 'checking' || progress.rowsDone < 1500 || isTaken) return;
        isTaken = true;
        await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(999, 'PLN'), documentNumber: 'FV/1400', issueDate: '2026-03-01', dueDate: '2026-03-31', externalId: 'FV-1400' }, { isApproved: true, source: 'api' });
      },
    });
    expect(outcome).toMatchObject({ status: 'refused', created: 0, errorCount: 1 });
    expect(badRowsOf(outcome)).toEqual([[1402, 'imports:row.approvedDiffers']]);
    expect((await ledgerRows(tenant.id)).map((entry) => entry.external_id)).toEqual(['FV-1400']);
  });

  it('refuses a row that would change an approved entry, and one naming an invoice of another customer', async () => {
    const tenant = await makeTenant(env.db);
    const [first, second] = [await numberedCustomer(env.db, tenant), await numberedCustomer(env.db, tenant)];
    await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ['FV-1', first.customerNumber!, 'FV/1', '2026-03-01', '2026-03-31', '300,00', '', '']]));
    const changed = await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ['FV-1', first.customerNumber!, 'FV/1', '2026-03-01', '2026-03-31', '310,00', '', '']]));
    expect(badRowsOf(changed)).toEqual([[2, 'imports:row.approvedDiffers']]);
    const foreign = await importText(env.db, tenant, 'payments', csvText([paymentHeader, ['KP-1', second.customerNumber!, '2026-03-10', '10', 'cash', '', 'FV-1']]));
    expect(badRowsOf(foreign)).toEqual([[2, 'imports:row.invoiceUnknown']]);
    expect((await ledgerRows(tenant.id)).map((entry) => String(entry.amount))).toEqual(['30000']);
  });

  it('reads a Windows-1250 file with Polish letters and decimal commas', async () => {
    const tenant = await makeTenant(env.db);
    const { customerNumber } = await numberedCustomer(env.db, tenant, 'ŁÓDŹ/1');
    const file = windows1250(csvText([invoiceHeader, ['FV-1', 'łódź/1', 'FV/1', '2026-03-01', '2026-03-31', '1 234,56', '', 'Usługa żurawia, śruby']]));
    expect(await importText(env.db, tenant, 'invoices', file)).toMatchObject({ status: 'done', created: 1 });
    const [entry] = await ledgerRows(tenant.id);
    expect(customerNumber).toBe('ŁÓDŹ/1');
    expect(entry).toMatchObject({ description: 'Usługa żurawia, śruby', document_number: 'FV/1' });
    expect(String(entry.amount)).toBe('123456');
  });

  it('fails a file without a required column, naming it, and writes nothing', async () => {
    const tenant = await makeTenant(env.db);
    const outcome = await importText(env.db, tenant, 'payments', 'external_id;customer_number;date;amount\r\nKP-1;K/1;2026-03-01;10\r\n');
    expect(outcome).toMatchObject({ status: 'failed', failure: { key: 'imports:file.columnMissing', values: { column: 'method' } } });
  });
});

describeOnEachDatabase('importing customers', (env) => {
  const header = ['customer_number', 'name', 'tax_country', 'tax_id', 'city', 'email', 'caretaker_email'];

  it('creates customers by number, updates only the fields that differ, and changes nothing the second time', async () => {
    const tenant = await makeTenant(env.db);
    const existing = await numberedCustomer(env.db, tenant, 'K/1');
    await env.db('customers').where('id', existing.id).update({ city: 'Kraków', email: 'stare@example.test', phone: '+48 600 100 200' });
    const caretakerEmail = 'opiekun@example.test';
    await env.db('users').where('id', tenant.superadmin.id).update({ email: caretakerEmail });
    const file = csvText([header, ['k/1', existing.name, 'PL', '123-456-32-18', 'Kraków', 'nowe@example.test', ''], ['K/2', 'Żuraw S.A.', 'PL', '', 'Łódź', '', caretakerEmail.toUpperCase()]]);
    const dryRun = await importText(env.db, tenant, 'customers', file, { isDryRun: true });
    expect(dryRun).toMatchObject({ status: 'done', created: 1, changed: 1, unchanged: 0, examples: { created: [{ line: 3, key: 'K/2' }], changed: [{ line: 2, key: 'K/1', fields: ['tax_id', 'email'] }] } });
    expect(await env.db('customers').where('tenant_id', tenant.id)).toHaveLength(1);

    expect(await importText(env.db, tenant, 'customers', file)).toMatchObject({ status: 'done', created: 1, changed: 1 });
    const rows = await env.db('customers').where('tenant_id', tenant.id).orderBy('id');
    expect(rows.map((row) => [row.customer_number, row.name, row.tax_id, row.city, row.email, row.phone, row.caretaker_id, row.version])).toEqual([
      ['K/1', existing.name, '1234563218', 'Kraków', 'nowe@example.test', '+48 600 100 200', null, 2],
      ['K/2', 'Żuraw S.A.', null, 'Łódź', null, null, tenant.superadmin.id, 1],
    ]);
    expect(await importText(env.db, tenant, 'customers', file)).toMatchObject({ status: 'done', created: 0, changed: 0, unchanged: 2 });
  });

  it('refuses an unknown caretaker, a bad NIP and a repeated number, each on its line', async () => {
    const tenant = await makeTenant(env.db);
    const file = csvText([header, ['K/1', 'Alfa', 'PL', '1234563219', '', '', ''], ['K/2', 'Beta', 'PL', '', '', '', 'nobody@example.test'], ['k/2', 'Beta bis', 'PL', '', '', '', '']]);
    const outcome = await importText(env.db, tenant, 'customers', file);
    expect(badRowsOf(outcome)).toEqual([[2, 'imports:row.nip'], [4, 'imports:row.duplicate'], [3, 'imports:row.caretakerUnknown']]);
    expect(await env.db('customers').where('tenant_id', tenant.id)).toEqual([]);
  });
});
