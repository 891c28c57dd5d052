import { describe, expect, it } from 'vitest';
import { addMoney, formatAmount, formatMoney, minMoney, minorUnitDigits, minorUnitsFrom, moneyForDatabase, moneyOf, subtractMoney, toDecimalText } from '../../src/lib/money.js';

// What Intl prints on Node 20 (ICU with CLDR 48): Polish separates thousands and the currency with a
// no-break space (U+00A0) and groups only from five digits on; British English puts the code first.
const noBreakSpace = '\u00a0';

describe('formatting money', () => {
  it('writes 1234.56 zł as Polish and English readers expect', () => {
    expect(formatMoney(123456, 'PLN', 'pl')).toBe(`1234,56${noBreakSpace}zł`);
    expect(formatMoney(123456, 'PLN', 'en')).toBe(`PLN${noBreakSpace}1,234.56`);
  });

  it('groups thousands in Polish from five digits on, with no-break spaces so an amount never splits across lines', () => {
    expect(formatMoney(12345678, 'PLN', 'pl')).toBe(`123${noBreakSpace}456,78${noBreakSpace}zł`);
    expect(formatMoney(12345678, 'PLN', 'en')).toBe(`PLN${noBreakSpace}123,456.78`);
  });

  it('keeps the grosze of small, zero and negative amounts', () => {
    expect(formatMoney(5, 'PLN', 'pl')).toBe(`0,05${noBreakSpace}zł`);
    expect(formatMoney(0, 'PLN', 'pl')).toBe(`0,00${noBreakSpace}zł`);
    expect(formatMoney(-5, 'PLN', 'pl')).toBe(`-0,05${noBreakSpace}zł`);
    expect(formatMoney(-5, 'PLN', 'en')).toBe(`-PLN${noBreakSpace}0.05`);
  });

  it('uses each currency’s own minor unit: euro cents, no yen fractions, three Bahraini fils digits', () => {
    expect(formatMoney(9950, 'EUR', 'pl')).toBe(`99,50${noBreakSpace}€`);
    expect(formatMoney(9950, 'EUR', 'en')).toBe('€99.50');
    expect(formatMoney(1234, 'JPY', 'pl')).toBe(`1234${noBreakSpace}JPY`);
    expect(formatMoney(1234, 'BHD', 'en')).toBe(`BHD${noBreakSpace}1.234`);
  });

  it('formats an amount beyond the safe integers exactly, given as a bigint', () => {
    expect(formatMoney(123456789012345678901n, 'PLN', 'en')).toBe(`PLN${noBreakSpace}1,234,567,890,123,456,789.01`);
    expect(formatMoney(123456789012345678901n, 'PLN', 'pl')).toBe(['1', '234', '567', '890', '123', '456', '789,01'].join(noBreakSpace) + `${noBreakSpace}zł`);
  });

  it('refuses a fraction of a minor unit, an unsafe number and a made-up currency code', () => {
    expect(() => formatMoney(12.5, 'PLN', 'pl')).toThrow(RangeError);
    expect(() => formatMoney(2 ** 53, 'PLN', 'pl')).toThrow(RangeError);
    expect(() => formatMoney(100, 'zł', 'pl')).toThrow(RangeError);
    expect(() => formatMoney(100, 'pln', 'pl')).toThrow(RangeError);
  });
});

describe('minor units as a decimal', () => {
  it('divides by the currency’s power of ten without a float', () => {
    expect(toDecimalText(123456, 'PLN')).toBe('1234.56');
    expect(toDecimalText(-123456, 'PLN')).toBe('-1234.56');
    expect(toDecimalText(5, 'PLN')).toBe('0.05');
    expect(toDecimalText(-5n, 'PLN')).toBe('-0.05');
    expect(toDecimalText(1234, 'JPY')).toBe('1234');
    expect(toDecimalText(1234, 'BHD')).toBe('1.234');
    expect(toDecimalText(2n ** 70n, 'PLN')).toBe('11805916207174113034.24');
  });

  it('knows the minor unit of a currency from ISO 4217', () => {
    expect([minorUnitDigits('PLN'), minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('BHD')]).toEqual([2, 2, 0, 3]);
  });
});

describe('the Money type', () => {
  it('reads what either database returns for a BIGINT or a SUM, never through a float', () => {
    expect(minorUnitsFrom(12345)).toBe(12345n);
    expect(minorUnitsFrom('9007199254740993')).toBe(9007199254740993n);
    expect(minorUnitsFrom('-120.000')).toBe(-120n);
    expect(minorUnitsFrom(null)).toBe(0n);
    expect(minorUnitsFrom(5n)).toBe(5n);
    for (const bad of [1.5, '12.5', 'abc', Number.MAX_SAFE_INTEGER + 2, {}]) expect(() => minorUnitsFrom(bad), String(bad)).toThrow(RangeError);
  });

  it('adds and subtracts in one currency exactly past 2^53, and refuses to mix currencies', () => {
    const big = moneyOf('9007199254740993', 'PLN');
    expect(addMoney(big, moneyOf(2, 'PLN'))).toEqual({ minor: 9007199254740995n, currency: 'PLN' });
    expect(subtractMoney(moneyOf(100, 'PLN'), moneyOf(250, 'PLN')).minor).toBe(-150n);
    expect(minMoney(moneyOf(3, 'EUR'), moneyOf(2, 'EUR')).minor).toBe(2n);
    expect(() => addMoney(moneyOf(1, 'PLN'), moneyOf(1, 'EUR'))).toThrow(RangeError);
    expect(() => moneyOf(1, 'zł')).toThrow(RangeError);
  });

  it('is written to the database as a string of digits and to people as formatMoney writes it', () => {
    expect(moneyForDatabase(moneyOf('9007199254740993', 'PLN'))).toBe('9007199254740993');
    expect(formatAmount(moneyOf(123456, 'PLN'), 'pl')).toBe(formatMoney(123456, 'PLN', 'pl'));
    expect(toDecimalText(moneyOf('9007199254740993', 'PLN').minor, 'PLN')).toBe('90071992547409.93');
  });
});
