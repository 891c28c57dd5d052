import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import { agingTotals, customerColumns, customerRowBatches, periodMovements, reportCustomerOf, reportCustomers, sumOf, type ReportCustomer, type ReportCustomerFilter } from './receivables.js';
import { findScopeTenant } from './tenant.js';

/**
 * Arrears and payments per customer over a period (M5): for each customer the balance before it,
 * what was charged, paid and credited in it, the balance at its end, and what is overdue on the
 * report's day (today); and the same for all the customers the filter keeps, together.
 */
export const balanceReportSorts = ['name-asc', 'name-desc', 'closing-desc', 'closing-asc', 'overdue-desc', 'payments-desc'] as const;
export type BalanceReportSort = (typeof balanceReportSorts)[number];

export type BalanceReportQuery = ReportCustomerFilter & { from: string; to: string; today: string; sort: BalanceReportSort };

export type BalanceFigures = { opening: Money; charges: Money; payments: Money; credits: Money; closing: Money; overdue: Money };
export type BalanceReportRow = ReportCustomer & BalanceFigures;
export type BalanceReportTotals = BalanceFigures & { customers: number };

const figureNames = ['opening', 'charges', 'payments', 'credits', 'closing'] as const;

/**
 * Each figure in SQL: the opening and closing balances are the customer's balance now less what
 * moved since (periodMovements), the others the period's own sums.
 */
const figureSql: Record<(typeof figureNames)[number], string> = {
  opening: `(customers.ledger_balance - ${sumOf('period_totals', 'since_from')})`,
  charges: sumOf('period_totals', 'charges'),
  payments: sumOf('period_totals', 'payments'),
  credits: sumOf('period_totals', 'credits'),
  closing: `(customers.ledger_balance - ${sumOf('period_totals', 'after_to')})`,
};

/** Whitelisted sorts: the request names a sort, never a column. */
const sortExpressions: Record<string, string> = { closing: figureSql.closing, overdue: sumOf('aging', 'overdue'), payments: figureSql.payments };

function joined(scope: Scope, query: BalanceReportQuery, customerIds?: readonly number[]): Knex.QueryBuilder {
  const builder = reportCustomers(scope, query)
    .leftJoin(periodMovements(scope, query, customerIds).as('period_totals'), 'period_totals.customer_id', 'customers.id')
    .leftJoin(agingTotals(scope, query.today, customerIds).as('aging'), 'aging.customer_id', 'customers.id');
  if (query.isOnlyOverdue) builder.whereRaw(`${sumOf('aging', 'overdue')} > 0`);
  if (customerIds) builder.whereIn('customers.id', customerIds);
  return builder;
}

const figureColumns = (scope: Scope) => [...figureNames.map((name) => scope.raw(`${figureSql[name]} as ${name}`)), scope.raw(`${sumOf('aging', 'overdue')} as overdue`)];

function figuresOf(row: Record<string, unknown>, currency: string): BalanceFigures {
  const money = (name: string) => moneyOf(minorUnitsFrom(row[name]), currency);
  return { opening: money('opening'), charges: money('charges'), payments: money('payments'), credits: money('credits'), closing: money('closing'), overdue: money('overdue') };
}

/**
 * One page of the report, sorted, and the totals of every customer the filter keeps: two
 * statements, the totals (with the count) and the page, whatever the number of customers.
 */
export async function listBalanceReport(scope: Scope, query: BalanceReportQuery, page: Page): Promise<{ rows: BalanceReportRow[]; totals: BalanceReportTotals; pagination: Pagination }> {
  const currency = (await findScopeTenant(scope)).currency;
  const totals = await balanceReportTotals(scope, query, currency);
  const lastPage = Math.max(1, Math.ceil(totals.customers / page.perPage));
  const pagination = paginate(page.page > lastPage ? { ...page, page: lastPage, offset: (lastPage - 1) * page.perPage } : page, totals.customers);
  const [field, direction] = query.sort.split('-') as [string, 'asc' | 'desc'];
  const builder = joined(scope, query).select(...customerColumns, ...figureColumns(scope));
  if (field === 'name') builder.orderByRaw(scope.isMysql ? `customers.name ${direction}` : `customers.name collate nocase ${direction}`);
  else builder.orderByRaw(`${sortExpressions[field] ?? sortExpressions.closing!} ${direction}`).orderByRaw(scope.isMysql ? 'customers.name asc' : 'customers.name collate nocase asc');
  const rows: Array<Record<string, unknown>> = await builder.orderBy('customers.id', 'asc').limit(pagination.perPage).offset(pagination.offset);
  return { rows: rows.map((row) => ({ ...reportCustomerOf(row), ...figuresOf(row, currency) })), totals, pagination };
}

/** The sums of all the customers the filter keeps, and how many they are: one aggregate over the joined sums. */
export async function balanceReportTotals(scope: Scope, query: BalanceReportQuery, currency?: string): Promise<BalanceReportTotals> {
  const tenantCurrency = currency ?? (await findScopeTenant(scope)).currency;
  const sums = [...figureNames.map((name) => scope.raw(`sum(${figureSql[name]}) as ${name}`)), scope.raw(`sum(${sumOf('aging', 'overdue')}) as overdue`)];
  const row = (await joined(scope, query).first(scope.raw('count(customers.id) as customers'), ...sums)) as Record<string, unknown> | undefined;
  return { ...figuresOf(row ?? {}, tenantCurrency), customers: Number(row?.customers ?? 0) };
}

/**
 * Every row of the report for an export, in batches by customer name (customerIdBatches): each batch
 * is the sums of its own customers only, so the whole report streams in bounded memory and time
 * that grows with the number of customers, not with its square. The page's sort does not apply: a
 * spreadsheet sorts by itself.
 */
export async function* balanceReportBatches(scope: Scope, query: BalanceReportQuery, size = 1000): AsyncGenerator<BalanceReportRow[]> {
  const currency = (await findScopeTenant(scope)).currency;
  yield* customerRowBatches(scope, query, size, (ids) => joined(scope, query, ids).select(...customerColumns, ...figureColumns(scope)), (row) => ({ ...reportCustomerOf(row), ...figuresOf(row, currency) }));
}
