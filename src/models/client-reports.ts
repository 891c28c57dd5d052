import type { Scope } from '../db/scope.js';
import type { Page } from '../lib/pagination.js';
import { agingBuckets } from '../lib/aging.js';
import { minorUnitsFrom, moneyOf, type Money } from '../lib/money.js';
import { customerReportPage } from './customer-report.js';
import { agingTotals } from './receivables.js';
import { nextCalendarDate, startOfDayIn, toDatabaseTime } from '../lib/time.js';
import { pricingTotals } from './cost-line-totals.js';
import { listPayments } from './payment-history.js';
import type { ReportId } from './portlet-registry.js';
import { findScopeTenant } from './tenant.js';
import { ticketNumber } from './ticket.js';
import { visibleTickets } from './visibility.js';

/**
 * The reports a client reads (P4): one row per record of the period, each cell with its kind so
 * that the portlet, the page, the CSV and the PDF write it alike. A text cell is plain text or an
 * i18n key (a payment method), a money cell an exact amount.
 */
export type ReportCell =
  | { kind: 'text'; value: string | null }
  | { kind: 'label'; value: string | null }
  | { kind: 'date'; value: string | null }
  | { kind: 'moment'; value: Date | string | null }
  | { kind: 'money'; value: Money | null };
export type ReportRow = { id: number; cells: Record<string, ReportCell> };
export type ReportQuery = { range: { from: string; to: string }; sort: string; page: Page };
export type ReportResult = { rows: ReportRow[]; total: number };

const text = (value: string | null): ReportCell => ({ kind: 'text', value });
const money = (value: Money | null): ReportCell => ({ kind: 'money', value });
const date = (value: string | null): ReportCell => ({ kind: 'date', value });

/**
 * One page of a report of the client's customer over the period, through the actor's scope (a
 * client sees their own customer's rows only, whatever id is asked for).
 */
export function readClientReport(scope: Scope, report: ReportId, customerId: number, query: ReportQuery): Promise<ReportResult> {
  const readers: Record<ReportId, (scope: Scope, customerId: number, query: ReportQuery) => Promise<ReportResult>> = { settlementsReport, agingReport, paymentsReport, pricingReport };
  return readers[report](scope, customerId, query);
}

/**
 * Mutual settlements (seed 001): the period's approved entries in order with the balance after each,
 * the balance before the period carried in (models/customer-report.ts, as staff read it).
 */
async function settlementsReport(scope: Scope, customerId: number, query: ReportQuery): Promise<ReportResult> {
  const { entries, pagination } = await customerReportPage(scope, customerId, query.range, query.page);
  return {
    total: pagination.total,
    rows: entries.map((entry) => ({
      id: entry.id,
      cells: {
        entryDate: date(entry.entryDate),
        kind: { kind: 'label', value: `payments:kind.${entry.kind}` },
        documentNumber: text(entry.documentNumber ?? entry.description),
        dueDate: date(entry.dueDate),
        charge: money(entry.charge),
        credit: money(entry.credit),
        balance: money(entry.balance),
      },
    })),
  };
}

/**
 * Aging (M9): what the customer still owes of its invoices on the period's last day, one row per
 * bucket (not yet due, 1–30, 31–60, 61–90, over 90 days overdue), in one aggregate.
 */
async function agingReport(scope: Scope, customerId: number, query: ReportQuery): Promise<ReportResult> {
  const currency = (await findScopeTenant(scope)).currency;
  const row = ((await agingTotals(scope, query.range.to, [customerId]).first()) ?? {}) as Record<string, unknown>;
  const buckets = query.sort === 'overdueFirst' ? [...agingBuckets].reverse() : [...agingBuckets];
  const rows = buckets.map((bucket, index) => ({ id: index + 1, cells: { bucket: { kind: 'label', value: `reports:bucket.${bucket}` } as ReportCell, amount: money(moneyOf(minorUnitsFrom(row[`bucket_${bucket}`]), currency)) } }));
  return { total: rows.length, rows: rows.slice(query.page.offset, query.page.offset + query.page.perPage) };
}

