import { isValidBankAccount, normalizeBankAccount } from './bank-account.js';
import { parseAmount } from './money.js';
import { isValidTaxId, normalizeTaxId } from './nip.js';

/**
 * The rows of the accounting system's CSV files (M7), one kind per file, read and checked on their
 * own (what needs the database, such as whether a customer number exists, is models/import-*.ts).
 * The columns are documented in docs/import-export.md; an export writes the same ones
 * (presenters/data-export.ts), so an export imports back unchanged.
 */
export const importKinds = ['customers', 'invoices', 'payments'] as const;
export type ImportKind = (typeof importKinds)[number];

/** Every column of each kind in the order an export writes them; the required ones first. */
export const importColumns: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  customers: { required: ['customer_number', 'name'], optional: ['tax_country', 'tax_id', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'bank_account', 'caretaker_email'] },
  invoices: { required: ['external_id', 'customer_number', 'number', 'issue_date', 'due_date', 'amount'], optional: ['currency', 'description'] },
  payments: { required: ['external_id', 'customer_number', 'date', 'amount', 'method'], optional: ['reference', 'invoice_external_id'] },
};

export const allColumnsOf = (kind: ImportKind): string[] => [...importColumns[kind].required, ...importColumns[kind].optional];

/** Why a row (or the file) is refused: a message key of the imports namespace and its values. */
export type RowProblem = { key: string; values?: Record<string, string | number> };
export type Parsed<Row> = { row: Row; problems: [] } | { row: null; problems: RowProblem[] };

/**
 * What is wrong with a header for the kind: a required column missing, or a column the kind does not
 * have (a typo would otherwise drop a column's values without a word).
 */
export function headerProblems(kind: ImportKind, columns: readonly string[]): RowProblem[] {
  const known = allColumnsOf(kind);
  const missing = importColumns[kind].required.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !known.includes(column));
  return [...missing.map((column) => ({ key: 'imports:file.columnMissing', values: { column } })), ...unknown.map((column) => ({ key: 'imports:file.columnUnknown', values: { column } }))];
}

/**
 * A cell as the accounting system meant it: an export puts an apostrophe before a value that starts
 * with = + - @, a tab or a carriage return (so a spreadsheet does not run it as a formula); the
 * import takes it away again, so the round trip keeps the value.
 */
