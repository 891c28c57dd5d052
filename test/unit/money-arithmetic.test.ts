import { describe, expect, it } from 'vitest';
import { decimalOf, formatDecimal, multiplyByDecimal, parseAmount, parseDecimal } from '../../src/lib/money.js';

describe('reading amounts people type', () => {
  it('reads Polish and English writing of the same amount as the same grosze', () => {
    for (const typed of ['1234,56', '1234.56', '1 234,56', '1\u00a0234,56', '1\u202f234.56', '  1234,56 ']) expect(parseAmount(typed, 'PLN'), typed).toBe(123456);
  });

  it('fills missing decimals and reads whole amounts', () => {
    expect(parseAmount('12', 'PLN')).toBe(1200);
    expect(parseAmount('12,5', 'PLN')).toBe(1250);
    expect(parseAmount('0,01', 'PLN')).toBe(1);
    expect(parseAmount('0', 'PLN')).toBe(0);
    expect(parseAmount('-3,10', 'PLN')).toBe(-310);
  });

  it('is exact where a float is not: 0.29 and 1.005 are never 28 grosze or 100.49', () => {
    expect(parseAmount('0,29', 'PLN')).toBe(29);
    expect(parseAmount('4.35', 'PLN')).toBe(435);
    expect(parseAmount('1.005', 'BHD')).toBe(1005);
    expect(parseAmount('90071992547409,91', 'PLN')).toBe(9007199254740991);
  });

  it('refuses text that is no amount, more decimals than the currency has, two decimal marks and unsafe sizes', () => {
    for (const typed of ['', ' ', 'abc', '12zł', '1,234.56', '1.234,56', '1.234', '0,001', '1,', ',5', '1 2 3,4,5', '1  234', '--1', '1e3', '0x10', '90071992547409,92'])
      expect(parseAmount(typed, 'PLN'), typed).toBeNull();
    expect(parseAmount('12,5', 'JPY')).toBeNull();
    expect(parseAmount('1200', 'JPY')).toBe(1200);
  });

  it('reads quantities with as many decimals as allowed and keeps their scale', () => {
    expect(parseDecimal('1,5', 2)).toEqual({ digits: 15n, scale: 1 });
    expect(parseDecimal('2.25', 2)).toEqual({ digits: 225n, scale: 2 });
    expect(parseDecimal('0,125', 3)).toEqual({ digits: 125n, scale: 3 });
    expect(parseDecimal('0,125', 2)).toBeNull();
  });
});

describe('multiplying an amount by an exact decimal', () => {
  it('rounds once, half up, to whole grosze', () => {
    // 1.5 h × 33.33 zł = 49.995 zł → 50.00 zł
    expect(multiplyByDecimal(3333, decimalOf(150, 2))).toBe(5000);
    // 0.333 × 1.00 zł = 0.333 zł → 0.33 zł
    expect(multiplyByDecimal(100, decimalOf(333, 3))).toBe(33);
    // 2.5 grosze → 3, 2.4999 → 2
    expect(multiplyByDecimal(5, decimalOf(5, 1))).toBe(3);
    expect(multiplyByDecimal(24999, decimalOf(1, 4))).toBe(2);
  });

  it('rounds a negative half away from zero, as commercial rounding does', () => {
    expect(multiplyByDecimal(-5, decimalOf(5, 1))).toBe(-3);
    expect(multiplyByDecimal(-24999, decimalOf(1, 4))).toBe(-2);
  });

  it('takes a VAT rate as a fraction: 23% of 0.01 zł is nothing, of 0.03 zł one grosz', () => {
    expect(multiplyByDecimal(1, decimalOf(23, 2))).toBe(0);
    expect(multiplyByDecimal(3, decimalOf(23, 2))).toBe(1);
    expect(multiplyByDecimal(10000, decimalOf(8, 2))).toBe(800);
  });

  it('is exact for products no float holds', () => {
    expect(multiplyByDecimal(100_000_000_00, decimalOf(9_999_999, 3))).toBe(99_999_990_000_000);
    expect(() => multiplyByDecimal(Number.MAX_SAFE_INTEGER, decimalOf(2, 0))).toThrow(RangeError);
  });
});

describe('writing decimals for people', () => {
  it('writes a quantity as the reader’s language does, without needless zeros', () => {
    expect(formatDecimal(decimalOf(1500, 3), 'pl')).toBe('1,5');
    expect(formatDecimal(decimalOf(1500, 3), 'en')).toBe('1.5');
    expect(formatDecimal(decimalOf(2000, 3), 'pl')).toBe('2');
    expect(formatDecimal(decimalOf(125, 3), 'en')).toBe('0.125');
  });

  it('writes an amount for a form with its two decimals, which reads back unchanged', () => {
    expect(formatDecimal(decimalOf(123450, 2), 'pl', 2)).toBe('1234,50');
    expect(parseAmount(formatDecimal(decimalOf(123450, 2), 'pl', 2), 'PLN')).toBe(123450);
    expect(formatDecimal(decimalOf(-5, 2), 'en', 2)).toBe('-0.05');
  });
});
