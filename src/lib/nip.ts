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

/**
 * The member states of the EU by the ISO code of the country (Greece is GR here; its VAT numbers
 * begin with EL), each with the form of its VAT number after the country prefix (VIES). A
 * Slovak DIČ and IČ DPH share their ten digits, a Czech DIČ is 8 to 10 digits.
 */
const euTaxIdForms: Record<string, { prefix: string; pattern: RegExp }> = {
  AT: { prefix: 'AT', pattern: /^U\d{8}$/ },
  BE: { prefix: 'BE', pattern: /^[01]\d{9}$/ },
  BG: { prefix: 'BG', pattern: /^\d{9,10}$/ },
  CY: { prefix: 'CY', pattern: /^\d{8}[A-Z]$/ },
  CZ: { prefix: 'CZ', pattern: /^\d{8,10}$/ },
  DE: { prefix: 'DE', pattern: /^\d{9}$/ },
  DK: { prefix: 'DK', pattern: /^\d{8}$/ },
  EE: { prefix: 'EE', pattern: /^\d{9}$/ },
  ES: { prefix: 'ES', pattern: /^[A-Z0-9]\d{7}[A-Z0-9]$/ },
  FI: { prefix: 'FI', pattern: /^\d{8}$/ },
  FR: { prefix: 'FR', pattern: /^[A-HJ-NP-Z0-9]{2}\d{9}$/ },
  GR: { prefix: 'EL', pattern: /^\d{9}$/ },
  HR: { prefix: 'HR', pattern: /^\d{11}$/ },
  HU: { prefix: 'HU', pattern: /^\d{8}$/ },
  IE: { prefix: 'IE', pattern: /^\d[A-Z0-9+*]\d{5}[A-Z]{1,2}$/ },
  IT: { prefix: 'IT', pattern: /^\d{11}$/ },
  LT: { prefix: 'LT', pattern: /^(\d{9}|\d{12})$/ },
  LU: { prefix: 'LU', pattern: /^\d{8}$/ },
  LV: { prefix: 'LV', pattern: /^\d{11}$/ },
  MT: { prefix: 'MT', pattern: /^\d{8}$/ },
  NL: { prefix: 'NL', pattern: /^\d{9}B\d{2}$/ },
  PL: { prefix: 'PL', pattern: /^\d{10}$/ },
  PT: { prefix: 'PT', pattern: /^\d{9}$/ },
  RO: { prefix: 'RO', pattern: /^\d{2,10}$/ },
  SE: { prefix: 'SE', pattern: /^\d{12}$/ },
  SI: { prefix: 'SI', pattern: /^\d{8}$/ },
  SK: { prefix: 'SK', pattern: /^\d{10}$/ },
};

/** The ISO codes of the EU's member states, the countries a tax id is chosen from on the forms. */
export const euCountries: readonly string[] = Object.keys(euTaxIdForms);

/**
 * A tax id as it is stored: a Polish NIP as its ten digits; any other in capitals without spaces,
 * dashes, dots or slashes, its country prefix kept as written (SK2020123456 and 2020123456 are
 * both how Slovak firms write theirs).
 */
export function normalizeTaxId(written: string, taxCountry: string): string {
  if (taxCountry === 'PL') return normalizeNip(written);
  return written.replace(/[\s./-]/g, '').toUpperCase();
}

/** The tax id without the country's VAT prefix: what two ways of writing the same number share. */
export function taxIdBody(stored: string, taxCountry: string): string {
  const prefix = euTaxIdForms[taxCountry]?.prefix ?? taxCountry;
  const compact = normalizeTaxId(stored, taxCountry);
  return compact.startsWith(prefix) && compact.length > prefix.length ? compact.slice(prefix.length) : compact;
}

/** The ways one number of the country may be stored: with and without its VAT prefix. */
export function taxIdSpellings(stored: string, taxCountry: string): string[] {
  if (taxCountry === 'PL') return [normalizeNip(stored)];
  const body = taxIdBody(stored, taxCountry);
  const prefix = euTaxIdForms[taxCountry]?.prefix ?? taxCountry;
  return [body, `${prefix}${body}`];
}

/**
 * Whether a tax id is valid for its country: a NIP by its check digit; another EU member's number
 * by the form of its VAT number (with or without its prefix); any other country's as 2 to 15
 * letters and digits, the most such numbers have.
 */
export function isValidTaxId(written: string, taxCountry: string): boolean {
  if (taxCountry === 'PL') return isValidNip(written);
  const form = euTaxIdForms[taxCountry];
  if (!form) return /^[A-Z0-9]{2,15}$/.test(normalizeTaxId(written, taxCountry));
  return form.pattern.test(taxIdBody(written, taxCountry));
}
