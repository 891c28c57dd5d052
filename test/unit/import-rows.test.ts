import { describe, expect, it } from 'vitest';
import { cellValue, headerProblems, parseCustomerRow, parseImportDate, parseInvoiceRow, parsePaymentRow } from '../../src/lib/import-rows.js';

const invoice = (values: Record<string, string>) => parseInvoiceRow({ external_id: 'FV-1', customer_number: 'k/1', number: 'FV/1', issue_date: '2026-03-01', due_date: '2026-03-15', amount: '100,00', ...values }, 'PLN');
const keysOf = (parsed: { problems: Array<{ key: string }> }) => parsed.problems.map((problem) => problem.key);

describe('rows of the accounting system’s CSV files', () => {
  it('reads ISO dates and the Polish day.month.year, and refuses days the calendar has not', () => {
    expect(parseImportDate('2026-03-31')).toBe('2026-03-31');
    expect(parseImportDate('31.03.2026')).toBe('2026-03-31');
    expect(parseImportDate('1.3.2026')).toBe('2026-03-01');
    expect(parseImportDate('2026-02-30')).toBeNull();
    expect(parseImportDate('31/03/2026')).toBeNull();
    expect(parseImportDate('2026-3-1')).toBeNull();
  });

  it('takes away the apostrophe an export puts before a formula character, and only that one', () => {
    expect(cellValue("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(cellValue("'-5")).toBe('-5');
    expect(cellValue("'@home")).toBe('@home');
    expect(cellValue("'quoted'")).toBe("'quoted'");
    expect(cellValue('  plain ')).toBe('plain');
  });

  it('reads an invoice with a decimal comma or point and a customer number in any case', () => {
    expect(invoice({})).toEqual({ row: { externalId: 'FV-1', customerNumber: 'K/1', number: 'FV/1', issueDate: '2026-03-01', dueDate: '2026-03-15', amountMinor: 10_000, description: null }, problems: [] });
    expect(invoice({ amount: '1 234.56' }).row?.amountMinor).toBe(123_456);
    expect(invoice({ amount: '1234,5', currency: 'pln' }).row?.amountMinor).toBe(123_450);
  });

  it('refuses a negative, zero or malformed amount, a bad date, a due date before the issue date and another currency, each with its reason', () => {
    expect(keysOf(invoice({ amount: '-5' }))).toEqual(['imports:row.amountPositive']);
    expect(keysOf(invoice({ amount: '0,00' }))).toEqual(['imports:row.amountPositive']);
    expect(keysOf(invoice({ amount: '12,345' }))).toEqual(['imports:row.amount']);
    expect(keysOf(invoice({ issue_date: '2026-13-01' }))).toEqual(['imports:row.date']);
    expect(keysOf(invoice({ due_date: '2026-02-28' }))).toEqual(['imports:row.dueBeforeIssue']);
    expect(keysOf(invoice({ currency: 'EUR' }))).toEqual(['imports:row.currency']);
    expect(keysOf(invoice({ external_id: '', number: '' }))).toEqual(['imports:row.required', 'imports:row.required']);
  });

  it('reads a payment’s method in English or Polish and its optional invoice', () => {
    const payment = (values: Record<string, string>) => parsePaymentRow({ external_id: 'KP-1', customer_number: 'K/1', date: '10.03.2026', amount: '50', method: 'przelew', ...values }, 'PLN');
    expect(payment({}).row).toEqual({ externalId: 'KP-1', customerNumber: 'K/1', paidOn: '2026-03-10', amountMinor: 5000, method: 'transfer', reference: null, invoiceExternalId: null });
    expect(payment({ method: 'Gotówka', invoice_external_id: 'FV-1' }).row).toMatchObject({ method: 'cash', invoiceExternalId: 'FV-1' });
    expect(keysOf(payment({ method: 'cheque' }))).toEqual(['imports:row.method']);
  });

  it('reads a customer: only the columns the file has, tax ids and accounts kept as the form keeps them', () => {
    const parsed = parseCustomerRow({ customer_number: ' k/ 7 ', name: 'Łąka', tax_id: '123-456-32-18', bank_account: '70 1090 1014 0000 0000 0000 1001', caretaker_email: 'Anna@Example.test' });
    expect(parsed.row).toEqual({ customerNumber: 'K/ 7', name: 'Łąka', fields: { taxCountry: 'PL', taxId: '1234563218', bankAccount: '70109010140000000000001001' }, caretakerEmail: 'anna@example.test' });
    expect(keysOf(parseCustomerRow({ customer_number: 'K/8', name: 'X', tax_id: '1234563219', postal_code: '00950', country: 'PL', email: 'nope', bank_account: '12 3456' }))).toEqual([
      'imports:row.nip',
      'imports:row.postalCode',
      'imports:row.email',
      'imports:row.bankAccount',
    ]);
  });

  it('names a missing required column and a column the kind does not have', () => {
    expect(headerProblems('invoices', ['external_id', 'customer_number', 'number', 'issue_date', 'due_date', 'amount', 'currency'])).toEqual([]);
    expect(headerProblems('invoices', ['external_id', 'customer_number', 'number', 'issue_date', 'amount', 'ammount'])).toEqual([
      { key: 'imports:file.columnMissing', values: { column: 'due_date' } },
      { key: 'imports:file.columnUnknown', values: { column: 'ammount' } },
    ]);
  });
});
