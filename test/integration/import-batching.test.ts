import { expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { badRowsOf, csvText, importText, invoiceHeader, numberedCustomer, paymentHeader } from '../support/imports.js';

/** Invoices FV-<from>… spread over the customers, as an accounting system's export has them. */
const invoiceRows = (customers: Customer[], from: number, count: number) =>
  Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return [`FV-${index}`, customers[index % customers.length]!.customerNumber!, `FV/${index}/2026`, '2026-03-01', '2026-03-31', `${100 + (index % 50)},00`, 'PLN', `Abonament ${index}`];
  });

describeOnEachDatabase('imports of thousands of ledger rows (issue 20)', (env) => {
  async function tenantWithCustomers(count: number): Promise<{ tenant: TestTenant; customers: Customer[] }> {
    const tenant = await makeTenant(env.db);
    const customers: Customer[] = [];
    for (let index = 0; index < count; index += 1) customers.push(await numberedCustomer(env.db, tenant));
    return { tenant, customers };
  }

  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    let statements = 0;
    const listener = () => (statements += 1);
    env.db.on('query', listener);
    try {
      return { result: await work(), statements };
    } finally {
      env.db.off('query', listener);
    }
  }

  const importAndCount = (target: { tenant: TestTenant }, content: string, isDryRun = false) => statementsOf(() => importText(env.db, target.tenant, 'invoices', content, { isDryRun }));

  it('checks and writes 3,000 rows in statements that grow with its chunks of 1,000, not its rows', async () => {
    const small = await tenantWithCustomers(30);
    const large = await tenantWithCustomers(30);
    const smallRun = await importAndCount(small, csvText([invoiceHeader, ...invoiceRows(small.customers, 0, 1000)]));
    const largeRun = await importAndCount(large, csvText([invoiceHeader, ...invoiceRows(large.customers, 0, 3000)]));
    expect(smallRun.result).toMatchObject({ status: 'done', created: 1000 });
    expect(largeRun.result).toMatchObject({ status: 'done', created: 3000 });
    // Each chunk adds a lookup of its customers and of its keys in each pass, its progress, and its inserts of 200 rows.
    expect(largeRun.statements).toBeLessThan(100);
    expect(largeRun.statements - smallRun.statements).toBeLessThanOrEqual(2 * 15);
    const stored = await env.db('ledger_entries').where({ tenant_id: large.tenant.id, kind: 'invoice', status: 'approved' }).count({ total: '*' });
    expect(Number(stored[0]!.total)).toBe(3000);

    const dryRun = await importAndCount(large, csvText([invoiceHeader, ...invoiceRows(large.customers, 0, 3000)]), true);
    expect(dryRun.result).toMatchObject({ status: 'done', created: 0, unchanged: 3000 });
    expect(dryRun.statements).toBeLessThan(30);
  });

  it('allocates the payments of many customers in one pass and refuses a file with one bad row among thousands whole', async () => {
    const { tenant, customers } = await tenantWithCustomers(30);
    await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ...invoiceRows(customers, 0, 60)]));
    const payments = customers.map((customer, index) => [`P-${index}`, customer.customerNumber!, '2026-03-10', '100,00', 'przelew', `Wpłata ${index}`, `FV-${index}`]);
    const paid = await importText(env.db, tenant, 'payments', csvText([paymentHeader, ...payments]));
    expect(paid).toMatchObject({ status: 'done', created: 30 });
    // Each payment paid the invoice it names (100,00 of FV-<n>, whose amount is 100 + n zł).
    const allocations = await env.db('ledger_allocations').where('tenant_id', tenant.id).select('customer_id', 'amount');
    expect(allocations).toHaveLength(30);
    expect(allocations.every((row) => Number(row.amount) === 10_000)).toBe(true);

    const rows = invoiceRows(customers, 1000, 2500);
    rows[1700] = [...rows[1700]!.slice(0, 5), 'sto złotych', 'PLN', ''];
    const before = await env.db('ledger_entries').where('tenant_id', tenant.id).count({ total: '*' });
    const refused = await importText(env.db, tenant, 'invoices', csvText([invoiceHeader, ...rows]));
    expect(refused.status).toBe('refused');
    expect(badRowsOf(refused)).toEqual([[1702, 'imports:row.amount']]);
    const after = await env.db('ledger_entries').where('tenant_id', tenant.id).count({ total: '*' });
    expect(Number(after[0]!.total)).toBe(Number(before[0]!.total));
  });
});
