import type { Scope } from '../db/scope.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { duesOf, type CustomerDues } from './customer-balance.js';
import { toLedgerEntry, type LedgerEntry } from './ledger.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/** What paid part of an entry: the paying entry and how much of it went there. */
export type Allocation = { creditEntryId: number; debitEntryId: number; amount: Money };

export type CustomerLedger = CustomerDues & { entries: LedgerEntry[]; allocations: Allocation[]; isTruncated: boolean };

/** The most entries the staff's ledger tab lists; older ones are in the payments list and the reports. */
const entryLimit = 500;

/**
 * A customer's ledger for staff (M1): the balance and open invoices with what is overdue, every
 * entry with its status (latest first), and which payments paid which invoices (the stored allocation).
 * @throws NotFoundError when the customer is out of the actor's reach
 */
export async function customerLedgerOf(scope: Scope, customerId: number, today: string): Promise<CustomerLedger> {
  const dues = await duesOf(scope, customerId, today);
  const currency = (await findScopeTenant(scope)).currency;
  const [entryRows, allocationRows] = await Promise.all([
    visibleLedgerEntries(scope).where('ledger_entries.customer_id', customerId).orderBy([{ column: 'ledger_entries.entry_date', order: 'desc' }, { column: 'ledger_entries.id', order: 'desc' }]).limit(entryLimit + 1).select('ledger_entries.*'),
    scope.table('ledger_allocations').where('ledger_allocations.customer_id', customerId).orderBy('ledger_allocations.id').select('credit_entry_id', 'debit_entry_id', 'amount'),
  ]);
  return {
    ...dues,
    entries: entryRows.slice(0, entryLimit).map(toLedgerEntry),
    isTruncated: entryRows.length > entryLimit,
    allocations: allocationRows.map((row: Record<string, unknown>) => ({ creditEntryId: Number(row.credit_entry_id), debitEntryId: Number(row.debit_entry_id), amount: moneyOf(minorUnitsFrom(row.amount), currency) })),
  };
}