export function cellValue(text: string | undefined): string {
  const value = (text ?? '').trim();
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * A date as accounting exports write it: 2026-03-31, or 31.03.2026 (Polish systems), as ISO text;
 * null for anything else or a day the calendar does not have (2026-02-30).
 */
export function parseImportDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const polish = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : polish ? [polish[3], polish[2]!.padStart(2, '0'), polish[1]!.padStart(2, '0')] : [];
  if (!year) return null;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${year}-${month}-${day}` ? null : `${year}-${month}-${day}`;
}

/** A customer number as the customer form keeps it: upper case, single spaces (see validators/customer.ts). */
export function normalizeCustomerNumber(text: string): string {
  return text.replace(/\s+/g, ' ').toUpperCase();
}

const customerNumberPattern = /^[\p{L}\p{N} ./_-]{1,40}$/u;
const externalIdPattern = /^[^\s].{0,63}$/su;

/** A row's problems as they are collected: each check adds one. */
class Problems {
  readonly list: RowProblem[] = [];
  add(key: string, values?: Record<string, string | number>): void {
    this.list.push(values ? { key, values } : { key });
  }
  required(values: Record<string, string>, column: string): string {
    const value = cellValue(values[column]);
    if (value === '') this.add('imports:row.required', { column });
    return value;
  }
  tooLong(value: string, column: string, max: number): string {
    if (value.length > max) this.add('imports:row.tooLong', { column, max });
    return value;
  }
  date(values: Record<string, string>, column: string): string {
    const text = this.required(values, column);
    const date = text === '' ? null : parseImportDate(text);
    if (text !== '' && date === null) this.add('imports:row.date', { column, value: text });
    return date ?? '';
  }
  amount(values: Record<string, string>, currency: string): number {
    const text = this.required(values, 'amount');
    if (text === '') return 0;
    const amount = parseAmount(text, currency);
    if (amount === null) this.add('imports:row.amount', { value: text });
    else if (amount <= 0) this.add('imports:row.amountPositive', { value: text });
    return amount ?? 0;
  }
  customerNumber(values: Record<string, string>): string {
    const number = normalizeCustomerNumber(this.required(values, 'customer_number'));
    if (number !== '' && !customerNumberPattern.test(number)) this.add('imports:row.customerNumber', { value: number });
    return number;
  }
  externalId(values: Record<string, string>): string {
    const id = this.required(values, 'external_id');
    if (id !== '' && !externalIdPattern.test(id)) this.add('imports:row.tooLong', { column: 'external_id', max: 64 });
    return id;
  }
  result<Row>(row: Row): Parsed<Row> {
    return this.list.length === 0 ? { row, problems: [] } : { row: null, problems: this.list };
  }
}

/** A customer row: only the columns the file has are set (an absent column leaves the stored value alone). */
export type CustomerImportRow = {
  customerNumber: string;
  name: string;
  fields: Partial<Record<'taxCountry' | 'taxId' | 'street' | 'postalCode' | 'city' | 'country' | 'email' | 'phone' | 'bankAccount', string | null>>;
  /** The caretaker's e-mail; null when the cell is empty or the column absent (the caretaker stays as it is). */
  caretakerEmail: string | null;
};

const customerTextColumns = { street: ['street', 200], postalCode: ['postal_code', 20], city: ['city', 100], phone: ['phone', 40] } as const;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[\d\s()-]+$/;

export function parseCustomerRow(values: Record<string, string>): Parsed<CustomerImportRow> {
  const problems = new Problems();
  const has = (column: string) => column in values;
  const customerNumber = problems.customerNumber(values);
  const name = problems.tooLong(problems.required(values, 'name'), 'name', 200);
  const fields: CustomerImportRow['fields'] = {};
  const country = (column: string) => {
    const code = cellValue(values[column]).toUpperCase() || 'PL';
    if (!/^[A-Z]{2}$/.test(code)) problems.add('imports:row.countryCode', { column, value: code });
    return code;
  };
  if (has('tax_country') || has('tax_id')) fields.taxCountry = country('tax_country');
  if (has('country')) fields.country = country('country');
  if (has('tax_id')) {
    const taxId = cellValue(values.tax_id);
    if (taxId !== '' && !isValidTaxId(taxId, fields.taxCountry!)) problems.add(fields.taxCountry === 'PL' ? 'imports:row.nip' : 'imports:row.taxId', { value: taxId });
    fields.taxId = taxId === '' ? null : normalizeTaxId(taxId, fields.taxCountry!);
  }
  for (const [field, [column, max]] of Object.entries(customerTextColumns)) {
    if (has(column)) fields[field as keyof typeof customerTextColumns] = problems.tooLong(cellValue(values[column]), column, max) || null;
  }
  if ((fields.country ?? 'PL') === 'PL' && fields.postalCode && !/^\d{2}-\d{3}$/.test(fields.postalCode)) problems.add('imports:row.postalCode', { value: fields.postalCode });
  if (fields.phone) {
    const digits = fields.phone.replace(/\D/g, '').length;
    if (!phonePattern.test(fields.phone) || digits < 6 || digits > 20) problems.add('imports:row.phone', { value: fields.phone });
  }
  if (has('email')) {
    fields.email = problems.tooLong(cellValue(values.email), 'email', 200) || null;
    if (fields.email && !emailPattern.test(fields.email)) problems.add('imports:row.email', { column: 'email', value: fields.email });
  }
  if (has('bank_account')) {
    const account = cellValue(values.bank_account);
    if (account !== '' && !isValidBankAccount(account)) problems.add('imports:row.bankAccount', { value: account });
    fields.bankAccount = account === '' ? null : normalizeBankAccount(account);
  }
  const caretakerEmail = cellValue(values.caretaker_email).toLowerCase() || null;
  if (caretakerEmail && !emailPattern.test(caretakerEmail)) problems.add('imports:row.email', { column: 'caretaker_email', value: caretakerEmail });
  return problems.result({ customerNumber, name, fields, caretakerEmail });
}

export type InvoiceImportRow = { externalId: string; customerNumber: string; number: string; issueDate: string; dueDate: string; amountMinor: number; description: string | null };

/** An invoice row; `currency` is the tenant's: a file's currency column, when given, must be it. */
export function parseInvoiceRow(values: Record<string, string>, currency: string): Parsed<InvoiceImportRow> {
  const problems = new Problems();
  const externalId = problems.externalId(values);
  const customerNumber = problems.customerNumber(values);
  const number = problems.tooLong(problems.required(values, 'number'), 'number', 64);
  const issueDate = problems.date(values, 'issue_date');
  const dueDate = problems.date(values, 'due_date');
  if (issueDate && dueDate && dueDate < issueDate) problems.add('imports:row.dueBeforeIssue', { issueDate, dueDate });
  const fileCurrency = cellValue(values.currency).toUpperCase();
  if (fileCurrency !== '' && fileCurrency !== currency) problems.add('imports:row.currency', { value: fileCurrency, currency });
  const amountMinor = problems.amount(values, currency);
  const description = problems.tooLong(cellValue(values.description), 'description', 500) || null;
  return problems.result({ externalId, customerNumber, number, issueDate, dueDate, amountMinor, description });
}

/** Payment methods by the words an accounting export may use for them, English or Polish. */
const methodWords: Record<string, 'transfer' | 'cash' | 'card' | 'other'> = { transfer: 'transfer', przelew: 'transfer', cash: 'cash', gotówka: 'cash', gotowka: 'cash', card: 'card', karta: 'card', other: 'other', inne: 'other', inna: 'other' };

export type PaymentImportRow = { externalId: string; customerNumber: string; paidOn: string; amountMinor: number; method: 'transfer' | 'cash' | 'card' | 'other'; reference: string | null; invoiceExternalId: string | null };

export function parsePaymentRow(values: Record<string, string>, currency: string): Parsed<PaymentImportRow> {
  const problems = new Problems();
  const externalId = problems.externalId(values);
  const customerNumber = problems.customerNumber(values);
  const paidOn = problems.date(values, 'date');
  const amountMinor = problems.amount(values, currency);
  const methodText = problems.required(values, 'method');
  const method = methodWords[methodText.toLowerCase()];
  if (methodText !== '' && !method) problems.add('imports:row.method', { value: methodText });
  const reference = problems.tooLong(cellValue(values.reference), 'reference', 64) || null;
  const invoiceExternalId = cellValue(values.invoice_external_id) || null;
  return problems.result({ externalId, customerNumber, paidOn, amountMinor, method: method ?? 'other', reference, invoiceExternalId });
}
