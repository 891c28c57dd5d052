import { z } from 'zod';
import { nullableText } from './fields.js';
import { formatNip, isValidNip, normalizeNip } from '../lib/nip.js';
import { maximumFieldLength } from './form.js';

/**
 * A bank account as people write it, spaces and dashes dropped: a Polish NRB is 26 digits (its
 * IBAN is PL and the same digits), stored as the 26 digits; another country's IBAN is kept whole.
 */
export function normalizeBankAccount(written: string): string {
  const compact = written.replace(/[\s-]/g, '').toUpperCase();
  return /^PL\d{26}$/.test(compact) ? compact.slice(2) : compact;
}

/** The ISO 13616 check: the IBAN turned around, letters as numbers (A = 10), modulo 97 is 1. */
function passesMod97(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** Whether a written account is a Polish NRB (26 digits, with or without PL) or another IBAN, check digits included. */
export function isValidBankAccount(written: string): boolean {
  const account = normalizeBankAccount(written);
  if (/^\d{26}$/.test(account)) return passesMod97(`PL${account}`);
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(account) && !account.startsWith('PL') && passesMod97(account);
}

/** An account as people read it: the NRB in its usual groups (2 + 6 × 4 digits), an IBAN in fours. */
export function formatBankAccount(account: string): string {
  if (/^\d{26}$/.test(account)) return `${account.slice(0, 2)} ${account.slice(2).replace(/(\d{4})(?=\d)/g, '$1 ')}`;
  return account.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A tax id as people read it: a Polish NIP in its groups, anything else as stored. */
export function formatTaxId(taxId: string, taxCountry: string): string {
  return taxCountry === 'PL' ? formatNip(taxId) : taxId;
}

/**
 * views/portal/company/change-request.ejs: the customer data a client may ask to change (A13).
 * An empty field asks for the value to be removed (the country excepted). The tax id is checked as a NIP when the
 * customer is taxed in Poland, the postal code as NN-NNN when the address is in Poland.
 */
export function changeRequestForm(customer: { taxCountry: string }) {
  return z
    .object({
      street: nullableText(maximumFieldLength),
      postalCode: nullableText(20),
      city: nullableText(100),
      // The record always has a country (PL unless said otherwise), so it cannot be removed.
      country: z
        .string({ error: 'validation:required' })
        .trim()
        .min(1, 'validation:required')
        .transform((value) => value.toUpperCase())
        .refine((value) => /^[A-Z]{2}$/.test(value), 'changes:errors.country'),
      taxId: nullableText(32)
        .refine((value) => value === null || customer.taxCountry !== 'PL' || isValidNip(value), 'changes:errors.nip')
        .transform((value) => (value !== null && customer.taxCountry === 'PL' ? normalizeNip(value) : value)),
      bankAccount: nullableText(40)
        .refine((value) => value === null || isValidBankAccount(value), 'changes:errors.bankAccount')
        .transform((value) => (value === null ? null : normalizeBankAccount(value))),
    })
    .superRefine((form, context) => {
      if (form.postalCode && form.country === 'PL' && !/^\d{2}-\d{3}$/.test(form.postalCode)) {
        context.addIssue({ code: 'custom', path: ['postalCode'], message: 'changes:errors.postalCode' });
      }
    });
}

export const changeRequestFields = ['street', 'postalCode', 'city', 'country', 'taxId', 'bankAccount'] as const;

/** views/staff/change-requests/show.ejs: a rejection needs a reason the client will read. */
export const rejectionForm = z.object({
  reason: z
    .string({ error: 'validation:required' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'changes:errors.reasonRequired').max(500, 'validation:tooLong')),
});
