import { describe, expect, it } from 'vitest';
import { amountInWords } from '../../src/lib/amount-in-words.js';

/** Whole złoty amounts, in grosze. */
const zloty = (value: number) => value * 100;

describe('an amount in words, in Polish', () => {
  it('writes the vectors of the money issue, with złoty, złote and złotych as the number asks', () => {
    const cases: Array<[number, string]> = [
      [zloty(0), 'zero złotych 00/100'],
      [zloty(1), 'jeden złoty 00/100'],
      [zloty(2), 'dwa złote 00/100'],
      [zloty(5), 'pięć złotych 00/100'],
      [zloty(11), 'jedenaście złotych 00/100'],
      [zloty(12), 'dwanaście złotych 00/100'],
      [zloty(21), 'dwadzieścia jeden złotych 00/100'],
      [zloty(22), 'dwadzieścia dwa złote 00/100'],
      [zloty(1000), 'jeden tysiąc złotych 00/100'],
      [zloty(1_001_000), 'jeden milion jeden tysiąc złotych 00/100'],
      [1, 'zero złotych 01/100'],
      [12345, 'sto dwadzieścia trzy złote 45/100'],
    ];
    for (const [grosze, words] of cases) expect(amountInWords(grosze, 'PLN', 'pl'), String(grosze)).toBe(words);
  });

  it('declines the thousands and millions themselves: tysiące after 2–4, tysięcy after 5 and after 12–14', () => {
    expect(amountInWords(zloty(2000), 'PLN', 'pl')).toBe('dwa tysiące złotych 00/100');
    expect(amountInWords(zloty(5000), 'PLN', 'pl')).toBe('pięć tysięcy złotych 00/100');
    expect(amountInWords(zloty(12_000), 'PLN', 'pl')).toBe('dwanaście tysięcy złotych 00/100');
    expect(amountInWords(zloty(22_000), 'PLN', 'pl')).toBe('dwadzieścia dwa tysiące złotych 00/100');
    expect(amountInWords(zloty(114), 'PLN', 'pl')).toBe('sto czternaście złotych 00/100');
    expect(amountInWords(zloty(3_000_000), 'PLN', 'pl')).toBe('trzy miliony złotych 00/100');
    expect(amountInWords(zloty(999_999), 'PLN', 'pl')).toBe('dziewięćset dziewięćdziesiąt dziewięć tysięcy dziewięćset dziewięćdziesiąt dziewięć złotych 00/100');
    expect(amountInWords(zloty(2_000_000_000), 'PLN', 'pl')).toBe('dwa miliardy złotych 00/100');
  });

  it('writes euro without declension, a negative amount with minus, and amounts past a safe integer exactly', () => {
    expect(amountInWords(25050, 'EUR', 'pl')).toBe('dwieście pięćdziesiąt euro 50/100');
    expect(amountInWords(-12345, 'PLN', 'pl')).toBe('minus sto dwadzieścia trzy złote 45/100');
    expect(amountInWords(10n ** 20n + 1n, 'PLN', 'pl')).toBe('jeden trylion złotych 01/100');
  });
});

describe('an amount in words, in English', () => {
  it('writes the same vectors in British usage, with zloty and zlotys', () => {
    const cases: Array<[number, string]> = [
      [zloty(0), 'zero zlotys 00/100'],
      [zloty(1), 'one zloty 00/100'],
      [zloty(2), 'two zlotys 00/100'],
      [zloty(11), 'eleven zlotys 00/100'],
      [zloty(21), 'twenty-one zlotys 00/100'],
      [zloty(1000), 'one thousand zlotys 00/100'],
      [zloty(1005), 'one thousand and five zlotys 00/100'],
      [zloty(1_001_000), 'one million one thousand zlotys 00/100'],
      [1, 'zero zlotys 01/100'],
      [12345, 'one hundred and twenty-three zlotys 45/100'],
    ];
    for (const [grosze, words] of cases) expect(amountInWords(grosze, 'PLN', 'en'), String(grosze)).toBe(words);
    expect(amountInWords(100, 'EUR', 'en')).toBe('one euro 00/100');
    expect(amountInWords(25050, 'EUR', 'en')).toBe('two hundred and fifty euros 50/100');
  });

  it('refuses a fractional number of minor units instead of rounding it', () => {
    expect(() => amountInWords(1.5, 'PLN', 'pl')).toThrow(RangeError);
  });
});
