import { calendarDateIn, fromDatabaseTime } from '../lib/time.js';
import type { ReportCell, ReportRow } from '../models/client-reports.js';
import { reportColumns, type ReportId } from '../models/portlet-registry.js';
import type { ReportPeriod } from '../models/report-period.js';
import { message } from './presentation.js';
import { shownValue, type ReportColumn, type ReportValue, type ReportWriter } from './report-tables.js';

/** Which columns hold amounts (right-aligned on a page, numbers in a CSV). */
export function isMoneyColumn(report: ReportId, column: string): boolean {
  return ['amount', 'net', 'vat', 'gross', 'charge', 'credit', 'balance'].includes(column) && (reportColumns[report] as readonly string[]).includes(column);
}

/** A cell as the staff's report tables take it (report-tables.ts): an amount, a calendar day in the tenant's zone, or text. */
function valueOf(cell: ReportCell, timeZone: string): ReportValue {
  switch (cell.kind) {
    case 'money':
      return { amount: cell.value };
    case 'date':
      return { date: cell.value === null ? null : String(cell.value).slice(0, 10) };
    case 'moment': {
      const moment = fromDatabaseTime(cell.value);
      return { date: moment ? calendarDateIn(moment, timeZone) : null };
    }
    case 'label':
      return { text: cell.value === null ? null : message(cell.value) };
    default:
      return { text: cell.value };
  }
}

/**
 * A client report's chosen columns in the report's own order, as the staff reports' columns are
 * made, so that its page, portlet, CSV and PDF are written by the same code as theirs
 * (report-tables.ts, report-exports.ts).
 */
export function clientReportColumns(report: ReportId, columns: readonly string[], timeZone: string): Array<ReportColumn<ReportRow>> {
  return columns.map((column) => ({ header: `portlets:columns.${report}.${column}`, share: 1 / columns.length, isAmount: isMoneyColumn(report, column), value: (row) => valueOf(row.cells[column]!, timeZone) }));
}

/** The rows as a page or a portlet shows them: each cell's text in the reader's language. */
export function rowTexts(rows: readonly ReportRow[], columns: ReadonlyArray<ReportColumn<ReportRow>>, writer: ReportWriter): string[][] {
  return rows.map((row) => columns.map((column) => shownValue(column.value(row), writer)));
}

/** "1 Sept 2026 – 30 Nov 2026": the period as days. */
export function periodText(range: { from: string; to: string }, writer: ReportWriter): string {
  return writer.textOf(message('portlets:report.range', { from: writer.formatDate(range.from), to: writer.formatDate(range.to) }));
}

/** How a period is named on the group's form and the report's page ("the last 3 months"). */
export function periodName(period: ReportPeriod, writer: ReportWriter): string {
  return writer.textOf(period.kind === 'lastMonths' ? message('portlets:period.lastMonthsCount', { count: period.months }) : message(`portlets:period.${period.kind}`));
}

/** The routes of a report's page, CSV and PDF (routes.ts: one controller each). */
export function reportRoutes(report: ReportId): { page: string; csv: string; pdf: string } {
  return { page: `portal.${report}s.show`, csv: `portal.${report}Csvs.show`, pdf: `portal.${report}Pdfs.show` };
}
