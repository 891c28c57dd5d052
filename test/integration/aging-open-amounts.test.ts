import { expect, it } from 'vitest';
import { agingBucketOf, agingBuckets, daysFrom } from '../../src/lib/aging.js';
import { ValidationError } from '../../src/lib/errors.js';
import { moneyOf } from '../../src/lib/money.js';
import { allocateCustomers } from '../../src/models/ledger-allocation.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { agingTotals } from '../../src/models/receivables.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';
import { insertInBatches } from '../support/page-data.js';
import { toDatabaseTime } from '../../src/lib/time.js';

/** A repeatable sequence of numbers in [0, 1) (mulberry32), so a failure can be run again as it was. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayOf = (offset: number) => new Date(Date.parse('2026-08-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);
const reportDays = ['2026-08-20', '2026-09-30', '2026-10-15', '2026-11-30', '2026-12-01', '2027-01-10', '2027-06-30'];

type Figures = Record<string, number>;

/**
 * The aging worked out from the rows, as the report defines it (M9), with no help from the kept open
 * amounts: each approved invoice issued by `day`, with its approved corrections dated by then, less
 * what the approved payments dated by then paid of it as allocated now; by the days it is overdue.
 */
async function agingFromRows(env: TestEnvironment, tenant: TestTenant, day: string, customerIds: readonly number[]): Promise<Map<number, Figures>> {
  const entries: Array<Record<string, unknown>> = await env.db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' });
  const allocations: Array<Record<string, unknown>> = await env.db('ledger_allocations').where({ tenant_id: tenant.id });
  const dateOf = new Map(entries.map((entry) => [Number(entry.id), String(entry.entry_date).slice(0, 10)]));
  const result = new Map<number, Figures>();
  for (const invoice of entries.filter((entry) => entry.kind === 'invoice' && String(entry.entry_date).slice(0, 10) <= day && customerIds.includes(Number(entry.customer_id)))) {
    const id = Number(invoice.id);
    const corrections = entries.filter((entry) => Number(entry.corrects_entry_id) === id && String(entry.entry_date).slice(0, 10) <= day).reduce((sum, entry) => sum + Number(entry.amount), 0);
    const paid = allocations.filter((allocation) => Number(allocation.debit_entry_id) === id && (dateOf.get(Number(allocation.credit_entry_id)) ?? '9999') <= day).reduce((sum, allocation) => sum + Number(allocation.amount), 0);
    const outstanding = Number(invoice.amount) + corrections - paid;
    const figures = result.get(Number(invoice.customer_id)) ?? { ...Object.fromEntries(agingBuckets.map((bucket) => [bucket, 0])), overdue: 0 };
    if (outstanding > 0) {
      const overdueDays = daysFrom(String(invoice.due_date).slice(0, 10), day);
      figures[agingBucketOf(overdueDays)]! += outstanding;
      if (overdueDays > 0) figures.overdue! += outstanding;
    }
    result.set(Number(invoice.customer_id), figures);
  }
  return result;
}

/** agingTotals as figures by customer, customers with nothing at all left out (as the reference does not list them either when they have no invoice). */
async function agingFromQuery(query: Promise<Array<Record<string, unknown>>>): Promise<Map<number, Figures>> {
  const rows = await query;
  return new Map(rows.map((row) => [Number(row.customer_id), { ...Object.fromEntries(agingBuckets.map((bucket) => [bucket, Number(row[`bucket_${bucket}`])])), overdue: Number(row.overdue) }]));
}

/** Only customers with something in a bucket: an invoice fully paid gives the query no row where the reference has zeros. */
const withMoney = (figures: Map<number, Figures>) => new Map([...figures].filter(([, values]) => Object.values(values).some((value) => value !== 0)));

/** Every approved invoice keeps its amount after all its approved corrections, less all that stands allocated to it. */
async function expectOpenAmountsKept(env: TestEnvironment, tenant: TestTenant): Promise<void> {
  const invoices: Array<Record<string, unknown>> = await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'invoice', status: 'approved' }).orderBy('id');
  const corrections: Array<Record<string, unknown>> = await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'correction', status: 'approved' });
  const allocations: Array<Record<string, unknown>> = await env.db('ledger_allocations').where({ tenant_id: tenant.id });
  const kept = invoices.map((invoice) => [Number(invoice.id), invoice.open_amount === null ? null : Number(invoice.open_amount)]);
  const expected = invoices.map((invoice) => {
    const id = Number(invoice.id);
    const corrected = corrections.filter((entry) => Number(entry.corrects_entry_id) === id).reduce((sum, entry) => sum + Number(entry.amount), 0);
    const paid = allocations.filter((allocation) => Number(allocation.debit_entry_id) === id).reduce((sum, allocation) => sum + Number(allocation.amount), 0);
    return [id, Number(invoice.amount) + corrected - paid];
  });
  expect(kept).toEqual(expected);
}

