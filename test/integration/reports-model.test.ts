import { expect, it } from 'vitest';
import { pageFrom } from '../../src/lib/pagination.js';
import { agingReportBatches, listAgingReport, type AgingReportQuery } from '../../src/models/aging-report.js';
import { balanceReportBatches, listBalanceReport, type BalanceReportQuery } from '../../src/models/balance-report.js';
import { customerReportBatches, customerReportPage } from '../../src/models/customer-report.js';
import { statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, scopeFor, userScope } from '../support/factories.js';
import { agingEdgesFixture, reportDay, reportFixture, reportPeriod } from '../support/receivables.js';

const minor = (money: { minor: bigint }) => Number(money.minor);
const balanceQuery = (overrides: Partial<BalanceReportQuery> = {}): BalanceReportQuery => ({ ...reportPeriod, today: reportDay, search: '', caretaker: 'all', isOnlyOverdue: false, sort: 'name-asc', ...overrides });
const agingQuery = (overrides: Partial<AgingReportQuery> = {}): AgingReportQuery => ({ day: reportDay, search: '', caretaker: 'all', isOnlyOverdue: false, sort: 'name-asc', ...overrides });
const figures = (row: { opening: { minor: bigint }; charges: { minor: bigint }; payments: { minor: bigint }; credits: { minor: bigint }; closing: { minor: bigint }; overdue: { minor: bigint } }) => ({
  opening: minor(row.opening),
  charges: minor(row.charges),
  payments: minor(row.payments),
  credits: minor(row.credits),
  closing: minor(row.closing),
  overdue: minor(row.overdue),
});

