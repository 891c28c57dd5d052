import { csvNumber, type CsvValue } from '../lib/csv.js';
import { agingBuckets } from '../lib/aging.js';
import { formatAmount, toDecimalText, type Money } from '../lib/money.js';
import type { AgingReportRow } from '../models/aging-report.js';
import type { BalanceReportRow } from '../models/balance-report.js';
import type { ReportEntry } from '../models/customer-report.js';
import { agingBucketLabels } from './aging-chart.js';
import { message, type Text } from './presentation.js';

/**
 * The columns of the staff's money reports (M5, M9), written once for the page, the CSV and the PDF:
 * each with its header (a message key), its share of a PDF page's width, and its value in a row as
 * text, a calendar date or an amount. Each output writes a value its own way: an amount is the
 * formatted text on a page and in a PDF, and a plain decimal number in a CSV.
 */
export type ReportValue = { text: Text | null } | { date: string | null } | { amount: Money | null };
export type ReportColumn<Row> = { header: string; share: number; value(row: Row): ReportValue; isRowHeader?: boolean; isAmount?: boolean };

const text = (value: Text | null): ReportValue => ({ text: value });
const amount = (value: Money | null): ReportValue => ({ amount: value });

/** The arrears and payments report (M5): a row per customer. */
export const balanceReportColumns: Array<ReportColumn<BalanceReportRow>> = [
  { header: 'reports:column.customer', share: 0.2, value: (row) => text(row.name), isRowHeader: true },
  { header: 'reports:column.customerNumber', share: 0.08, value: (row) => text(row.customerNumber) },
  { header: 'reports:column.caretaker', share: 0.12, value: (row) => text(row.caretakerName) },
  { header: 'reports:column.opening', share: 0.1, value: (row) => amount(row.opening), isAmount: true },
  { header: 'reports:column.charges', share: 0.1, value: (row) => amount(row.charges), isAmount: true },
  { header: 'reports:column.payments', share: 0.1, value: (row) => amount(row.payments), isAmount: true },
  { header: 'reports:column.credits', share: 0.1, value: (row) => amount(row.credits), isAmount: true },
  { header: 'reports:column.closing', share: 0.1, value: (row) => amount(row.closing), isAmount: true },
  { header: 'reports:column.overdue', share: 0.1, value: (row) => amount(row.overdue), isAmount: true },
];

/** The aging (M9): a row per customer with what it owes in each bucket. */
export const agingReportColumns: Array<ReportColumn<AgingReportRow>> = [
  { header: 'reports:column.customer', share: 0.22, value: (row) => text(row.name), isRowHeader: true },
  { header: 'reports:column.customerNumber', share: 0.08, value: (row) => text(row.customerNumber) },
  { header: 'reports:column.caretaker', share: 0.12, value: (row) => text(row.caretakerName) },
  ...agingBuckets.map((bucket): ReportColumn<AgingReportRow> => ({ header: agingBucketLabels[bucket], share: 0.1, value: (row) => amount(row.buckets[bucket]), isAmount: true })),
  { header: 'reports:column.agingTotal', share: 0.08, value: (row) => amount(row.total), isAmount: true },
];

/** A customer's report (M5): its entries of the period with the balance after each. */
export const customerReportColumns: Array<ReportColumn<ReportEntry>> = [
  { header: 'reports:column.date', share: 0.11, value: (entry) => ({ date: entry.entryDate }), isRowHeader: true },
  { header: 'reports:column.entry', share: 0.23, value: (entry) => text(message(`payments:kind.${entry.kind}`)) },
  { header: 'reports:column.document', share: 0.17, value: (entry) => text(entry.documentNumber) },
  { header: 'reports:column.dueDate', share: 0.11, value: (entry) => ({ date: entry.dueDate }) },
  { header: 'reports:column.charge', share: 0.12, value: (entry) => amount(entry.charge), isAmount: true },
  { header: 'reports:column.credit', share: 0.12, value: (entry) => amount(entry.credit), isAmount: true },
  { header: 'reports:column.balance', share: 0.14, value: (entry) => amount(entry.balance), isAmount: true },
];

/** How one reader writes values: their words, dates and amounts. */
export type ReportWriter = { textOf(text: Text): string; formatDate(value: string): string; locale: string };

/** A value as text for a page or a PDF ('' for none). */
export function shownValue(value: ReportValue, writer: ReportWriter): string {
  if ('amount' in value) return value.amount ? formatAmount(value.amount, writer.locale) : '';
  if ('date' in value) return value.date ? writer.formatDate(value.date) : '';
  return value.text === null ? '' : writer.textOf(value.text);
}

/**
 * A value for a CSV cell: an amount as a plain decimal number with the reader's decimal mark
 * (1234,56 in Polish files, whose separator is ';'; 1234.56 in English ones), never grouped and
 * never escaped, so a spreadsheet reads it as a number, a negative one too; a date as ISO
 * (2026-12-01), which every spreadsheet reads as a date; text as it is, escaped by csvLine.
 */
export function csvValueOf(value: ReportValue, writer: ReportWriter): CsvValue {
  if ('amount' in value) {
    if (!value.amount) return null;
    const decimal = toDecimalText(value.amount.minor, value.amount.currency);
    return csvNumber(writer.locale === 'pl' ? decimal.replace('.', ',') : decimal);
  }
  if ('date' in value) return value.date;
  return value.text === null ? null : writer.textOf(value.text);
}

/** The headers of a report's columns in the reader's words. */
export const headersOf = <Row>(columns: ReadonlyArray<ReportColumn<Row>>, writer: ReportWriter): string[] => columns.map((column) => writer.textOf(message(column.header)));

/** The choices of the reports' filters, each key written out so that the locale test finds it. */
export const reportChoiceLabels = {
  period: { month: 'reports:period.month', lastMonth: 'reports:period.lastMonth', year: 'reports:period.year' },
  balanceSort: {
    'name-asc': 'reports:sort.nameAsc',
    'name-desc': 'reports:sort.nameDesc',
    'closing-desc': 'reports:sort.closingDesc',
    'closing-asc': 'reports:sort.closingAsc',
    'overdue-desc': 'reports:sort.overdueDesc',
    'payments-desc': 'reports:sort.paymentsDesc',
  },
  agingSort: {
    'name-asc': 'reports:sort.nameAsc',
    'name-desc': 'reports:sort.nameDesc',
    'overdue-desc': 'reports:sort.overdueDesc',
    'total-desc': 'reports:sort.totalDesc',
    'over90-desc': 'reports:sort.over90Desc',
  },
} as const;
