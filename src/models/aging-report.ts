import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { agingBuckets, type AgingBucket } from '../lib/aging.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import { agingTotals, customerColumns, customerRowBatches, reportCustomerOf, reportCustomers, sumOf, type ReportCustomer, type ReportCustomerFilter } from './receivables.js';
import { findScopeTenant } from './tenant.js';

/**
 * Aging of receivables (M9): what each customer still has to pay of its invoices on a day, by how
 * long it is overdue (current, 1–30, 31–60, 61–90, over 90 days), and the same for all the
 * customers the filter keeps. Customers with nothing to pay are left out: an aging lists receivables.
 */
export const agingReportSorts = ['name-asc', 'name-desc', 'overdue-desc', 'total-desc', 'over90-desc'] as const;
export type AgingReportSort = (typeof agingReportSorts)[number];

export type AgingReportQuery = ReportCustomerFilter & { day: string; sort: AgingReportSort };

export type AgingFigures = { buckets: Record<AgingBucket, Money>; overdue: Money; total: Money };
export type AgingReportRow = ReportCustomer & AgingFigures;
export type AgingReportTotals = AgingFigures & { customers: number };

const totalSql = agingBuckets.map((bucket) => sumOf('aging', `bucket_${bucket}`)).join(' + ');
const sortExpressions: Record<string, string> = { overdue: sumOf('aging', 'overdue'), total: `(${totalSql})`, over90: sumOf('aging', 'bucket_over90') };

function joined(scope: Scope, query: AgingReportQuery, customerIds?: readonly number[]): Knex.QueryBuilder {
  const builder = reportCustomers(scope, query).join(agingTotals(scope, query.day, customerIds).as('aging'), 'aging.customer_id', 'customers.id').whereRaw(`(${totalSql}) > 0`);
  if (query.isOnlyOverdue) builder.whereRaw(`${sumOf('aging', 'overdue')} > 0`);
  if (customerIds) builder.whereIn('customers.id', customerIds);
  return builder;
}

const figureColumns = (scope: Scope) => [...agingBuckets.map((bucket) => scope.raw(`${sumOf('aging', `bucket_${bucket}`)} as bucket_${bucket}`)), scope.raw(`${sumOf('aging', 'overdue')} as overdue`)];

function figuresOf(row: Record<string, unknown>, currency: string): AgingFigures {
  const buckets = Object.fromEntries(agingBuckets.map((bucket) => [bucket, moneyOf(minorUnitsFrom(row[`bucket_${bucket}`]), currency)])) as Record<AgingBucket, Money>;
  const total = agingBuckets.reduce((sum, bucket) => sum + buckets[bucket].minor, 0n);
  return { buckets, overdue: moneyOf(minorUnitsFrom(row.overdue), currency), total: moneyOf(total, currency) };
}

/** One page of the aging, sorted, and the totals per bucket of every customer the filter keeps (with their count). */
export async function listAgingReport(scope: Scope, query: AgingReportQuery, page: Page): Promise<{ rows: AgingReportRow[]; totals: AgingReportTotals; pagination: Pagination }> {
  const currency = (await findScopeTenant(scope)).currency;
  const totals = await agingReportTotals(scope, query, currency);
  const lastPage = Math.max(1, Math.ceil(totals.customers / page.perPage));
  const pagination = paginate(page.page > lastPage ? { ...page, page: lastPage, offset: (lastPage - 1) * page.perPage } : page, totals.customers);
  const [field, direction] = query.sort.split('-') as [string, 'asc' | 'desc'];
  const byName = scope.isMysql ? 'customers.name' : 'customers.name collate nocase';
  const builder = joined(scope, query).select(...customerColumns, ...figureColumns(scope));
  if (field === 'name') builder.orderByRaw(`${byName} ${direction}`);
  else builder.orderByRaw(`${sortExpressions[field] ?? sortExpressions.overdue!} ${direction}`).orderByRaw(`${byName} asc`);
  const rows: Array<Record<string, unknown>> = await builder.orderBy('customers.id', 'asc').limit(pagination.perPage).offset(pagination.offset);
  return { rows: rows.map((row) => ({ ...reportCustomerOf(row), ...figuresOf(row, currency) })), totals, pagination };
}

/** The totals per bucket of all the customers the filter keeps: one aggregate. */
export async function agingReportTotals(scope: Scope, query: AgingReportQuery, currency?: string): Promise<AgingReportTotals> {
  const tenantCurrency = currency ?? (await findScopeTenant(scope)).currency;
  const sums = [...agingBuckets.map((bucket) => scope.raw(`sum(${sumOf('aging', `bucket_${bucket}`)}) as bucket_${bucket}`)), scope.raw(`sum(${sumOf('aging', 'overdue')}) as overdue`)];
  const row = (await joined(scope, query).first(scope.raw('count(customers.id) as customers'), ...sums)) as Record<string, unknown> | undefined;
  return { ...figuresOf(row ?? {}, tenantCurrency), customers: Number(row?.customers ?? 0) };
}

/** Every row of the aging for an export, in batches by customer name, each batch summed for its own customers only. */
export async function* agingReportBatches(scope: Scope, query: AgingReportQuery, size = 1000): AsyncGenerator<AgingReportRow[]> {
  const currency = (await findScopeTenant(scope)).currency;
  yield* customerRowBatches(scope, query, size, (ids) => joined(scope, query, ids).select(...customerColumns, ...figureColumns(scope)), (row) => ({ ...reportCustomerOf(row), ...figuresOf(row, currency) }));
}
