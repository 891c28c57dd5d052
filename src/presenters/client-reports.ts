import type { TFunction } from 'i18next';
import { formatMoney, toDecimalText } from '../lib/money.js';
import { calendarDateIn, formatCalendarDate, fromDatabaseTime } from '../lib/time.js';
import type { ReportCell, ReportRow } from '../models/client-reports.js';
import { reportColumns, type ReportId } from '../models/portlet-registry.js';
import type { ReportPeriod } from '../models/report-period.js';

/** Who reads a report: their words and language, and the tenant's time zone for its dates. */
export type ReportReader = { t: TFunction; locale: string; timeZone: string };

/** Which columns hold amounts (right-aligned on a page, numbers in a CSV). */
export function isMoneyColumn(report: ReportId, column: string): boolean {
  return ['amount', 'net', 'vat', 'gross', 'charge', 'credit', 'balance'].includes(column) && (reportColumns[report] as readonly string[]).includes(column);
}

function dayOf(cell: ReportCell, timeZone: string): string | null {
  if (cell.value === null) return null;
  if (cell.kind === 'date') return String(cell.value).slice(0, 10);
  if (cell.kind === 'moment') {
    const moment = fromDatabaseTime(cell.value as Date | string);
    return moment ? calendarDateIn(moment, timeZone) : null;
  }
  return null;
}

/** A cell as a page or a PDF shows it: amounts and dates in the reader's language, labels translated; '—' for nothing. */
export function cellText(cell: ReportCell, reader: ReportReader): string {
  if (cell.value === null || cell.value === '') return '—';
  switch (cell.kind) {
    case 'money':
      return formatMoney(cell.value.minor, cell.value.currency, reader.locale);
    case 'label':
      return String(reader.t(cell.value));
    case 'date':
    case 'moment':
      return formatCalendarDate(dayOf(cell, reader.timeZone)!, reader.locale);
    default:
      return cell.value;
  }
}

/**
 * A cell as a CSV holds it, for a spreadsheet to read back: amounts as plain decimals with a dot,
 * dates as YYYY-MM-DD, labels translated, nothing as an empty cell.
 */
export function csvCellValue(cell: ReportCell, reader: ReportReader): string {
  if (cell.value === null) return '';
  switch (cell.kind) {
    case 'money':
      return toDecimalText(cell.value.minor, cell.value.currency);
    case 'label':
      return String(reader.t(cell.value));
    case 'date':
    case 'moment':
      return dayOf(cell, reader.timeZone) ?? '';
    default:
      return cell.value;
  }
}

/** The row's cells of the chosen columns, in the report's own order. */
export function rowTexts(row: ReportRow, columns: readonly string[], reader: ReportReader): string[] {
  return columns.map((column) => cellText(row.cells[column]!, reader));
}

/** "1 Sept 2026 – 30 Nov 2026": the period as days. */
export function periodText(range: { from: string; to: string }, reader: ReportReader): string {
  return String(reader.t('portlets:report.range', { from: formatCalendarDate(range.from, reader.locale), to: formatCalendarDate(range.to, reader.locale) }));
}

/** How a period is named on the group's form and the report's page ("the last 3 months"). */
export function periodName(period: ReportPeriod, t: TFunction): string {
  return period.kind === 'lastMonths' ? String(t('portlets:period.lastMonthsCount', { count: period.months })) : String(t(`portlets:period.${period.kind}`));
}

/** The routes of a report's page, CSV and PDF (routes.ts: one controller each). */
export function reportRoutes(report: ReportId): { page: string; csv: string; pdf: string } {
  return { page: `portal.${report}s.show`, csv: `portal.${report}Csvs.show`, pdf: `portal.${report}Pdfs.show` };
}
