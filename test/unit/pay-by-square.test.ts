import { decode } from 'bysquare/pay';
import { describe, expect, it } from 'vitest';
import { payBySquareText } from '../../src/lib/pay-by-square.js';
import { variableSymbolOf } from '../../src/presenters/payment-order-pdf.js';
import type { OpenInvoice } from '../../src/models/customer-balance.js';

const payment = { iban: 'SK31 1200 0000 1987 4263 7541', amountMinorUnits: 1_000_001n, currency: 'EUR', beneficiaryName: 'Žltá Firma s.r.o.', note: 'FV 1/2026', variableSymbol: '2026001' };
const paymentOf = (text: string) => decode(text).payments[0]!;

describe('the PAY by square code', () => {
  it('reads back as the IBAN, the exact amount, the currency, the variable symbol, the note and the name without diacritics', () => {
    expect(paymentOf(payBySquareText(payment))).toMatchObject({ type: 1, amount: 10000.01, currencyCode: 'EUR', variableSymbol: '2026001', paymentNote: 'FV 1/2026', bankAccounts: [{ iban: 'SK3112000000198742637541' }], beneficiary: { name: 'Zlta Firma s.r.o.' } });
  });

  it('keeps every cent of amounts up to the payment order’s limit', () => {
    for (const minor of [1n, 10n, 99n, 12_345n, 99_999_999n, 100_000_000n]) expect(Math.round(paymentOf(payBySquareText({ ...payment, amountMinorUnits: minor })).amount! * 100), String(minor)).toBe(Number(minor));
  });

  it('leaves out a variable symbol that is not up to ten digits, and cuts the note to 140 characters on one line', () => {
    const decoded = paymentOf(payBySquareText({ ...payment, variableSymbol: 'FV/1/2026', note: `Faktúra\t${'x'.repeat(200)}` }));
    expect(decoded.variableSymbol).toBeUndefined();
    expect(decoded.paymentNote).toHaveLength(140);
    expect(decoded.paymentNote).toMatch(/^Faktura x+$/);
  });

  it('takes a Polish NRB as its PL IBAN', () => {
    expect(paymentOf(payBySquareText({ ...payment, iban: '61109010140000071219812874' })).bankAccounts).toEqual([{ iban: 'PL61109010140000071219812874' }]);
  });

  it('refuses an amount that is not above zero', () => {
    expect(() => payBySquareText({ ...payment, amountMinorUnits: 0n })).toThrow(RangeError);
    expect(() => payBySquareText({ ...payment, amountMinorUnits: -5n })).toThrow(RangeError);
  });
});

describe('the variable symbol of a payment order', () => {
  // Only the number matters here.
  const invoice = (documentNumber: string | null) => ({ documentNumber }) as OpenInvoice;
  it('is the one paid invoice’s number when that is up to ten digits, else the customer number when it is, else none', () => {
    expect(variableSymbolOf([invoice('2026017')], '4711')).toBe('2026017');
    expect(variableSymbolOf([invoice('FV/1/2026')], '4711')).toBe('4711');
    expect(variableSymbolOf([invoice('2026017'), invoice('2026018')], '4711')).toBe('4711');
    expect(variableSymbolOf([invoice('12345678901')], 'K/0001')).toBeNull();
    expect(variableSymbolOf([], null)).toBeNull();
  });
});
