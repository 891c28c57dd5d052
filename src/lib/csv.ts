/**
 * CSV for spreadsheets (RFC 4180, CRLF line ends). Files start with a UTF-8 byte order mark, which is
 * how Excel knows the file is UTF-8 (Polish letters otherwise come out as mojibake).
 */
export const csvStart = '\uFEFF';

/**
 * One line of CSV. A value holding the separator, a quote or a line break is quoted, quotes doubled.
 * A value starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it as a formula (a name typed by a client could
 * otherwise be "=HYPERLINK(…)").
 */
export function csvLine(values: ReadonlyArray<CsvValue>, separator = ','): string {
  return `${values.map((value) => csvValue(value, separator)).join(separator)}\r\n`;
}

/**
 * A number written as the reader's language writes it ('-1234,56', '1234.56'): digits, at most one
 * decimal mark and a leading minus, nothing else, so it is safe by construction and goes out as it
 * is. A negative amount must stay a number in the spreadsheet, which the apostrophe of a formula
 * escape would undo; only text that passed this check is written so.
 */
export type CsvNumber = { readonly csvNumber: string };
export type CsvValue = string | number | CsvNumber | null | undefined;

/**
 * A number cell from its text.
 * @throws RangeError for text that is not a plain number (it would be written unescaped)
 */
export function csvNumber(text: string): CsvNumber {
  if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) throw new RangeError(`not a plain number for CSV: ${JSON.stringify(text)}`);
  return { csvNumber: text };
}

function csvValue(value: CsvValue, separator: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return value.csvNumber.includes(separator) ? `"${value.csvNumber}"` : value.csvNumber;
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
