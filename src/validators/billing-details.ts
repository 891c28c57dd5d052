import { z } from 'zod';
import { isValidBankAccount, normalizeBankAccount } from '../lib/bank-account.js';
import { isValidTaxId, normalizeTaxId } from '../lib/nip.js';
import type { BillingDetails } from '../models/billing-details.js';
import { checkbox, nullableText } from './fields.js';

/** The currencies a tenant keeps its ledger in: złoty, and euro for Slovak providers (PAY by square). */
export const billingCurrencies = ['PLN', 'EUR'] as const;
export const maximumPaymentTermDays = 365;

/** The fields of views/admin/billing-details/edit.ejs, as the user typed them (kept on a refusal). */
export const billingDetailsFields = ['legalName', 'street', 'postalCode', 'city', 'taxCountry', 'taxId', 'bankAccount', 'currency', 'paymentTermDays', 'hasVirtualAccounts', 'virtualAccountPrefix'] as const;

const digitsWritten = (value: string) => value.replace(/[\s-]/g, '');

/**
 * views/admin/billing-details/edit.ejs. Every text may stay empty (a new tenant fills them in
 * step by step), but what is given must be usable: a tax id valid for its country (a NIP by its
 * check digit), a bank account by its mod-97 checksum, virtual accounts only with a bank prefix
 * and in złoty (they are NRBs). Values come out as stored: a NIP's digits, an account without spaces.
 */
export const billingDetailsForm = z
  .object({
    legalName: nullableText(200),
    street: nullableText(200),
    postalCode: nullableText(16),
    city: nullableText(100),
    taxCountry: z
      .string({ error: 'billingDetails:errors.taxCountry' })
      .trim()
      .transform((value) => value.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}$/, 'billingDetails:errors.taxCountry')),
    taxId: nullableText(32),
    bankAccount: nullableText(50),
    currency: z.enum(billingCurrencies, { error: 'billingDetails:errors.currency' }),
    paymentTermDays: z
      .string({ error: 'billingDetails:errors.paymentTerm' })
      .trim()
      .regex(/^\d{1,3}$/, 'billingDetails:errors.paymentTerm')
      .transform(Number)
      .refine((days) => days <= maximumPaymentTermDays, 'billingDetails:errors.paymentTerm'),
    hasVirtualAccounts: checkbox,
    virtualAccountPrefix: nullableText(40),
  })
  .superRefine((form, context) => {
    const problem = (field: string, message: string) => context.addIssue({ code: 'custom', path: [field], message });
    if (form.taxCountry === 'PL' && form.postalCode && !/^\d{2}-\d{3}$/.test(form.postalCode)) problem('postalCode', 'billingDetails:errors.postalCode');
    if (form.taxId && !isValidTaxId(form.taxId, form.taxCountry)) problem('taxId', form.taxCountry === 'PL' ? 'billingDetails:errors.nip' : 'billingDetails:errors.taxId');
    if (form.bankAccount && !isValidBankAccount(form.bankAccount)) problem('bankAccount', 'billingDetails:errors.bankAccount');
    if (form.virtualAccountPrefix && !/^\d{8,20}$/.test(digitsWritten(form.virtualAccountPrefix))) problem('virtualAccountPrefix', 'billingDetails:errors.prefix');
    if (form.hasVirtualAccounts && !form.virtualAccountPrefix) problem('virtualAccountPrefix', 'billingDetails:errors.prefixRequired');
    if (form.hasVirtualAccounts && form.currency !== 'PLN') problem('hasVirtualAccounts', 'billingDetails:errors.virtualNeedsPln');
  })
  .transform(
    (form): BillingDetails => ({
      ...form,
      taxId: form.taxId ? normalizeTaxId(form.taxId, form.taxCountry) : null,
      bankAccount: form.bankAccount ? normalizeBankAccount(form.bankAccount) : null,
      virtualAccountPrefix: form.virtualAccountPrefix ? digitsWritten(form.virtualAccountPrefix) : null,
    }),
  );
