import { expect, it, onTestFinished } from 'vitest';
import { agingBucketOf, agingBuckets, daysFrom } from '../../src/lib/aging.js';
import { ValidationError } from '../../src/lib/errors.js';
import { moneyOf } from '../../src/lib/money.js';
import { allocateCustomers } from '../../src/models/ledger-allocation.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { agingTotals } from '../../src/models/receivables.js';
import { listBalanceReport } from '../../src/models/balance-report.js';
import { approvePurge, purgeConfirmationOf, requestPurge } from '../../src/models/purge.js';
import { approveLedgerEntry } from '../../src/models/ledger.js';
import { pageFrom } from '../../src/lib/pagination.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import * as openAmountsMigration from '../../migrations/20261205_0900_ledger_open_amounts.js';
import * as balancesMigration from '../../migrations/20261205_0910_customer_ledger_balances.js';
import { emptyDatabase } from '../support/empty-database.js';
import type { Knex } from 'knex';
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

/**
 * A random ledger of four customers (two of a caretaker's), entered through the model's verbs:
 * invoices, payments naming an invoice or not, corrections up and down of invoices and of payments,
 * most entered approved (as imports are), some pending and approved afterwards by an admin.
 */
async function randomLedger(db: Knex, seed: number) {
  const tenant = await makeTenant(db);
  const caretaker = await makeUser(db, tenant, 'caretaker');
  const admin = await makeUser(db, tenant, 'admin');
  const customers = [await makeCustomer(db, tenant, { caretaker }), await makeCustomer(db, tenant, { caretaker }), await makeCustomer(db, tenant), await makeCustomer(db, tenant)];
  const scope = scopeFor(db, tenant);
  const random = randomFrom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const invoices: Array<{ id: number; customerId: number }> = [];
  const payments: Array<{ id: number; customerId: number }> = [];
  const pending: number[] = [];
  for (let step = 0; step < 150; step += 1) {
    const customer = pick(customers);
    const date = dayOf(Math.floor(random() * 180));
    const roll = random();
    // One in six waits for an admin's approval, which comes later in the run.
    const options = random() < 1 / 6 ? { source: 'manual' as const } : { isApproved: true, source: 'import' as const };
    const entered = (id: number) => (options.isApproved ? undefined : pending.push(id));
    if (roll < 0.4 || invoices.length === 0) {
      const { id } = await enterLedgerEntry(scope, { kind: 'invoice', customerId: customer.id, amount: moneyOf(BigInt(1_000 + Math.floor(random() * 50_000)), 'PLN'), documentNumber: `FV/${step}`, issueDate: date, dueDate: dayOf(daysFrom('2026-08-01', date) + 14) }, options);
      invoices.push({ id, customerId: customer.id });
      entered(id);
    } else if (roll < 0.7) {
      const named = random() < 0.3 ? invoices.filter((invoice) => invoice.customerId === customer.id).at(-1)?.id : undefined;
      // Naming an invoice that still waits for approval is refused (422): skipped.
      const entry = await enterLedgerEntry(scope, { kind: 'payment', customerId: customer.id, amount: moneyOf(BigInt(500 + Math.floor(random() * 40_000)), 'PLN'), paidOn: date, method: 'transfer', paysEntryId: named ?? null }, options).catch((error: unknown) => {
        if (!(error instanceof ValidationError)) throw error;
        return undefined;
      });
      if (entry) {
        payments.push({ id: entry.id, customerId: customer.id });
        entered(entry.id);
      }
    } else {
      // A correction of an invoice (up or down) or of a payment (a returned transfer).
      const original = random() < 0.7 || payments.length === 0 ? pick(invoices) : pick(payments);
      const amount = BigInt(Math.floor(random() * 18_000) - 3_000 || 100);
      // One that would take its entry below zero is refused (422), as in the form: the ledger stays as it was.
      await enterLedgerEntry(scope, { kind: 'correction', correctsEntryId: original.id, amount: moneyOf(amount, 'PLN'), date, description: `Korekta ${step}` }, { isApproved: true, source: 'import' }).catch((error: unknown) => {
        if (!(error instanceof ValidationError)) throw error;
      });
    }
    if (pending.length > 0 && random() < 0.15) {
      const id = pending.shift()!;
      const { version } = await db('ledger_entries').where({ tenant_id: tenant.id, id }).first('version');
      // An approval of an entry that is not pending any more, or one a correction now contradicts, is refused: skipped.
      await approveLedgerEntry(userScope(db, admin), id, Number(version)).catch(() => undefined);
    }
  }
  return { tenant, caretaker, admin, customers };
}

