/**
 * The Polish tax identification number (NIP): ten digits, the last a check digit. People write
 * it with dashes or spaces in many groupings (123-456-32-18, 123-45-63-218) and sometimes with
 * the EU VAT prefix PL, so every form is accepted and the digits alone are stored.
 */

const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7] as const;

/** The digits of a NIP as written by a person: spaces, dashes and a leading "PL" dropped. */
export function normalizeNip(written: string): string {
  return written.replace(/[\s-]/g, '').replace(/^PL/i, '');
}

/**
 * Whether the text is a valid NIP: ten digits whose weighted sum of the first nine, modulo 11,
 * equals the tenth. A remainder of 10 can never be a check digit, so such numbers are invalid.
 * All zeros passes the arithmetic but is no one's number.
 */
export function isValidNip(written: string): boolean {
  const digits = normalizeNip(written);
  if (!/^\d{10}$/.test(digits) || digits === '0000000000') return false;
  const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  const remainder = sum % 11;
  return remainder !== 10 && remainder === Number(digits[9]);
}

/** A stored NIP as people read it: 123-456-32-18. Anything that is not ten digits is shown as it is. */
export function formatNip(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}` : digits;
}

/** A tax id as people read it: a Polish NIP in its groups, anything else as stored. */
export function formatTaxId(taxId: string, taxCountry: string): string {
  return taxCountry === 'PL' ? formatNip(taxId) : taxId;
}
