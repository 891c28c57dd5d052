import { expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/errors.js';
import { moneyOf } from '../../src/lib/money.js';
import { approveLedgerEntry, enterLedgerEntry, findLedgerEntry, rejectLedgerEntry, type NewInvoice, type NewPayment } from '../../src/models/ledger.js';
import { duesOf } from '../../src/models/customer-balance.js';
import { saveSettings } from '../../src/models/settings.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from '../support/factories.js';

const pln = (minor: number | string) => moneyOf(minor, 'PLN');

async function ledgerSetting(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const admin = await makeUser(env.db, tenant, 'admin');
  const secondAdmin = await makeUser(env.db, tenant, 'admin');
  const customer = await makeCustomer(env.db, tenant);
  return { tenant, admin, secondAdmin, customer, asAdmin: userScope(env.db, admin), asSecond: userScope(env.db, secondAdmin) };
}

const invoiceOf = (customerId: number, amount: number, dueDate: string, number = `FV/${amount}`): NewInvoice => ({ kind: 'invoice', customerId, amount: pln(amount), documentNumber: number, issueDate: '2026-11-01', dueDate });
const paymentOf = (customerId: number, amount: number, extra: Partial<NewPayment> = {}): NewPayment => ({ kind: 'payment', customerId, amount: pln(amount), paidOn: '2026-11-20', method: 'transfer', reference: 'przelew', ...extra });

const allocationsOf = (env: TestEnvironment, tenant: TestTenant) => env.db('ledger_allocations').where('tenant_id', tenant.id).orderBy('id').select('credit_entry_id', 'debit_entry_id', 'amount');
const amounts = (rows: Array<{ credit_entry_id: number; debit_entry_id: number; amount: unknown }>) => rows.map((row) => [Number(row.credit_entry_id), Number(row.debit_entry_id), Number(row.amount)]);

describeOnEachDatabase('the ledger', (env) => {
  it('keeps a payment pending until another admin approves it, then allocates it to the invoice due first', async () => {
    const { tenant, customer, asAdmin, asSecond } = await ledgerSetting(env);
    const later = await enterLedgerEntry(scopeFor(env.db, tenant), invoiceOf(customer.id, 30_000, '2026-12-31'), { isApproved: true, source: 'import' });
    const sooner = await enterLedgerEntry(scopeFor(env.db, tenant), invoiceOf(customer.id, 10_000, '2026-11-30'), { isApproved: true, source: 'import' });
    const payment = await enterLedgerEntry(asAdmin, paymentOf(customer.id, 25_000));
    expect(await findLedgerEntry(asAdmin, payment.id)).toMatchObject({ status: 'pending', amount: { minor: 25_000n, currency: 'PLN' } });
    expect(await allocationsOf(env, tenant)).toEqual([]);

    // The tenant's default: the person who entered it may not approve it.
    await expect(approveLedgerEntry(asAdmin, payment.id, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await approveLedgerEntry(asSecond, payment.id, 1);
    expect(amounts(await allocationsOf(env, tenant))).toEqual([
      [payment.id, sooner.id, 10_000],
      [payment.id, later.id, 15_000],
    ]);
    // Decided once: a second approval (a double click, another admin) changes nothing.
    await expect(approveLedgerEntry(asSecond, payment.id, 1)).rejects.toBeInstanceOf(ConflictError);
    expect(await allocationsOf(env, tenant)).toHaveLength(2);
    const actions = await env.db('audit_log').where('tenant_id', tenant.id).where('action', 'like', 'ledger_entry.%').orderBy('id').pluck('action');
    expect(actions).toEqual(['ledger_entry.entered', 'ledger_entry.entered', 'ledger_entry.entered', 'ledger_entry.approved']);
  });

  it('lets the person who entered a payment approve it when the tenant allows that', async () => {
    const { tenant, customer, asAdmin } = await ledgerSetting(env);
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'payments.approval': 'self' });
    const payment = await enterLedgerEntry(asAdmin, paymentOf(customer.id, 100));
    await approveLedgerEntry(asAdmin, payment.id, 1);
    expect((await findLedgerEntry(asAdmin, payment.id)).status).toBe('approved');
  });

  it('rejects with a reason; a rejected payment never counts and cannot be approved after', async () => {
    const { tenant, customer, asAdmin, asSecond } = await ledgerSetting(env);
    await enterLedgerEntry(scopeFor(env.db, tenant), invoiceOf(customer.id, 5_000, '2026-11-30'), { isApproved: true });
    const payment = await enterLedgerEntry(asAdmin, paymentOf(customer.id, 5_000));
    await expect(rejectLedgerEntry(asSecond, payment.id, 1, '  ')).rejects.toBeInstanceOf(ValidationError);
    await rejectLedgerEntry(asSecond, payment.id, 1, 'Wpłata innego klienta');
    expect(await findLedgerEntry(asAdmin, payment.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Wpłata innego klienta' });
    await expect(approveLedgerEntry(asSecond, payment.id, 2)).rejects.toBeInstanceOf(ConflictError);
    expect(await allocationsOf(env, tenant)).toEqual([]);
  });

  it('enters one payment for twenty identical concurrent submissions of one form', async () => {
    const { tenant, customer, asAdmin } = await ledgerSetting(env);
    const results = await Promise.all(Array.from({ length: 20 }, () => enterLedgerEntry(asAdmin, paymentOf(customer.id, 4_200), { idempotencyKey: 'form-7f3a' })));
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(results.filter((result) => !result.isRepeat)).toHaveLength(1);
    expect(await env.db('ledger_entries').where({ tenant_id: tenant.id, kind: 'payment' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('refuses what is not money the ledger can hold, writing nothing', async () => {
    const { tenant, customer, asAdmin } = await ledgerSetting(env);
    const refusals: Array<[() => Promise<unknown>, string]> = [
      [() => enterLedgerEntry(asAdmin, paymentOf(customer.id, 0)), 'amount'],
      [() => enterLedgerEntry(asAdmin, paymentOf(customer.id, -100)), 'amount'],
      [() => enterLedgerEntry(asAdmin, { ...paymentOf(customer.id, 100), amount: moneyOf(100, 'EUR') }), 'amount'],
      [() => enterLedgerEntry(asAdmin, { ...invoiceOf(customer.id, 100, '2026-10-01') }), 'dueDate'],
      [() => enterLedgerEntry(asAdmin, paymentOf(customer.id, 100, { paysEntryId: 999_999 })), 'paysEntryId'],
    ];
    for (const [refusal, field] of refusals) {
      const error = await refusal().catch((caught: unknown) => caught);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual([field]);
    }
    expect(await env.db('ledger_entries').where('tenant_id', tenant.id)).toEqual([]);
  });

  it('fixes an approved invoice by a correction pointing at it, and moves the freed payment to the next invoice', async () => {
    const { tenant, customer, asAdmin, asSecond } = await ledgerSetting(env);
    const system = scopeFor(env.db, tenant);
    const first = await enterLedgerEntry(system, invoiceOf(customer.id, 10_000, '2026-11-15'), { isApproved: true });
    const second = await enterLedgerEntry(system, invoiceOf(customer.id, 4_000, '2026-11-30'), { isApproved: true });
    const payment = await enterLedgerEntry(system, paymentOf(customer.id, 10_000), { isApproved: true });
    const correction = await enterLedgerEntry(asAdmin, { kind: 'correction', correctsEntryId: first.id, amount: pln(-3_000), date: '2026-11-25', description: 'Rabat' });
    await approveLedgerEntry(asSecond, correction.id, 1);
    expect(amounts(await allocationsOf(env, tenant))).toEqual([
      [payment.id, first.id, 10_000],
      [payment.id, first.id, -3_000],
      [payment.id, second.id, 3_000],
    ]);
    // The original is as it was: approved entries are never updated.
    expect(await findLedgerEntry(asAdmin, first.id)).toMatchObject({ status: 'approved', amount: { minor: 10_000n }, version: 1 });
    // A correction of a correction, or of what is not approved, is refused.
    await expect(enterLedgerEntry(asAdmin, { kind: 'correction', correctsEntryId: correction.id, amount: pln(100), date: '2026-11-26', description: 'x' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lets only admins keep the ledger, and shows a client only the approved entries of its own customer', async () => {
    const { tenant, customer, asAdmin } = await ledgerSetting(env);
    const caretaker = await makeUser(env.db, tenant, 'caretaker');
    const client = await makeUser(env.db, tenant, 'client', { customer });
    const stranger = await makeUser(env.db, tenant, 'client');
    await expect(enterLedgerEntry(userScope(env.db, caretaker), paymentOf(customer.id, 100))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(enterLedgerEntry(userScope(env.db, client), paymentOf(customer.id, 100))).rejects.toBeInstanceOf(ForbiddenError);
    const pending = await enterLedgerEntry(asAdmin, paymentOf(customer.id, 100));
    const approved = await enterLedgerEntry(scopeFor(env.db, tenant), invoiceOf(customer.id, 100, '2026-11-30'), { isApproved: true });
    await expect(findLedgerEntry(userScope(env.db, client), pending.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await findLedgerEntry(userScope(env.db, client), approved.id)).id).toBe(approved.id);
    await expect(findLedgerEntry(userScope(env.db, stranger), approved.id)).rejects.toBeInstanceOf(NotFoundError);
    const otherTenant = await makeTenant(env.db);
    await expect(findLedgerEntry(scopeFor(env.db, otherTenant), approved.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describeOnEachDatabase('what a customer owes', (env) => {
  it('sums the balance and lists open invoices with what is left of each and the days overdue, in one query each', async () => {
    const { tenant, customer, asAdmin } = await ledgerSetting(env);
    const system = scopeFor(env.db, tenant);
    const overdue = await enterLedgerEntry(system, invoiceOf(customer.id, 10_000, '2026-11-20', 'FV/1'), { isApproved: true });
    const upcoming = await enterLedgerEntry(system, invoiceOf(customer.id, 5_000, '2026-12-15', 'FV/2'), { isApproved: true });
    await enterLedgerEntry(system, invoiceOf(customer.id, 2_000, '2026-12-20', 'FV/3'), { isApproved: true }).then((paidInFull) =>
      enterLedgerEntry(system, paymentOf(customer.id, 2_000, { paysEntryId: paidInFull.id }), { isApproved: true }),
    );
    await enterLedgerEntry(system, paymentOf(customer.id, 4_000), { isApproved: true });
    await enterLedgerEntry(asAdmin, paymentOf(customer.id, 99_999)); // pending: counts nowhere
    await enterLedgerEntry(system, { kind: 'correction', correctsEntryId: upcoming.id, amount: pln(500), date: '2026-11-26', description: 'Dopłata' }, { isApproved: true });

    const client = await makeUser(env.db, tenant, 'client', { customer });
    for (const scope of [asAdmin, userScope(env.db, client)]) {
      const dues = await duesOf(scope, customer.id, '2026-12-01');
      expect(dues.balance).toEqual(pln(10_000 + 5_000 + 500 + 2_000 - 2_000 - 4_000));
      expect(dues.open.map((invoice) => [invoice.id, invoice.documentNumber, Number(invoice.amount.minor), Number(invoice.outstanding.minor), invoice.daysOverdue])).toEqual([
        [overdue.id, 'FV/1', 10_000, 6_000, 11],
        [upcoming.id, 'FV/2', 5_500, 5_500, 0],
      ]);
      expect(dues).toMatchObject({ dueTotal: pln(11_500), overdueTotal: pln(6_000), nextDueDate: '2026-12-15' });
    }
    const stranger = await makeUser(env.db, tenant, 'client');
    await expect(duesOf(userScope(env.db, stranger), customer.id, '2026-12-01')).rejects.toBeInstanceOf(NotFoundError);
  });
});