/** Every customer keeps the sum of its approved entries, payments taken off. */
async function expectBalancesKept(db: Knex, tenant: TestTenant): Promise<void> {
  const entries: Array<Record<string, unknown>> = await db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' });
  const customers: Array<Record<string, unknown>> = await db('customers').where({ tenant_id: tenant.id }).orderBy('id');
  expect(customers.map((customer) => [Number(customer.id), Number(customer.ledger_balance)])).toEqual(
    customers.map((customer) => [Number(customer.id), entries.filter((entry) => Number(entry.customer_id) === Number(customer.id)).reduce((sum, entry) => sum + (entry.kind === 'payment' ? -Number(entry.amount) : Number(entry.amount)), 0)]),
  );
}

/** The balance report's figures worked out from the rows (M5): before, within and at the end of the period. */
async function periodFromRows(db: Knex, tenant: TestTenant, period: { from: string; to: string }, customerIds: readonly number[]) {
  const entries: Array<Record<string, unknown>> = await db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved' });
  return customerIds.map((id) => {
    const own = entries.filter((entry) => Number(entry.customer_id) === id);
    const dated = (entry: Record<string, unknown>) => String(entry.entry_date).slice(0, 10);
    const signed = (entry: Record<string, unknown>) => (entry.kind === 'payment' ? -Number(entry.amount) : Number(entry.amount));
    const within = own.filter((entry) => dated(entry) >= period.from && dated(entry) <= period.to);
    return {
      id,
      opening: own.filter((entry) => dated(entry) < period.from).reduce((sum, entry) => sum + signed(entry), 0),
      charges: within.filter((entry) => entry.kind === 'invoice' || (entry.kind === 'correction' && Number(entry.amount) > 0)).reduce((sum, entry) => sum + Number(entry.amount), 0),
      payments: within.filter((entry) => entry.kind === 'payment').reduce((sum, entry) => sum + Number(entry.amount), 0),
      credits: within.filter((entry) => entry.kind === 'correction' && Number(entry.amount) < 0).reduce((sum, entry) => sum - Number(entry.amount), 0),
      closing: own.filter((entry) => dated(entry) <= period.to).reduce((sum, entry) => sum + signed(entry), 0),
    };
  });
}