describeOnEachDatabase('money reports: the sums (M5, M9)', (env) => {
  it('sums each customer’s period from approved entries only, and all customers together', async () => {
    const { tenant, alfa, beta, formula } = await reportFixture(env.db);
    const { rows, totals, pagination } = await listBalanceReport(scopeFor(env.db, tenant), balanceQuery(), pageFrom(1, 50));
    expect(rows.map((row) => row.id)).toEqual([formula.id, alfa.id, beta.id]);
    const byId = new Map(rows.map((row) => [row.id, figures(row)]));
    expect(byId.get(alfa.id)).toEqual({ opening: 60_000, charges: 55_000, payments: 30_000, credits: 10_000, closing: 75_000, overdue: 75_000 });
    expect(byId.get(beta.id)).toEqual({ opening: 123_045, charges: 0, payments: 0, credits: 0, closing: 123_045, overdue: 123_045 });
    expect(byId.get(formula.id)).toEqual({ opening: 0, charges: 0, payments: 0, credits: 0, closing: 0, overdue: 0 });
    expect(figures(totals)).toEqual({ opening: 183_045, charges: 55_000, payments: 30_000, credits: 10_000, closing: 198_045, overdue: 198_045 });
    expect(totals.customers).toBe(3);
    expect(pagination.total).toBe(3);
    expect(rows.find((row) => row.id === alfa.id)?.caretakerName).toBe('Karolina Zielińska');
  });

  it('filters by caretaker, name and what is overdue, sorts by amounts and pages', async () => {
    const { tenant, caretaker, alfa, beta } = await reportFixture(env.db);
    const scope = scopeFor(env.db, tenant);
    expect((await listBalanceReport(scope, balanceQuery({ caretaker: caretaker.id }), pageFrom(1, 50))).rows.map((row) => row.id)).toEqual([alfa.id]);
    expect((await listBalanceReport(scope, balanceQuery({ caretaker: 'none' }), pageFrom(1, 50))).rows.map((row) => row.id)).toEqual([beta.id]);
    expect((await listBalanceReport(scope, balanceQuery({ search: 'łódź' }), pageFrom(1, 50))).rows.map((row) => row.id)).toEqual([alfa.id]);
    const overdue = await listBalanceReport(scope, balanceQuery({ isOnlyOverdue: true, sort: 'closing-desc' }), pageFrom(1, 50));
    expect(overdue.rows.map((row) => row.id)).toEqual([beta.id, alfa.id]);
    expect(overdue.totals.customers).toBe(2);
    const second = await listBalanceReport(scope, balanceQuery({ sort: 'closing-asc' }), pageFrom(2, 2));
    expect(second.rows.map((row) => row.id)).toEqual([beta.id]);
    expect(second.pagination).toMatchObject({ page: 2, pages: 2, total: 3 });
    expect(minor(second.totals.closing)).toBe(198_045);
  });

  it('gives a caretaker only the customers they look after, in the rows and the totals', async () => {
    const { caretaker, alfa } = await reportFixture(env.db);
    const { rows, totals } = await listBalanceReport(userScope(env.db, caretaker), balanceQuery(), pageFrom(1, 50));
    expect(rows.map((row) => row.id)).toEqual([alfa.id]);
    expect(minor(totals.closing)).toBe(75_000);
  });

  it('ages a caretaker’s customers as an admin’s filter by that caretaker does, reading only their corrections and payments', async () => {
    const { tenant, caretaker } = await reportFixture(env.db);
    const asAdmin = await listAgingReport(scopeFor(env.db, tenant), agingQuery({ caretaker: caretaker.id }), pageFrom(1, 50));
    let asCaretaker: typeof asAdmin | undefined;
    const statements = await statementsDuring(env.db, async () => {
      asCaretaker = await listAgingReport(userScope(env.db, caretaker), agingQuery(), pageFrom(1, 50));
    });
    expect(asCaretaker!.rows.map((row) => [row.id, minor(row.total), minor(row.overdue)])).toEqual(asAdmin.rows.map((row) => [row.id, minor(row.total), minor(row.overdue)]));
    expect(minor(asCaretaker!.totals.total)).toBe(minor(asAdmin.totals.total));
    expect(asAdmin.rows.length).toBeGreaterThan(0);
    // The grouped subqueries of corrections and allocations carry the caretaker's reach (issue 20: not the tenant's ledger).
    const aging = statements.filter((sql) => sql.includes('ledger_allocations'));
    expect(aging.length).toBeGreaterThan(0);
    for (const sql of aging) {
      expect(sql).toMatch(/[`"]ledger_allocations[`"]\.[`"]customer_id[`"] in \(select [`"]customers[`"]\.[`"]id[`"] from [`"]customers[`"] where .*[`"]customers[`"]\.[`"]caretaker_id[`"] = /);
      expect(sql).toMatch(/[`"]corrections[`"]\.[`"]customer_id[`"] in \(select [`"]customers[`"]\.[`"]id[`"]/);
    }
  });

  it('streams every row of a filter in batches by name, whatever the batch size', async () => {
    const { tenant, alfa, beta, formula } = await reportFixture(env.db);
    const batches = [];
    for await (const batch of balanceReportBatches(scopeFor(env.db, tenant), balanceQuery(), 2)) batches.push(batch.map((row) => [row.id, minor(row.closing)]));
    expect(batches).toEqual([[[formula.id, 0], [alfa.id, 75_000]], [[beta.id, 123_045]]]);
    const overdueOnly = [];
    for await (const batch of balanceReportBatches(scopeFor(env.db, tenant), balanceQuery({ isOnlyOverdue: true }), 1)) overdueOnly.push(...batch.map((row) => row.id));
    expect(overdueOnly).toEqual([alfa.id, beta.id]);
  });

  it('reads customers of one name, in any letter case, once each across batch edges', async () => {
    const tenant = await makeTenant(env.db);
    const made = [];
    for (const name of ['Beta', 'beta', 'BETA', 'Alfa', 'Łuk', 'beta']) made.push((await makeCustomer(env.db, tenant, { name })).id);
    const seen: number[] = [];
    for await (const batch of balanceReportBatches(scopeFor(env.db, tenant), balanceQuery(), 1)) seen.push(...batch.map((row) => row.id));
    expect([...seen].sort((a, b) => a - b)).toEqual([...made].sort((a, b) => a - b));
    expect(seen[0]).toBe(made[3]);
  });

  it('lists one customer’s entries of the period with the running balance, across pages and batches', async () => {
    const { tenant, alfa } = await reportFixture(env.db);
    const scope = scopeFor(env.db, tenant);
    const whole = await customerReportPage(scope, alfa.id, reportPeriod, pageFrom(1, 50));
    expect(figures({ ...whole.summary, overdue: whole.summary.closing })).toMatchObject({ opening: 60_000, charges: 55_000, payments: 30_000, credits: 10_000, closing: 75_000 });
    expect(whole.entries.map((entry) => [entry.entryDate, entry.kind, entry.charge && minor(entry.charge), entry.credit && minor(entry.credit), minor(entry.balance)])).toEqual([
      ['2026-11-03', 'invoice', 50_000, null, 110_000],
      ['2026-11-10', 'correction', 5_000, null, 115_000],
      ['2026-11-12', 'correction', null, 10_000, 105_000],
      ['2026-11-20', 'payment', null, 30_000, 75_000],
    ]);
    const pageTwo = await customerReportPage(scope, alfa.id, reportPeriod, pageFrom(2, 3));
    expect(pageTwo.entries.map((entry) => minor(entry.balance))).toEqual([75_000]);
    const batches = [];
    for await (const batch of customerReportBatches(scope, alfa.id, reportPeriod, whole.summary.opening, 3)) batches.push(batch.map((entry) => minor(entry.balance)));
    expect(batches).toEqual([[110_000, 115_000, 105_000], [75_000]]);
  });

  it('puts invoices due on the buckets’ edge days in their buckets, per customer and in total', async () => {
    const tenant = await makeTenant(env.db);
    const edges = await agingEdgesFixture(env.db, tenant);
    await makeCustomer(env.db, tenant, { name: 'Bez długu' });
    const { rows, totals } = await listAgingReport(scopeFor(env.db, tenant), agingQuery(), pageFrom(1, 50));
    expect(rows.map((row) => row.id)).toEqual([edges.id]);
    const expected = { current: 100, days1to30: 600, days31to60: 2_400, days61to90: 9_600, over90: 12_800 };
    expect(Object.fromEntries(Object.entries(rows[0]!.buckets).map(([bucket, amount]) => [bucket, minor(amount)]))).toEqual(expected);
    expect(Object.fromEntries(Object.entries(totals.buckets).map(([bucket, amount]) => [bucket, minor(amount)]))).toEqual(expected);
    expect([minor(totals.overdue), minor(totals.total), totals.customers]).toEqual([25_400, 25_500, 1]);
  });

  it('ages what was left to pay on an earlier day, and what is left now', async () => {
    const { tenant, alfa, beta } = await reportFixture(env.db);
    const scope = scopeFor(env.db, tenant);
    const now = await listAgingReport(scope, agingQuery({ sort: 'overdue-desc' }), pageFrom(1, 50));
    expect(now.rows.map((row) => [row.id, minor(row.buckets.current), minor(row.buckets.days1to30), minor(row.buckets.days31to60), minor(row.overdue)])).toEqual([
      [beta.id, 0, 123_045, 0, 123_045],
      [alfa.id, 20_000, 55_000, 20_000, 75_000],
    ]);
    // On 15.11 FV/A/1 had 500,00 left (1 000 − 100 − 400: the payment of 20.11 came later), 26 days overdue; FV/A/2 was not due yet.
    const earlier = await listAgingReport(scope, agingQuery({ day: '2026-11-15', search: 'Alfa' }), pageFrom(1, 50));
    expect(earlier.rows.map((row) => [minor(row.buckets.current), minor(row.buckets.days1to30), minor(row.overdue)])).toEqual([[55_000, 50_000, 50_000]]);
    const batches = [];
    for await (const batch of agingReportBatches(scope, agingQuery(), 1)) batches.push(...batch.map((row) => row.id));
    expect(batches).toEqual([alfa.id, beta.id]);
  });
});
