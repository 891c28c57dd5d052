import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { agingBuckets, agingDueDateRanges, type AgingBucket } from '../lib/aging.js';
import { caselessGlob } from './customer-list.js';
import { logEvent } from './audit.js';
import { nameFromColumns } from './user.js';
import { visibleCustomers, visibleLedgerEntries, whereInLedgerReach } from './visibility.js';

/**
 * The building blocks of the staff's money reports (M5, M9): which customers a report lists, and the
 * sums per customer as subqueries grouped by customer, joined to the customers so that a page of a
 * report is one statement however many customers it has. Only approved entries count: a pending
 * entry is not in anyone's balance yet, a rejected one never will be.
 */
export type ReportCustomerFilter = {
  /** Part of the customer's name or accounting number, any letter case; '' for all. */
  search: string;
  caretaker: 'all' | 'none' | number;
  /** Only customers with something overdue on the report's day. */
  isOnlyOverdue: boolean;
};

/** Customers of a report: the actor's (a caretaker: their own), filtered, with their caretaker's name. */
export function reportCustomers(scope: Scope, filter: ReportCustomerFilter): Knex.QueryBuilder {
  const query = visibleCustomers(scope).leftJoin('users as caretakers', function joinCaretaker() {
    this.on('caretakers.tenant_id', '=', 'customers.tenant_id').andOn('caretakers.id', '=', 'customers.caretaker_id');
  });
  if (filter.caretaker === 'none') query.whereNull('customers.caretaker_id');
  else if (typeof filter.caretaker === 'number') query.where('customers.caretaker_id', filter.caretaker);
  if (filter.search) {
    const term = filter.search;
    query.where((any) => {
      for (const field of ['customers.name', 'customers.customer_number']) {
        if (scope.isMysql) any.orWhereRaw('lower(??) like ?', [field, `%${term.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`]);
        else any.orWhereRaw('?? glob ?', [field, `*${caselessGlob(term)}*`]);
      }
    });
  }
  return query;
}

/** The columns every report row has about its customer. */
export const customerColumns = ['customers.id', 'customers.name', 'customers.customer_number', 'caretakers.first_name as caretaker_first_name', 'caretakers.last_name as caretaker_last_name'];

export type ReportCustomer = { id: number; name: string; customerNumber: string | null; caretakerName: string | null };

export function reportCustomerOf(row: Record<string, unknown>): ReportCustomer {
  return {
    id: Number(row.id),
    name: String(row.name),
    customerNumber: (row.customer_number as string | null) ?? null,
    caretakerName: row.caretaker_first_name === null || row.caretaker_first_name === undefined ? null : nameFromColumns(row.caretaker_first_name, row.caretaker_last_name),
  };
}

/** A column of a joined subquery, zero where the customer has no row there. */
export const sumOf = (table: string, column: string) => `coalesce(${table}.${column}, 0)`;

/**
 * What each customer still has to pay of its invoices on `day`, by how long it is overdue
 * (lib/aging.ts), grouped by customer: columns customer_id, bucket_current, bucket_days1to30, …
 * bucket_over90 and overdue (the four overdue buckets together). An invoice counts as issued by
 * `day` with the corrections dated by then and what the payments dated by then paid of it (as
 * allocated now). `customerIds` limits it to a batch of customers (an export), so it reads only
 * their rows.
 *
 * Each approved invoice keeps what is open of it now (open_amount, kept by allocateCustomer), so
 * on `day` it had open: open_amount − its corrections dated after `day` + what payments dated after
 * `day` paid of it. Only two kinds of invoice can have had something open then: those open now (by
 * the (tenant_id, open_amount) index) and those a later payment or correction touched (by the
 * (tenant_id, entry_date) index: none for today, few for a recent day). Summing every invoice's
 * corrections and allocations of the tenant instead took 40 s a statement on 2,000,000 entries.
 */