describeOnEachDatabase('the aging and the balances read from what the ledger keeps (M5, M9, issue 20)', (env) => {
  it('equals the aging and the balance report worked out from every entry and allocation, on past, present and future days, for admins and caretakers', async () => {
    // Another tenant's ledger, which nothing below may touch.
    const other = await randomLedger(env.db, 7);
    const untouched = async () => [await env.db('ledger_entries').where('tenant_id', other.tenant.id).orderBy('id'), await env.db('customers').where('tenant_id', other.tenant.id).orderBy('id')];
    const before = await untouched();
    const { tenant, caretaker, admin, customers } = await randomLedger(env.db, 20261205);
    expect(await untouched()).toEqual(before);
    // The run has what the kept amounts must answer for: corrections of invoices, both ways, and of payments; entries approved later.
    const corrections: Array<{ amount: unknown; kind: string }> = await env.db('ledger_entries as corrections').join('ledger_entries as originals', 'originals.id', 'corrections.corrects_entry_id').where({ 'corrections.tenant_id': tenant.id, 'corrections.status': 'approved' }).select('corrections.amount', 'originals.kind');
    expect(corrections.filter((correction) => correction.kind === 'invoice' && Number(correction.amount) > 0).length).toBeGreaterThan(2);
    expect(corrections.filter((correction) => correction.kind === 'invoice' && Number(correction.amount) < 0).length).toBeGreaterThan(2);
    expect(corrections.filter((correction) => correction.kind === 'payment').length).toBeGreaterThan(0);
    expect(Number((await env.db('ledger_entries').where({ tenant_id: tenant.id, status: 'approved', source: 'manual' }).count({ total: '*' }).first())?.total)).toBeGreaterThan(3);
    // Purges of an approved payment, an invoice and a correction (each takes its allocations along): the kept figures follow.
    for (const kind of ['payment', 'invoice', 'correction'] as const) {
      const entry = await env.db('ledger_entries').where({ tenant_id: tenant.id, kind, status: 'approved' }).orderBy('id', 'desc').first('id');
      const target = { kind: 'ledger_entry' as const, id: Number(entry.id) };
      const requester = userScope(env.db, tenant.superadmin);
      const { confirmation } = await purgeConfirmationOf(requester, target);
      const request = await requestPurge(requester, target, confirmation);
      if (!request.isRun) await approvePurge(userScope(env.db, admin), request.id, 1);
      expect(await env.db('ledger_entries').where({ tenant_id: tenant.id, id: target.id }).first()).toBeUndefined();
    }
    await expectOpenAmountsKept(env, tenant);
    await expectBalancesKept(env.db, tenant);
    const everyone = customers.map((customer) => customer.id);
    const caretakers = customers.slice(0, 2).map((customer) => customer.id);
    for (const day of reportDays) {
      const reference = withMoney(await agingFromRows(env, tenant, day, everyone));
      expect(reference.size).toBeGreaterThan(day < '2026-09-01' ? 0 : 1);
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, admin), day)))).toEqual(reference);
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, caretaker), day)))).toEqual(withMoney(await agingFromRows(env, tenant, day, caretakers)));
      expect(withMoney(await agingFromQuery(agingTotals(userScope(env.db, admin), day, [customers[2]!.id])))).toEqual(withMoney(await agingFromRows(env, tenant, day, [customers[2]!.id])));
    }
    for (const period of [{ from: '2026-08-01', to: '2026-08-31' }, { from: '2026-10-01', to: '2026-11-15' }, { from: '2026-12-01', to: '2026-12-31' }, { from: '2027-02-01', to: '2027-02-28' }]) {
      for (const [actor, ids] of [[admin, everyone], [caretaker, caretakers]] as const) {
        const query = { search: '', caretaker: 'all' as const, isOnlyOverdue: false, from: period.from, to: period.to, today: '2026-12-01', sort: 'name-asc' as const };
        const { rows, totals } = await listBalanceReport(userScope(env.db, actor), query, pageFrom(1, 25));
        const shown = rows.map((row) => ({ id: row.id, opening: Number(row.opening.minor), charges: Number(row.charges.minor), payments: Number(row.payments.minor), credits: Number(row.credits.minor), closing: Number(row.closing.minor) }));
        const expected = await periodFromRows(env.db, tenant, period, ids);
        expect(shown.sort((a, b) => a.id - b.id)).toEqual(expected);
        expect(Number(totals.closing.minor)).toBe(expected.reduce((sum, row) => sum + row.closing, 0));
      }
    }
  });

  it('fills the open amounts and the balances of a ledger that had none, as the model keeps them (the migrations, run twice)', async () => {
    const database = await emptyDatabase(env.kind);
    onTestFinished(() => database.drop());
    await migrateToLatest(database.db);
    const { tenant } = await randomLedger(database.db, 99);
    await database.db('ledger_entries').where('tenant_id', tenant.id).update({ open_amount: null });
    await database.db('customers').where('tenant_id', tenant.id).update({ ledger_balance: 0 });
    for (let run = 0; run < 2; run += 1) {
      await openAmountsMigration.up(database.db);
      await balancesMigration.up(database.db);
    }
    await expectOpenAmountsKept({ db: database.db } as TestEnvironment, tenant);
    await expectBalancesKept(database.db, tenant);
    expect(await database.db('ledger_entries').where({ tenant_id: tenant.id }).whereNot({ kind: 'invoice', status: 'approved' }).whereNotNull('open_amount')).toEqual([]);
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
    await expectBalancesKept(env.db, tenant);
    // Allocating again changes nothing: no new allocation, the same open amounts.
    const allocations = await env.db('ledger_allocations').where({ tenant_id: tenant.id }).count({ total: '*' });
    await scopeFor(env.db, tenant).transaction((trx) => allocateCustomers(trx, customers.map((customer) => customer.id)));
    expect(await env.db('ledger_allocations').where({ tenant_id: tenant.id }).count({ total: '*' })).toEqual(allocations);
    await expectOpenAmountsKept(env, tenant);
  });
});
