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

export function exportLine(kind: ImportKind, row: ExportRow, locale: string, currency: string): string {
  const { separator, decimalMark } = exportFormat(locale);
  const cells = allColumnsOf(kind).map((column) => {
    const value = row[column];
    if (column === 'amount' && value !== null && value !== undefined) return toDecimalText(BigInt(value), currency).replace('.', decimalMark);
    return value === null || value === undefined ? null : String(value);
  });
  return csvLine(cells, separator);
}
