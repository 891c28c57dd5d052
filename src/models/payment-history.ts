import type { Scope } from '../db/scope.js';
import type { Page } from '../lib/pagination.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import type { PaymentMethod } from './ledger.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/**
 * A customer's payment history as its client sees it (M2): approved payments, newest first, each with
 * the invoices it paid. Read through `visibleLedgerEntries`, so a client gets its own customer's
 * approved payments only, whatever customer id is asked for.
 */
/** `order`: newest first (the default), oldest first, or the largest first (the reports of issue 17). */
export type PaymentFilter = { from?: string; to?: string; method?: PaymentMethod; order?: 'newest' | 'oldest' | 'largest' };

export type PaidInvoice = { invoiceId: number; documentNumber: string | null; amount: Money };

export type PaymentRow = {
  id: number;
  paidOn: string;
  amount: Money;
  method: PaymentMethod | null;
  reference: string | null;
  paidInvoices: PaidInvoice[];
  /** What of the payment no invoice has taken yet (an overpayment, kept for the next invoice). */
  unallocated: Money;
};

/**
 * One page of the customer's approved payments with the filter, and their number. Three queries:
 * the count, the page, and the allocations of the page's payments.
 */
export async function listPayments(scope: Scope, customerId: number, filter: PaymentFilter, page: Page): Promise<{ rows: PaymentRow[]; total: number }> {
  const currency = (await findScopeTenant(scope)).currency;
  const base = () => {
    const query = visibleLedgerEntries(scope).where({ 'ledger_entries.customer_id': customerId, 'ledger_entries.kind': 'payment', 'ledger_entries.status': 'approved' });
    if (filter.from) query.where('ledger_entries.entry_date', '>=', filter.from);
    if (filter.to) query.where('ledger_entries.entry_date', '<=', filter.to);
    if (filter.method) query.where('ledger_entries.method', filter.method);
    return query;
  };
  const [countRow, rows] = await Promise.all([
    base().count({ count: 'ledger_entries.id' }).first(),
    base()
      .orderBy(
        filter.order === 'oldest'
          ? [{ column: 'ledger_entries.entry_date', order: 'asc' }, { column: 'ledger_entries.id', order: 'asc' }]
          : filter.order === 'largest'
            ? [{ column: 'ledger_entries.amount', order: 'desc' }, { column: 'ledger_entries.id', order: 'desc' }]
            : [{ column: 'ledger_entries.entry_date', order: 'desc' }, { column: 'ledger_entries.id', order: 'desc' }],
      )
      .limit(page.perPage)
      .offset(page.offset)
      .select('ledger_entries.id', 'ledger_entries.entry_date', 'ledger_entries.amount', 'ledger_entries.method', 'ledger_entries.document_number'),
  ]);
  const paid = await paidInvoicesOf(scope, customerId, rows.map((row: Record<string, unknown>) => Number(row.id)), currency);
  return {
    total: Number(countRow?.count ?? 0),
    rows: rows.map((row: Record<string, unknown>) => {
      const amount = moneyOf(minorUnitsFrom(row.amount), currency);
      const paidInvoices = paid.get(Number(row.id)) ?? [];
      const allocated = paidInvoices.reduce((sum, invoice) => sum + invoice.amount.minor, 0n);
      return {
        id: Number(row.id),
        paidOn: String(row.entry_date).slice(0, 10),
        amount,
        method: (row.method as PaymentMethod | null) ?? null,
        reference: (row.document_number as string | null) ?? null,
        paidInvoices,
        unallocated: moneyOf(amount.minor - allocated, currency),
      };
    }),
  };
}

/**
 * The invoices each payment paid, net of take-backs (allocation rows are only added; a correction
 * takes part back with a negative row), in one query for the page's payments.
 */
async function paidInvoicesOf(scope: Scope, customerId: number, paymentIds: number[], currency: string): Promise<Map<number, PaidInvoice[]>> {
  const byPayment = new Map<number, PaidInvoice[]>();
  if (paymentIds.length === 0) return byPayment;
  const rows = await scope
    .table('ledger_allocations')
    .join('ledger_entries', (join) => join.on('ledger_entries.tenant_id', 'ledger_allocations.tenant_id').andOn('ledger_entries.id', 'ledger_allocations.debit_entry_id'))
    .where('ledger_allocations.customer_id', customerId)
    .whereIn('ledger_allocations.credit_entry_id', paymentIds)
    .groupBy('ledger_allocations.credit_entry_id', 'ledger_allocations.debit_entry_id', 'ledger_entries.document_number', 'ledger_entries.due_date')
    .orderBy([{ column: 'ledger_entries.due_date' }, { column: 'ledger_allocations.debit_entry_id' }])
    .select('ledger_allocations.credit_entry_id', 'ledger_allocations.debit_entry_id', 'ledger_entries.document_number')
    .sum({ amount: 'ledger_allocations.amount' });
  for (const row of rows as Array<Record<string, unknown>>) {
    const amount = minorUnitsFrom(row.amount);
    if (amount === 0n) continue;
    const paymentId = Number(row.credit_entry_id);
    const list = byPayment.get(paymentId) ?? [];
    list.push({ invoiceId: Number(row.debit_entry_id), documentNumber: (row.document_number as string | null) ?? null, amount: moneyOf(amount, currency) });
    byPayment.set(paymentId, list);
  }
  return byPayment;
}
