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
export function csvLine(values: ReadonlyArray<string | number | null | undefined>, separator = ','): string {
  return `${values.map((value) => csvValue(value, separator)).join(separator)}\r\n`;
}

function csvValue(value: string | number | null | undefined, separator: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
