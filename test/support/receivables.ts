import type { Knex } from 'knex';
import { daysBefore } from '../../src/lib/aging.js';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry, rejectLedgerEntry } from '../../src/models/ledger.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, userScope, type TestTenant } from './factories.js';

/** The day the reports of these fixtures are made on, and the period they cover. */
export const reportDay = '2026-12-01';
export const reportPeriod = { from: '2026-11-01', to: '2026-11-30' };

const pln = (minor: number) => moneyOf(minor, 'PLN');

async function invoice(db: Knex, tenant: TestTenant, customerId: number, amount: number, issueDate: string, dueDate: string, documentNumber: string): Promise<number> {
  return (await enterLedgerEntry(scopeFor(db, tenant), { kind: 'invoice', customerId, amount: pln(amount), documentNumber, issueDate, dueDate }, { isApproved: true, source: 'import' })).id;
}

async function payment(db: Knex, tenant: TestTenant, customerId: number, amount: number, paidOn: string, reference: string): Promise<number> {
  return (await enterLedgerEntry(scopeFor(db, tenant), { kind: 'payment', customerId, amount: pln(amount), paidOn, method: 'transfer', reference }, { isApproved: true, source: 'import' })).id;
}

/**
 * A tenant whose customer "Alfa" (looked after by a caretaker) has, for November 2026:
 * opening 600,00 (FV/A/1 1 000,00 due 20.10, paid 400,00 on 25.10); charges 550,00 (FV/A/2 500,00
 * due 17.11 and a correction of it +50,00); a credit of 100,00 (a correction of FV/A/1); a payment of
 * 300,00 (to FV/A/1); a pending payment of 1 000,00 and a rejected one of 70,00 that must not count;
 * closing 750,00. On 1.12.2026 FV/A/1 has 200,00 left, 42 days overdue (31–60), FV/A/2 550,00, 14
 * days (1–30), and FV/A/3 (issued 1.12, due 15.12) 200,00 is current: overdue 750,00.
 * "Beta" (no caretaker) owes 1 230,45 on FV/B/1, due 2.11 (29 days, 1–30), issued in October:
 * opening 1 230,45, nothing in November. "=HYPERLINK" owes nothing.
 */
export async function reportFixture(db: Knex) {
  const tenant = await makeTenant(db, { name: 'Żółta Firma' });
  const caretaker = await makeUser(db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
  const otherCaretaker = await makeUser(db, tenant, 'caretaker');
  const admin = await makeUser(db, tenant, 'admin');
  const alfa = await makeCustomer(db, tenant, { name: 'Alfa Łódź', caretaker });
  const beta = await makeCustomer(db, tenant, { name: 'Beta' });
  const formula = await makeCustomer(db, tenant, { name: '=HYPERLINK("http://evil.test","x")', caretaker: otherCaretaker });
  const first = await invoice(db, tenant, alfa.id, 100_000, '2026-10-05', '2026-10-20', 'FV/A/1');
  await payment(db, tenant, alfa.id, 40_000, '2026-10-25', 'przelew 1');
  const second = await invoice(db, tenant, alfa.id, 50_000, '2026-11-03', '2026-11-17', 'FV/A/2');
  await enterLedgerEntry(scopeFor(db, tenant), { kind: 'correction', correctsEntryId: second, amount: pln(5_000), date: '2026-11-10', description: 'doliczona dostawa' }, { isApproved: true, source: 'import' });
  await enterLedgerEntry(scopeFor(db, tenant), { kind: 'correction', correctsEntryId: first, amount: pln(-10_000), date: '2026-11-12', description: 'rabat' }, { isApproved: true, source: 'import' });
  await payment(db, tenant, alfa.id, 30_000, '2026-11-20', 'przelew 2');
  await enterLedgerEntry(userScope(db, admin), { kind: 'payment', customerId: alfa.id, amount: pln(100_000), paidOn: '2026-11-25', method: 'cash' });
  const rejected = await enterLedgerEntry(userScope(db, admin), { kind: 'payment', customerId: alfa.id, amount: pln(7_000), paidOn: '2026-11-26', method: 'cash' });
  await rejectLedgerEntry(userScope(db, tenant.superadmin), rejected.id, 1, 'pomyłka');
  await invoice(db, tenant, alfa.id, 20_000, '2026-12-01', '2026-12-15', 'FV/A/3');
  await invoice(db, tenant, beta.id, 123_045, '2026-10-20', '2026-11-02', 'FV/B/1');
  return { tenant, caretaker, otherCaretaker, admin, alfa, beta, formula };
}

/**
 * A customer with one invoice due on each edge of the aging buckets on reportDay: 0 days overdue
 * (1,00), 1 (2,00), 30 (4,00), 31 (8,00), 60 (16,00), 61 (32,00), 90 (64,00) and 91 (128,00).
 * Buckets: current 1,00; 1–30 6,00; 31–60 24,00; 61–90 96,00; over 90 128,00.
 */
export async function agingEdgesFixture(db: Knex, tenant: TestTenant, name = 'Krawędzie') {
  const customer = await makeCustomer(db, tenant, { name });
  const edges = [0, 1, 30, 31, 60, 61, 90, 91];
  for (const [index, days] of edges.entries()) await invoice(db, tenant, customer.id, 100 * 2 ** index, '2026-01-01', daysBefore(reportDay, days), `FV/E/${days}`);
  return customer;
}
