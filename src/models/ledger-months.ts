import type { Scope } from '../db/scope.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/**
 * Charges and payments of a customer per month (M6): charges are approved invoices and the
 * corrections that raise what is owed, payments are approved payments. Corrections that lower what is
 * owed (a credit note, a payment returned) are in neither bar: they are neither a charge nor money paid.
 */
export type MonthTotals = { month: string; charges: Money; payments: Money };

/** Months as 'YYYY-MM' from the first to the last, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = first; month <= last; month = monthAfter(month)) months.push(month);
  return months;
}

/** The month after a 'YYYY-MM' month. */
export function monthAfter(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/**
 * The totals of each month from `first` to `last` ('YYYY-MM'), a month without entries as zeros. One
 * aggregate grouped by month on the (tenant, customer, entry date) index; the month is the first seven
 * characters of the entry date, which both databases give as 'YYYY-MM' (SQLite keeps the date as text,
 * MySQL turns a DATE into its 'YYYY-MM-DD' text for SUBSTR).
 */
export async function monthlyTotalsOf(scope: Scope, customerId: number, first: string, last: string): Promise<MonthTotals[]> {
  const currency = (await findScopeTenant(scope)).currency;
  const rows = await visibleLedgerEntries(scope)
    .where({ 'ledger_entries.customer_id': customerId, 'ledger_entries.status': 'approved' })
    .where('ledger_entries.entry_date', '>=', `${first}-01`)
    .where('ledger_entries.entry_date', '<', `${monthAfter(last)}-01`)
    .groupByRaw('SUBSTR(ledger_entries.entry_date, 1, 7)')
    .select(
      scope.raw('SUBSTR(ledger_entries.entry_date, 1, 7) AS month'),
      scope.raw("SUM(CASE WHEN ledger_entries.kind = 'invoice' OR (ledger_entries.kind = 'correction' AND ledger_entries.amount > 0) THEN ledger_entries.amount ELSE 0 END) AS charges"),
      scope.raw("SUM(CASE WHEN ledger_entries.kind = 'payment' THEN ledger_entries.amount ELSE 0 END) AS payments"),
    );
  const byMonth = new Map((rows as Array<Record<string, unknown>>).map((row) => [String(row.month), row]));
  return monthsBetween(first, last).map((month) => {
    const row = byMonth.get(month);
    return { month, charges: moneyOf(minorUnitsFrom(row?.charges ?? 0), currency), payments: moneyOf(minorUnitsFrom(row?.payments ?? 0), currency) };
  });
}
