import { describe, expect, it } from 'vitest';
import { formatNip, isValidNip, isValidTaxId, normalizeNip, normalizeTaxId, taxIdSpellings } from '../../src/lib/nip.js';

describe('the Polish NIP', () => {
  it('accepts a number whose check digit matches', () => {
    // 1·6 + 2·5 + 3·7 + 4·2 + 5·3 + 6·4 + 3·5 + 2·6 + 1·7 = 118; 118 mod 11 = 8, the last digit.
    expect(isValidNip('1234563218')).toBe(true);
    expect(isValidNip('5260250995')).toBe(true);
  });

  it('accepts the number written with dashes, spaces or the PL prefix', () => {
    for (const written of ['123-456-32-18', '123-45-63-218', '123 456 32 18', ' 1234563218 ', 'PL1234563218', 'pl 123-456-32-18']) {
      expect(isValidNip(written), written).toBe(true);
    }
  });

  it('refuses a number whose check digit does not match', () => {
    expect(isValidNip('1234563217')).toBe(false);
    expect(isValidNip('1234563219')).toBe(false);
  });

  it('refuses a number whose weighted sum leaves 10, which no check digit can be', () => {
    // Only the second digit is set: 2·5 = 10, so the remainder is 10 whatever the last digit.
    for (let last = 0; last <= 9; last += 1) expect(isValidNip(`020000000${last}`)).toBe(false);
  });

  it('refuses wrong lengths, letters and all zeros', () => {
    for (const written of ['', '123456321', '12345632189', '12345632a8', 'abcdefghij', '0000000000', '123_456_32_18']) {
      expect(isValidNip(written), written).toBe(false);
    }
  });

  it('keeps only the digits for storing, and shows them grouped', () => {
    expect(normalizeNip('PL 123-456-32-18')).toBe('1234563218');
    expect(formatNip('1234563218')).toBe('123-456-32-18');
    expect(formatNip('DE123')).toBe('DE123');
  });
});

describe('tax ids of other countries', () => {
  it('accepts a Slovak DIČ and IČ DPH, a Czech DIČ and other EU VAT numbers, with or without their prefix', () => {
    const valid: Array<[string, string]> = [
      ['SK', '2020123456'], ['SK', 'SK2020123456'], ['SK', 'sk 2020 123 456'],
      ['CZ', '12345678'], ['CZ', 'CZ1234567890'], ['DE', 'DE123456789'], ['AT', 'ATU12345678'],
      ['GR', 'EL123456789'], ['NL', 'NL123456789B01'], ['FR', 'FRXX123456789'], ['IE', '1234567T'],
    ];
    for (const [country, taxId] of valid) expect(isValidTaxId(taxId, country), `${country} ${taxId}`).toBe(true);
  });

  it('refuses numbers of the wrong form for their country', () => {
    const invalid: Array<[string, string]> = [['SK', '20201234'], ['SK', 'CZ2020123456'], ['CZ', '1234567'], ['DE', 'DE12345678'], ['AT', '12345678'], ['NL', '123456789']];
    for (const [country, taxId] of invalid) expect(isValidTaxId(taxId, country), `${country} ${taxId}`).toBe(false);
  });

  it('applies the NIP’s check digit to Polish ids only', () => {
    expect(isValidTaxId('1234563219', 'PL')).toBe(false);
    expect(isValidTaxId('1234563219', 'SK')).toBe(true);
    expect(isValidTaxId('PL 123-456-32-18', 'PL')).toBe(true);
  });

  it('checks a country outside the EU for 2 to 15 letters and digits only', () => {
    expect(isValidTaxId('123456789MVA', 'NO')).toBe(true);
    expect(isValidTaxId('CHE-123.456.789', 'CH')).toBe(true);
    expect(isValidTaxId('1', 'US')).toBe(false);
    expect(isValidTaxId('12345678901234567', 'US')).toBe(false);
  });

  it('stores a NIP as its digits and another id in capitals without separators, comparing both spellings of a prefix', () => {
    expect(normalizeTaxId('PL 123-456-32-18', 'PL')).toBe('1234563218');
    expect(normalizeTaxId('sk 2020-123.456', 'SK')).toBe('SK2020123456');
    expect(taxIdSpellings('SK2020123456', 'SK')).toEqual(['2020123456', 'SK2020123456']);
    expect(taxIdSpellings('123456789', 'GR')).toEqual(['123456789', 'EL123456789']);
    expect(taxIdSpellings('123-456-32-18', 'PL')).toEqual(['1234563218']);
  });
});
