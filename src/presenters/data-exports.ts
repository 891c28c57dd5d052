import { csvLine } from '../lib/csv.js';
import { allColumnsOf, type ImportKind } from '../lib/import-rows.js';
import { toDecimalText } from '../lib/money.js';
import type { ExportRow } from '../models/data-export.js';

/**
 * An export's CSV (M7) as the import reads it: the import's column names, dates as 2026-03-31, and
 * amounts in major units with the reader's decimal mark (a comma and semicolons in Polish, as Polish
 * spreadsheets expect; a point and commas in English). Free text that starts with = + - @ (or a tab
 * or CR) gets the apostrophe of csvLine, which the import takes away again.
 */
export function exportFormat(locale: string): { separator: string; decimalMark: string } {
  return locale === 'pl' ? { separator: ';', decimalMark: ',' } : { separator: ',', decimalMark: '.' };
}

export function exportHeader(kind: ImportKind, locale: string): string {
  return csvLine(allColumnsOf(kind), exportFormat(locale).separator);
}

/**
 * How a kind's rows become lines in the reader's language: the columns and the format worked out once
 * for the whole export, not again for each of its 100,000 rows.
 */
export function exportLineWriter(kind: ImportKind, locale: string, currency: string): (row: ExportRow) => string {
  const { separator, decimalMark } = exportFormat(locale);
  const columns = allColumnsOf(kind);
  const cellOf = (row: ExportRow, column: string): string | null => {
    const value = row[column];
    if (value === null || value === undefined) return null;
    if (column === 'amount') return toDecimalText(BigInt(value), currency).replace('.', decimalMark);
    return String(value);
  };
  return (row) => csvLine(columns.map((column) => cellOf(row, column)), separator);
}
