import type { Scope } from '../db/scope.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import type { LedgerKind } from './ledger.js';
import { periodTotals } from './receivables.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/**
 * One customer's report over a period (M5): the balance before it, each approved entry of the period
 * in order (date, then entry) with the balance after it, and the balance at its end. An entry that
 * raises what is owed (an invoice, a correction +) is a charge, one that lowers it (a payment, a
 * correction −) a credit.
 */
export type ReportPeriod = { from: string; to: string };
export type ReportEntry = {
  id: number;
  kind: LedgerKind;
  entryDate: string;
  dueDate: string | null;
  documentNumber: string | null;
  description: string | null;
  charge: Money | null;
  credit: Money | null;
  balance: Money;
};
export type CustomerReportSummary = { opening: Money; charges: Money; payments: Money; credits: Money; closing: Money };

const signed = "(case when ledger_entries.kind = 'payment' then -ledger_entries.amount else ledger_entries.amount end)";

function entriesOf(scope: Scope, customerId: number, period: ReportPeriod) {
  return visibleLedgerEntries(scope)
    .where({ 'ledger_entries.customer_id': customerId, 'ledger_entries.status': 'approved' })
    .where('ledger_entries.entry_date', '>=', period.from)
    .where('ledger_entries.entry_date', '<=', period.to);
}

/** The sums of the period: one aggregate on the customer's (tenant, customer, entry date) index. */
export async function customerReportSummary(scope: Scope, customerId: number, period: ReportPeriod): Promise<CustomerReportSummary> {
  const currency = (await findScopeTenant(scope)).currency;
  const row = ((await periodTotals(scope, period, [customerId]).first()) ?? {}) as Record<string, unknown>;
  const money = (name: string) => moneyOf(minorUnitsFrom(row[name]), currency);
  return { opening: money('opening'), charges: money('charges'), payments: money('payments'), credits: money('credits'), closing: money('closing') };
}

function toEntries(rows: Array<Record<string, unknown>>, broughtForward: bigint, currency: string): ReportEntry[] {
  let balance = broughtForward;
  return rows.map((row) => {
    const amount = minorUnitsFrom(row.amount);
    const change = row.kind === 'payment' ? -amount : amount;
    balance += change;
    return {
      id: Number(row.id),
      kind: row.kind as LedgerKind,
      entryDate: String(row.entry_date).slice(0, 10),
      dueDate: row.due_date ? String(row.due_date).slice(0, 10) : null,
      documentNumber: (row.document_number as string | null) ?? null,
      description: (row.description as string | null) ?? null,
      charge: change > 0n ? moneyOf(change, currency) : null,
      credit: change < 0n ? moneyOf(-change, currency) : null,
      balance: moneyOf(balance, currency),
    };
  });
}

const entryColumns = ['ledger_entries.id', 'ledger_entries.kind', 'ledger_entries.entry_date', 'ledger_entries.due_date', 'ledger_entries.document_number', 'ledger_entries.description', 'ledger_entries.amount'];

/**
 * A page of the period's entries with their running balance: the balance brought to the page's first
 * entry is the opening plus one sum of the entries before it in the period.
 */
export async function customerReportPage(scope: Scope, customerId: number, period: ReportPeriod, page: Page): Promise<{ summary: CustomerReportSummary; entries: ReportEntry[]; pagination: Pagination }> {
  const summary = await customerReportSummary(scope, customerId, period);
  const countRow = await entriesOf(scope, customerId, period).count({ count: 'ledger_entries.id' }).first();
  const total = Number(countRow?.count ?? 0);
  const lastPage = Math.max(1, Math.ceil(total / page.perPage));
  const pagination = paginate(page.page > lastPage ? { ...page, page: lastPage, offset: (lastPage - 1) * page.perPage } : page, total);
  const rows: Array<Record<string, unknown>> = await entriesOf(scope, customerId, period).orderBy([{ column: 'ledger_entries.entry_date' }, { column: 'ledger_entries.id' }]).limit(pagination.perPage).offset(pagination.offset).select(entryColumns);
  let broughtForward = summary.opening.minor;
  const first = rows[0];
  if (first && pagination.offset > 0) {
    const date = String(first.entry_date).slice(0, 10);
    const before = await entriesOf(scope, customerId, period)
      .where((earlier) => earlier.where('ledger_entries.entry_date', '<', date).orWhere((sameDay) => sameDay.where('ledger_entries.entry_date', date).where('ledger_entries.id', '<', Number(first.id))))
      .first(scope.raw(`sum(${signed}) as total`));
    broughtForward += minorUnitsFrom(before?.total);
  }
  return { summary, entries: toEntries(rows, broughtForward, summary.opening.currency), pagination };
}

/** Every entry of the period for an export, in batches read after the last one's date and id (keyset), the balance carried along. */
export async function* customerReportBatches(scope: Scope, customerId: number, period: ReportPeriod, opening: Money, size = 1000): AsyncGenerator<ReportEntry[]> {
  let balance = opening.minor;
  let after: { date: string; id: number } | null = null;
  for (;;) {
    const query = entriesOf(scope, customerId, period).orderBy([{ column: 'ledger_entries.entry_date' }, { column: 'ledger_entries.id' }]).limit(size).select(entryColumns);
    if (after) {
      const { date, id } = after;
      query.where((later) => later.where('ledger_entries.entry_date', '>', date).orWhere((sameDay) => sameDay.where('ledger_entries.entry_date', date).where('ledger_entries.id', '>', id)));
    }
    const rows: Array<Record<string, unknown>> = await query;
    if (rows.length === 0) return;
    const entries = toEntries(rows, balance, opening.currency);
    yield entries;
    if (rows.length < size) return;
    balance = entries.at(-1)!.balance.minor;
    after = { date: entries.at(-1)!.entryDate, id: entries.at(-1)!.id };
  }
}
