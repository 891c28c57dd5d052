import { describe, expect, it } from 'vitest';
import { formatNip, isValidNip, normalizeNip } from '../../src/lib/nip.js';

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
