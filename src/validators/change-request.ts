import { z } from 'zod';
import { checkbox, nullableText } from './fields.js';
import { isValidBankAccount, normalizeBankAccount } from '../lib/bank-account.js';
import { euCountries, isValidTaxId, normalizeTaxId } from '../lib/nip.js';
import { maximumFieldLength } from './form.js';

/**
 * views/portal/change-requests/new.ejs: the customer data a client may ask to change (A13).
 * An empty field asks for the value to be removed (the countries excepted). The tax id is checked in the country
 * chosen for it (an EU member state, or the one the record has): a NIP by its check digit, another country's number
 * by its form; the postal code as NN-NNN when the address is in Poland.
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
      taxCountry: z
        .string({ error: 'validation:required' })
        .trim()
        .toUpperCase()
        .refine((value) => euCountries.includes(value) || value === customer.taxCountry, 'changes:errors.taxCountry')
        // A form opened before the field existed keeps the country the record has.
        .default(customer.taxCountry),
      taxId: nullableText(32),
      bankAccount: nullableText(40)
        .refine((value) => value === null || isValidBankAccount(value), 'changes:errors.bankAccount')
        .transform((value) => (value === null ? null : normalizeBankAccount(value))),
    })
    .superRefine((form, context) => {
      if (form.postalCode && form.country === 'PL' && !/^\d{2}-\d{3}$/.test(form.postalCode)) {
        context.addIssue({ code: 'custom', path: ['postalCode'], message: 'changes:errors.postalCode' });
      }
      if (form.taxId && !isValidTaxId(form.taxId, form.taxCountry)) {
        context.addIssue({ code: 'custom', path: ['taxId'], message: form.taxCountry === 'PL' ? 'changes:errors.nip' : 'changes:errors.taxId' });
      }
    })
    .transform((form) => ({ ...form, taxId: form.taxId === null ? null : normalizeTaxId(form.taxId, form.taxCountry) }));
}

export const changeRequestFields = ['street', 'postalCode', 'city', 'country', 'taxCountry', 'taxId', 'bankAccount'] as const;

/** views/staff/change-requests/show.ejs: a rejection needs a reason the client will read. */
export const rejectionForm = z.object({
  reason: z
    .string({ error: 'validation:required' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'changes:errors.reasonRequired').max(500, 'validation:tooLong')),
});

/** The approval form of views/staff/change-requests/show.ejs: the confirmation of a tax id another customer has, when asked. */
export const approvalForm = z.object({ sharedTaxIdConfirmed: checkbox });
