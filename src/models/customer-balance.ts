import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { findCustomer } from './customer.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/**
 * What a customer owes (M2): the balance of its approved entries (invoices and corrections up,
 * payments down; positive means the customer owes), and its invoices still open — what is left of
 * each after its corrections and the payments allocated to it — with what is overdue on `today`
 * (the tenant's calendar day). Each is one indexed query, whatever the length of the ledger.
 */
export type OpenInvoice = {
  id: number;
  documentNumber: string | null;
  issueDate: string;
  dueDate: string;
  /** The invoice's amount after its corrections. */
  amount: Money;
  /** What is still to pay. */
  outstanding: Money;
  daysOverdue: number;
};

export type CustomerDues = {
  balance: Money;
  open: OpenInvoice[];
  dueTotal: Money;
  overdueTotal: Money;
  /** The earliest due date not yet passed of an open invoice, or null. */
  nextDueDate: string | null;
};

/** The customer's balance: one SUM over its approved entries (the index leads with tenant, customer, status). */
export async function balanceOf(scope: Scope, customerId: number): Promise<Money> {
  const currency = (await findScopeTenant(scope)).currency;
  const row = await visibleLedgerEntries(scope)
    .where({ 'ledger_entries.customer_id': customerId, 'ledger_entries.status': 'approved' })
    .first(scope.raw("SUM(CASE WHEN ledger_entries.kind = 'payment' THEN -ledger_entries.amount ELSE ledger_entries.amount END) AS balance"));
  return moneyOf(minorUnitsFrom(row?.balance), currency);
}

/**
 * The customer's open invoices, the one due first first, in one query.
 * @throws NotFoundError for a customer out of the actor's reach
 */
export async function openInvoicesOf(scope: Scope, customerId: number, today: string): Promise<OpenInvoice[]> {
  await findCustomer(scope, customerId);
  return listOpenInvoices(scope, customerId, today);
}

/**
 * The same without looking the customer up first: for a client's own customer, whose entries
 * `visibleLedgerEntries` already limits to, so that a start page section is one query (and one
 * customer of another gives an empty list rather than a 404).
 */
export async function listOpenInvoices(scope: Scope, customerId: number, today: string): Promise<OpenInvoice[]> {
  const currency = (await findScopeTenant(scope)).currency;
  const rows = await withOutstanding(scope, visibleLedgerEntries(scope).where({ 'ledger_entries.customer_id': customerId }))
    .orderBy([{ column: 'ledger_entries.due_date' }, { column: 'ledger_entries.id' }]);
  return rows
    .map((row: Record<string, unknown>) => {
      const amount = minorUnitsFrom(row.amount) + minorUnitsFrom(row.corrected);
      const dueDate = String(row.due_date).slice(0, 10);
      return {
        id: Number(row.id),
        documentNumber: (row.document_number as string | null) ?? null,
        issueDate: String(row.entry_date).slice(0, 10),
        dueDate,
        amount: moneyOf(amount, currency),
        outstanding: moneyOf(amount - minorUnitsFrom(row.paid), currency),
        daysOverdue: dueDate < today ? daysBetween(dueDate, today) : 0,
      };
    })
    .filter((invoice: OpenInvoice) => invoice.outstanding.minor > 0n);
}

/** The balance and the open invoices together, with their totals (the client's start page, the payment order). */
export async function duesOf(scope: Scope, customerId: number, today: string): Promise<CustomerDues> {
  const [balance, open] = await Promise.all([balanceOf(scope, customerId), openInvoicesOf(scope, customerId, today)]);
  const total = (invoices: OpenInvoice[]) => moneyOf(invoices.reduce((sum, invoice) => sum + invoice.outstanding.minor, 0n), balance.currency);
  const upcoming = open.filter((invoice) => invoice.daysOverdue === 0);
  return { balance, open, dueTotal: total(open), overdueTotal: total(open.filter((invoice) => invoice.daysOverdue > 0)), nextDueDate: upcoming[0]?.dueDate ?? null };
}

/**
 * Approved invoices of a base query of entries with, beside each, the sum of its approved
 * corrections (`corrected`) and of the allocations to it (`paid`), as correlated subqueries on
 * their tenant-leading indexes.
 */
export function withOutstanding(scope: Scope, entries: Knex.QueryBuilder): Knex.QueryBuilder {
  const corrected = scope
    .table('ledger_entries as corrections')
    .whereRaw('corrections.corrects_entry_id = ledger_entries.id')
    .where('corrections.status', 'approved')
    .sum({ total: 'corrections.amount' });
  const paid = scope.table('ledger_allocations').whereRaw('ledger_allocations.debit_entry_id = ledger_entries.id').sum({ total: 'ledger_allocations.amount' });
  return entries
    .where({ 'ledger_entries.kind': 'invoice', 'ledger_entries.status': 'approved' })
    .select('ledger_entries.id', 'ledger_entries.document_number', 'ledger_entries.entry_date', 'ledger_entries.due_date', 'ledger_entries.amount', corrected.as('corrected'), paid.as('paid'));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