describeOnEachDatabase('the aging read from the invoices’ kept open amounts (M9, issue 20)', (env) => {
  it('equals the aging worked out from every entry and allocation, on past, present and future days, for admins and caretakers', async () => {
    const tenant = await makeTenant(env.db);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const admin = await makeUser(env.db, tenant, 'admin');
    const customers = [
      await makeCustomer(env.db, tenant, { caretaker }),
      await makeCustomer(env.db, tenant, { caretaker }),
      await makeCustomer(env.db, tenant),
      await makeCustomer(env.db, tenant),
    ];
    const scope = scopeFor(env.db, tenant);
    const random = randomFrom(20261205);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const invoices: Array<{ id: number; customerId: number }> = [];
    const payments: Array<{ id: number; customerId: number }> = [];
    for (let step = 0; step < 150; step += 1) {
      const customer = pick(customers);
      const date = dayOf(Math.floor(random() * 180));
      const roll = random();
      if (roll < 0.4 || invoices.length === 0) {
        const { id } = await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(BigInt(1_000 + Math.floor(random() * 50_000)), 'PLN'), documentNumber: `FV/${step}`, issueDate: date, dueDate: dayOf(daysFrom('2026-08-01', date) + 14) }, { isApproved: true, source: 'import' });
        invoices.push({ id, customerId: customer.id });
      } else if (roll < 0.7) {
        const named = random() < 0.3 ? invoices.filter((invoice) => invoice.customerId === customer.id).at(-1)?.id : undefined;
        const { id } = await enterLedgerEntry(scope, { kind: 'payment', customerId: customer.id, amount: moneyOf(BigInt(500 + Math.floor(random() * 40_000)), 'PLN'), paidOn: date, method: 'transfer', paysEntryId: named ?? null }, { isApproved: true, source: 'import' });
        payments.push({ id, customerId: customer.id });
      } else {
        // A correction of an invoice (up or down) or of a payment (a returned transfer).
        const original = random() < 0.7 || payments.length === 0 ? pick(invoices) : pick(payments);
        const amount = BigInt(Math.floor(random() * 18_000) - 3_000 || 100);
        // One that would take its entry below zero is refused (422), as in the form: the ledger stays as it was.
        await enterLedgerEntry(scope, { kind: 'correction', correctsEntryId: original.id, amount: moneyOf(amount, 'PLN'), date, description: `Korekta ${step}` }, { isApproved: true, source: 'import' }).catch((error: unknown) => {
          if (!(error instanceof ValidationError)) throw error;
        });
      }
    }
    // The run has what the kept amounts must answer for: corrections of invoices, both ways, and of payments.
    const corrections: Array<{ amount: unknown; kind: string }> = await env.db('ledger_entries as corrections').join('ledger_entries as originals', 'originals.id', 'corrections.corrects_entry_id').where({ 'corrections.tenant_id': tenant.id, 'corrections.status': 'approved' }).select('corrections.amount', 'originals.kind');
    expect(corrections.filter((correction) => correction.kind === 'invoice' && Number(correction.amount) > 0).length).toBeGreaterThan(2);
    expect(corrections.filter((correction) => correction.kind === 'invoice' && Number(correction.amount) < 0).length).toBeGreaterThan(2);
    expect(corrections.filter((correction) => correction.kind === 'payment').length).toBeGreaterThan(0);
    await expectOpenAmountsKept(env, tenant);
    const everyone = customers.map((customer) => customer.id);
    const caretakers = customers.slice(0, 2).map((customer) => customer.id);
    for (const day of reportDays) {
      const reference = withMoney(await agingFromRows(env, tenant, day, everyone));
      expect(reference.size).toBeGreaterThan(day < '2026-09-01' ? 0 : 1);
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, admin), day)))).toEqual(reference);
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, caretaker), day)))).toEqual(withMoney(await agingFromRows(env, tenant, day, caretakers)));
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, admin), day, [customers[2]!.id])))).toEqual(withMoney(await agingFromRows(env, tenant, day, [customers[2]!.id])));
    }
  });

  it('keeps the open amounts of invoices allocated in batches (an import), from none kept before', async () => {
    const tenant = await makeTenant(env.db);
    const customers = [await makeCustomer(env.db, tenant), await makeCustomer(env.db, tenant)];
    const now = toDatabaseTime(new Date());
    await insertInBatches(env.db, 'ledger_entries', customers.flatMap((customer, index) => [
      { tenant_id: tenant.id, customer_id: customer.id, kind: 'invoice', status: 'approved', amount: 10_000, currency: 'PLN', document_number: `FV/A/${index}`, entry_date: '2026-10-01', due_date: '2026-10-15', source: 'import', entered_at: now },
      { tenant_id: tenant.id, customer_id: customer.id, kind: 'invoice', status: 'approved', amount: 7_000, currency: 'PLN', document_number: `FV/B/${index}`, entry_date: '2026-11-01', due_date: '2026-11-15', source: 'import', entered_at: now },
      { tenant_id: tenant.id, customer_id: customer.id, kind: 'payment', status: 'approved', amount: 12_500 + index, currency: 'PLN', entry_date: '2026-11-20', method: 'transfer', source: 'import', entered_at: now },
    ]));
    await scopeFor(env.db, tenant).transaction((trx) => allocateCustomers(trx, customers.map((customer) => customer.id)));
    await expectOpenAmountsKept(env, tenant);
    const open = await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'invoice' }).orderBy('id').pluck('open_amount');
    expect(open.map(Number)).toEqual([0, 4_500, 0, 4_499]);
    // Allocating again changes nothing: no new allocation, the same open amounts.
    const allocations = await env.db('ledger_allocations').where({ tenant_id: tenant.id }).count({ total: '*' });
    await scopeFor(env.db, tenant).transaction((trx) => allocateCustomers(trx, customers.map((customer) => customer.id)));
    expect(await env.db('ledger_allocations').where({ tenant_id: tenant.id }).count({ total: '*' })).toEqual(allocations);
    await expectOpenAmountsKept(env, tenant);
  });
});
