import type { Knex } from 'knex';
import { memoised, type Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { findCustomer } from './customer.js';
import { findScopeTenant } from './tenant.js';
import { visibleCustomers, visibleLedgerEntries } from './visibility.js';

/**
 * What a customer owes (M2): the balance of its approved entries (invoices and corrections up,
 * payments down; positive means the customer owes), and its invoices still open — what is left of
 * each after its corrections and the payments allocated to it — with what is overdue on `today`
 * (the tenant's calendar day). All of it is one indexed statement (duesOf), whatever the length of the ledger.
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
  return openOf(rows, currency, today);
}

/** The rows of withOutstanding as open invoices, with what is left of each and how long overdue. */
function openOf(rows: Array<Record<string, unknown>>, currency: string, today: string): OpenInvoice[] {
  return rows
    .map((row) => {
      const dueDate = String(row.due_date).slice(0, 10);
      return {
        id: Number(row.id),
        documentNumber: (row.document_number as string | null) ?? null,
        issueDate: String(row.entry_date).slice(0, 10),
        dueDate,
        amount: moneyOf(minorUnitsFrom(row.amount) + minorUnitsFrom(row.corrected), currency),
        outstanding: moneyOf(minorUnitsFrom(row.open_amount), currency),
        daysOverdue: dueDate < today ? daysBetween(dueDate, today) : 0,
      };
    })
    .filter((invoice) => invoice.outstanding.minor > 0n);
}

/**
 * The balance and the open invoices together, with their totals (the client's start page and
 * money page, the payment order), in ONE statement (issue 20): the customer's row as the actor sees
 * it with the balance it keeps (customers.ledger_balance), and its open invoices joined beside it,
 * so a customer without invoices still gives its balance. Read once per request (scope.memo): the
 * start page's balance and dues portlets share it.
 * @throws NotFoundError for a customer out of the actor's reach
 */
export function duesOf(scope: Scope, customerId: number, today: string): Promise<CustomerDues> {
  const actor = scope.actor;
  const key = `dues:${actor.kind === 'user' ? actor.id : actor.kind}:${customerId}:${today}`;
  return memoised(scope, key, () => readDues(scope, customerId, today));
}

async function readDues(scope: Scope, customerId: number, today: string): Promise<CustomerDues> {
  const currency = (await findScopeTenant(scope)).currency;
  const invoices = withOutstanding(scope, visibleLedgerEntries(scope).where('ledger_entries.customer_id', customerId)).select('ledger_entries.customer_id');
  const rows: Array<Record<string, unknown>> = await visibleCustomers(scope)
    .where('customers.id', customerId)
    .leftJoin(invoices.as('invoices'), 'invoices.customer_id', 'customers.id')
    .select('invoices.*', 'customers.ledger_balance as balance')
    .orderBy([{ column: 'invoices.due_date' }, { column: 'invoices.id' }]);
  if (rows.length === 0) throw new NotFoundError(`customer ${customerId} not found for this actor`);
  const open = openOf(rows.filter((row) => row.id !== null), currency, today);
  const total = (invoices: OpenInvoice[]) => moneyOf(invoices.reduce((sum, invoice) => sum + invoice.outstanding.minor, 0n), currency);
  const upcoming = open.filter((invoice) => invoice.daysOverdue === 0);
  return {
    balance: moneyOf(minorUnitsFrom(rows[0]!.balance), currency),
    open,
    dueTotal: total(open),
    overdueTotal: total(open.filter((invoice) => invoice.daysOverdue > 0)),
    nextDueDate: upcoming[0]?.dueDate ?? null,
  };
}

/**
 * The approved invoices still open of a base query of entries: what is left of each is the open
 * amount it keeps (ledger-allocation.ts writes it with every change to the customer's approved
 * entries), and beside each the sum of its approved corrections (`corrected`), for its amount
 * after them, as a correlated subquery on the open invoices only.
 */
function withOutstanding(scope: Scope, entries: Knex.QueryBuilder): Knex.QueryBuilder {
  const corrected = scope
    .table('ledger_entries as corrections')
    .whereRaw('corrections.corrects_entry_id = ledger_entries.id')
    .where('corrections.status', 'approved')
    .sum({ total: 'corrections.amount' });
  return entries
    .where({ 'ledger_entries.kind': 'invoice', 'ledger_entries.status': 'approved' })
    .where('ledger_entries.open_amount', '>', 0)
    .select('ledger_entries.id', 'ledger_entries.document_number', 'ledger_entries.entry_date', 'ledger_entries.due_date', 'ledger_entries.amount', 'ledger_entries.open_amount', corrected.as('corrected'));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