export function agingTotals(scope: Scope, day: string, customerIds?: readonly number[]): Knex.QueryBuilder {
  const laterCorrections = scope
    .table('ledger_entries as corrections')
    .where('corrections.status', 'approved')
    .whereNotNull('corrections.corrects_entry_id')
    .where('corrections.entry_date', '>', day);
  const laterPayments = scope
    .table('ledger_allocations')
    .join('ledger_entries as credits', function joinCredit() {
      this.on('credits.tenant_id', '=', 'ledger_allocations.tenant_id').andOn('credits.id', '=', 'ledger_allocations.credit_entry_id');
    })
    .where('credits.entry_date', '>', day);
  // Only what the actor's invoices can need (a caretaker's reach; an export's batch).
  whereInLedgerReach(scope, laterCorrections, 'corrections.customer_id');
  whereInLedgerReach(scope, laterPayments, 'ledger_allocations.customer_id');
  if (customerIds) {
    laterCorrections.whereIn('corrections.customer_id', customerIds);
    laterPayments.whereIn('ledger_allocations.customer_id', customerIds);
  }
  const invoices = () => {
    const query = visibleLedgerEntries(scope)
      .where({ 'ledger_entries.kind': 'invoice', 'ledger_entries.status': 'approved' })
      .where('ledger_entries.entry_date', '<=', day)
      .select('ledger_entries.id', 'ledger_entries.customer_id', 'ledger_entries.due_date', 'ledger_entries.open_amount');
    if (customerIds) query.whereIn('ledger_entries.customer_id', customerIds);
    return query;
  };
  const openNow = invoices().where('ledger_entries.open_amount', '>', 0);
  // The invoices a later payment or correction touched, once each, joined from their (few) ids: as
  // `id in (…) or id in (…)` MariaDB read every invoice of the tenant to test it (6 s).
  const touchedIds = scope
    .derived(scope.unionAll([laterPayments.clone().select('ledger_allocations.debit_entry_id as invoice_id'), laterCorrections.clone().select('corrections.corrects_entry_id as invoice_id')]), 'touched_any')
    .distinct('touched_any.invoice_id');
  const touchedLater = invoices().join(touchedIds.as('touched'), 'touched.invoice_id', 'ledger_entries.id').where('ledger_entries.open_amount', '<=', 0);
  const later = (query: Knex.QueryBuilder, idColumn: string, amountColumn: string) => query.groupBy(idColumn).select(`${idColumn} as invoice_id`, scope.raw(`sum(${amountColumn}) as total`));
  const outstanding = `(open_invoices.open_amount - ${sumOf('later_corrections', 'total')} + ${sumOf('later_payments', 'total')})`;
  const ranges = agingDueDateRanges(day);
  const bucketSum = (bucket: AgingBucket) => {
    const { dueFrom, dueTo } = ranges[bucket];
    const conditions = [`${outstanding} > 0`, ...(dueFrom ? ['open_invoices.due_date >= ?'] : []), ...(dueTo ? ['open_invoices.due_date <= ?'] : [])];
    return scope.raw(`sum(case when ${conditions.join(' and ')} then ${outstanding} else 0 end) as bucket_${bucket}`, [...(dueFrom ? [dueFrom] : []), ...(dueTo ? [dueTo] : [])]);
  };
  return scope
    .derived(scope.unionAll([openNow, touchedLater]), 'open_invoices')
    .leftJoin(later(laterCorrections, 'corrections.corrects_entry_id', 'corrections.amount').as('later_corrections'), 'later_corrections.invoice_id', 'open_invoices.id')
    .leftJoin(later(laterPayments, 'ledger_allocations.debit_entry_id', 'ledger_allocations.amount').as('later_payments'), 'later_payments.invoice_id', 'open_invoices.id')
    .groupBy('open_invoices.customer_id')
    .select(
      'open_invoices.customer_id',
      ...agingBuckets.map(bucketSum),
      scope.raw(`sum(case when ${outstanding} > 0 and open_invoices.due_date < ? then ${outstanding} else 0 end) as overdue`, [day]),
    );
}

/** An entry as it moves the balance: invoices and corrections as they stand, payments taken off. */
const signedAmount = "(case when ledger_entries.kind = 'payment' then -ledger_entries.amount else ledger_entries.amount end)";

/**
 * The period's charges (invoices, corrections that raise what is owed), payments and credits
 * (corrections that lower it, as a positive amount) among the rows `within` keeps (SQL of one binding).
 */
function periodSums(scope: Scope, within: string, binding: string): Knex.Raw[] {
  return [
    scope.raw(`sum(case when ${within} and (ledger_entries.kind = 'invoice' or (ledger_entries.kind = 'correction' and ledger_entries.amount > 0)) then ledger_entries.amount else 0 end) as charges`, [binding]),
    scope.raw(`sum(case when ${within} and ledger_entries.kind = 'payment' then ledger_entries.amount else 0 end) as payments`, [binding]),
    scope.raw(`sum(case when ${within} and ledger_entries.kind = 'correction' and ledger_entries.amount < 0 then -ledger_entries.amount else 0 end) as credits`, [binding]),
  ];
}

/**
 * Each customer's entries over a period (both days included), grouped by customer: opening (the
 * balance before `from`), charges (invoices and corrections that raise what is owed), payments,
 * credits (corrections that lower it, as a positive amount) and closing (the balance at the end of
 * `to`), so that closing = opening + charges − payments − credits.
 */