/** The approved payments of the period with the invoices each paid: three queries (count, page, allocations). */
async function paymentsReport(scope: Scope, customerId: number, query: ReportQuery): Promise<ReportResult> {
  const order = query.sort === 'oldest' || query.sort === 'largest' ? query.sort : 'newest';
  const { rows, total } = await listPayments(scope, customerId, { from: query.range.from, to: query.range.to, order }, query.page);
  return {
    total,
    rows: rows.map((payment) => ({
      id: payment.id,
      cells: {
        paidOn: date(payment.paidOn),
        amount: money(payment.amount),
        method: { kind: 'label', value: payment.method ? `payments:method.${payment.method}` : null },
        reference: text(payment.reference),
        invoices: text(payment.paidInvoices.map((invoice) => invoice.documentNumber ?? `#${invoice.invoiceId}`).join(', ') || null),
      },
    })),
  };
}

/**
 * The customer's tickets resolved in the period (resolved or closed since) with their prices: the
 * count, the page, and the cost lines of the page's tickets (three queries, whatever the rows).
 * Totals as the service report has them (each line rounded, then summed per VAT rate).
 */
async function pricingReport(scope: Scope, customerId: number, query: ReportQuery): Promise<ReportResult> {
  const [tickets, tenant] = await Promise.all([visibleTickets(scope), findScopeTenant(scope)]);
  const from = toDatabaseTime(startOfDayIn(query.range.from, tenant.timeZone));
  const until = toDatabaseTime(startOfDayIn(nextCalendarDate(query.range.to), tenant.timeZone));
  const base = () =>
    tickets()
      .where('tickets.customer_id', customerId)
      .whereIn('tickets.status', ['resolved', 'closed'])
      .where('tickets.resolved_at', '>=', from)
      .where('tickets.resolved_at', '<', until);
  const lineValue = scope.table('ticket_cost_lines').whereRaw('ticket_cost_lines.ticket_id = tickets.id').sum({ total: scope.raw('ticket_cost_lines.quantity_thousandths * ticket_cost_lines.unit_price_minor') });
  const ordered = (builder: ReturnType<typeof base>) =>
    query.sort === 'oldest'
      ? builder.orderBy([{ column: 'tickets.resolved_at', order: 'asc' }, { column: 'tickets.id', order: 'asc' }])
      : query.sort === 'largest'
        ? builder.orderByRaw('priced_value desc').orderBy('tickets.id', 'desc')
        : builder.orderBy([{ column: 'tickets.resolved_at', order: 'desc' }, { column: 'tickets.id', order: 'desc' }]);
  const [counted, rows] = await Promise.all([
    base().count({ total: 'tickets.id' }).first(),
    ordered(base().select('tickets.id', 'tickets.year', 'tickets.sequence', 'tickets.title', 'tickets.resolved_at', lineValue.as('priced_value'))).limit(query.page.perPage).offset(query.page.offset),
  ]);
  const ids = rows.map((row: Record<string, unknown>) => Number(row.id));
  const lines: Array<Record<string, unknown>> = ids.length === 0 ? [] : await scope.table('ticket_cost_lines').whereIn('ticket_cost_lines.ticket_id', ids).select('ticket_id', 'quantity_thousandths', 'unit_price_minor', 'vat_rate');
  return {
    total: Number((counted as { total?: unknown } | undefined)?.total ?? 0),
    rows: rows.map((row: Record<string, unknown>) => {
      const own = lines.filter((line) => Number(line.ticket_id) === Number(row.id)).map((line) => ({ quantityThousandths: Number(line.quantity_thousandths), unitPriceMinor: Number(line.unit_price_minor), vatRate: String(line.vat_rate) }));
      const totals = pricingTotals(own, tenant.currency);
      return {
        id: Number(row.id),
        cells: {
          number: text(ticketNumber(Number(row.year), Number(row.sequence))),
          title: text(String(row.title)),
          resolvedOn: { kind: 'moment', value: row.resolved_at as Date | string },
          net: money(moneyOf(totals.net, tenant.currency)),
          vat: money(moneyOf(totals.vat, tenant.currency)),
          gross: money(moneyOf(totals.gross, tenant.currency)),
        },
      };
    }),
  };
}