export function periodTotals(scope: Scope, period: { from: string; to: string }, customerIds?: readonly number[]): Knex.QueryBuilder {
  return approvedByCustomer(scope, ['<=', period.to], customerIds, [
    scope.raw(`sum(case when ledger_entries.entry_date < ? then ${signedAmount} else 0 end) as opening`, [period.from]),
    ...periodSums(scope, 'ledger_entries.entry_date >= ?', period.from),
    scope.raw(`sum(${signedAmount}) as closing`),
  ]);
}

/**
 * What moved in each customer's account from the period's first day on, grouped by customer, for a
 * report that knows each customer's balance now (customers.ledger_balance, kept by allocateCustomer):
 * since_from (every approved entry dated from `from` on, signed: what the opening balance is short
 * of the balance now), after_to (those dated after `to`: the same for the closing balance), and
 * the period's charges, payments and credits as in periodTotals. Only the entries dated from `from`
 * on are read (the (tenant_id, entry_date) index), not the tenant's whole history: the opening
 * balance of a month was a sum of two million entries.
 */
export function periodMovements(scope: Scope, period: { from: string; to: string }, customerIds?: readonly number[]): Knex.QueryBuilder {
  return approvedByCustomer(scope, ['>=', period.from], customerIds, [
    scope.raw(`sum(${signedAmount}) as since_from`),
    scope.raw(`sum(case when ledger_entries.entry_date > ? then ${signedAmount} else 0 end) as after_to`, [period.to]),
    // The rows are those dated from `from` on: the period's are those up to `to`.
    ...periodSums(scope, 'ledger_entries.entry_date <= ?', period.to),
  ]);
}

/** The actor's approved entries dated on one side of a day, summed by customer (a batch of them with `customerIds`). */
function approvedByCustomer(scope: Scope, [comparison, day]: readonly ['<=' | '>=', string], customerIds: readonly number[] | undefined, sums: Knex.Raw[]): Knex.QueryBuilder {
  const query = visibleLedgerEntries(scope)
    .where('ledger_entries.status', 'approved')
    .where('ledger_entries.entry_date', comparison, day)
    .groupBy('ledger_entries.customer_id')
    .select('ledger_entries.customer_id', ...sums);
  if (customerIds) query.whereIn('ledger_entries.customer_id', customerIds);
  return query;
}

/**
 * The customers of a report in batches of `size`, by name (then id), each batch read after the last
 * one's name and id (keyset), so an export of 100,000 customers reads them in bounded memory and
 * never skips or repeats one. SQLite compares names without regard to ASCII case, as MySQL's
 * collation does, so the order is the same alphabetical one on both.
 */
export async function* customerIdBatches(scope: Scope, filter: Omit<ReportCustomerFilter, 'isOnlyOverdue'>, size: number): AsyncGenerator<number[]> {
  const name = scope.isMysql ? 'customers.name' : 'customers.name collate nocase';
  let after: { name: string; id: number } | null = null;
  for (;;) {
    const query = reportCustomers(scope, { ...filter, isOnlyOverdue: false }).orderByRaw(`${name} asc, customers.id asc`).limit(size).select('customers.id', 'customers.name');
    if (after) query.whereRaw(`(${name} > ? or (${name} = ? and customers.id > ?))`, [after.name, after.name, after.id]);
    const rows: Array<{ id: number; name: string }> = await query;
    if (rows.length === 0) return;
    yield rows.map((row) => Number(row.id));
    if (rows.length < size) return;
    const last = rows.at(-1)!;
    after = { name: String(last.name), id: Number(last.id) };
  }
}

/** A report taken away as a file is on record: which report, its format and period, and for a customer's report, whose. */
export async function recordReportExport(scope: Scope, details: { report: 'balances' | 'aging' | 'customer'; format: 'csv' | 'pdf'; customerId?: number; from?: string; to?: string; day?: string }): Promise<void> {
  const { customerId, ...rest } = details;
  await logEvent(scope, { action: 'report.exported', ...(customerId ? { subjectType: 'customer', subjectId: customerId } : {}), details: rest });
}

/**
 * The rows of a per-customer report for an export, in the batches of customerIdBatches and in their
 * order: `read` sums one batch's customers (their ids), `toRow` makes each row. A customer the
 * report leaves out (nothing to show) is skipped.
 */
export async function* customerRowBatches<Row>(scope: Scope, filter: Omit<ReportCustomerFilter, 'isOnlyOverdue'>, size: number, read: (ids: number[]) => Promise<Array<Record<string, unknown>>>, toRow: (row: Record<string, unknown>) => Row): AsyncGenerator<Row[]> {
  for await (const ids of customerIdBatches(scope, filter, size)) {
    const byId = new Map((await read(ids)).map((row) => [Number(row.id), row]));
    const inOrder = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    if (inOrder.length > 0) yield inOrder.map(toRow);
  }
}
