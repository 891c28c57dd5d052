import { z } from 'zod';
import { isValidBankAccount, normalizeBankAccount } from '../lib/bank-account.js';
import { isValidTaxId, normalizeTaxId, taxIdBody } from '../lib/nip.js';
import type { CustomerDetails } from '../models/customer.js';
import { customerSorts, type CustomerListQuery } from '../models/customer-list.js';
import type { CustomerSettingOverrides } from '../models/customer-settings.js';
import { isShown, isValidSettingValue, type SettingName } from '../models/setting-registry.js';
import { checkbox, isEmailAddress } from './fields.js';
import { requiredText } from './form.js';

/** Optional text: trimmed, at most `max` characters (the column's size), '' when left empty. */
const optionalText = (max: number) => z.string({ error: 'validation:invalid' }).trim().max(max, 'validation:tooLong').default('');
const countryCode = z
  .string({ error: 'validation:required' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'customers:validation.countryCode');

/** A setting of a part of the product not built yet is not on the form: whatever is sent for it is ignored. */
function whenShown<Schema extends z.ZodType>(name: SettingName, schema: Schema, ignored: z.infer<Schema>): Schema | z.ZodType<z.infer<Schema>> {
  return isShown(name) ? schema : z.unknown().optional().transform(() => ignored);
}

const phoneCharacters = /^[0-9 +()-]*$/;
const digitCount = (value: string) => value.replace(/\D/g, '').length;

/** The fields of the customer form shared by views/admin/customers/new.ejs and edit.ejs. */
const customerFields = {
  name: requiredText(200),
  taxCountry: countryCode,
  taxId: optionalText(32),
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  country: countryCode,
  email: optionalText(200).refine((value) => value === '' || isEmailAddress(value), 'customers:validation.email'),
  phone: optionalText(40)
    .refine((value) => phoneCharacters.test(value), 'customers:validation.phoneCharacters')
    .refine((value) => value === '' || (digitCount(value) >= 6 && digitCount(value) <= 20), 'customers:validation.phoneDigits'),
  caretakerId: z.string({ error: 'validation:invalid' }).trim().regex(/^\d{0,10}$/, 'validation:invalid').default(''),
  // Browsers send a textarea's line breaks as CRLF: kept as LF (and counted so), the same notes compare equal.
  notes: z
    .string({ error: 'validation:invalid' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(2000, 'validation:tooLong'))
    .default(''),
  isActive: checkbox,
  bankAccount: optionalText(50).refine((value) => value === '' || isValidBankAccount(value), 'customers:validation.bankAccount'),
  // Upper case and single spaces: MySQL's unique key ignores letter case, SQLite's does not, so both keep one spelling.
  customerNumber: optionalText(40)
    .transform((value) => value.replace(/\s+/g, ' ').toUpperCase())
    .refine((value) => /^[\p{L}\p{N} ./_-]*$/u.test(value), 'customers:validation.customerNumber'),
  portalAccess: z.enum(['inherit', 'on', 'off'], { error: 'validation:invalid' }).default('inherit'),
  ticketApproval: whenShown('tickets.approval', z.enum(['inherit', 'off', 'optional', 'mandatory'], { error: 'validation:invalid' }).default('inherit'), 'inherit'),
  ticketVisibility: whenShown('tickets.visibility', z.enum(['inherit', 'all', 'since', 'portal'], { error: 'validation:invalid' }).default('inherit'), 'inherit'),
  visibleSince: whenShown('tickets.visible_since', optionalText(10), ''),
  reminders: whenShown('reminders.enabled', z.enum(['inherit', 'on', 'off'], { error: 'validation:invalid' }).default('inherit'), 'inherit'),
};

type CustomerFields = z.infer<z.ZodObject<typeof customerFields>>;

/**
 * The value of the box that confirms sharing a tax id with another customer: the tax id it
 * confirms (its country and number, with or without the VAT prefix alike). A box ticked for one
 * number, kept ticked through a refusal, confirms no other: a changed number is asked about
 * again, naming the customers that have it.
 */
export function taxIdConfirmationOf(taxCountry: string, taxId: string): string {
  const country = taxCountry.trim().toUpperCase();
  const body = taxId.trim() === '' ? '' : taxIdBody(taxId, country);
  return body === '' ? '' : `${country} ${body}`;
}

/** The confirmation box as sent: confirms the form's tax id only when it was ticked for that very number. */
const sharedTaxIdConfirmation = z.unknown().optional().transform((value) => (typeof value === 'string' ? value.trim() : ''));
const isTaxIdConfirmed = (form: { taxCountry: string; taxId: string; sharedTaxIdConfirmed: string }) =>
  form.sharedTaxIdConfirmed !== '' && form.sharedTaxIdConfirmed === taxIdConfirmationOf(form.taxCountry, form.taxId);

/** Rules that look at two fields: what the tax id and postal code must be depends on the country. */
function checkCountryRules(form: CustomerFields, context: z.RefinementCtx): void {
  const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (form.taxId && !isValidTaxId(form.taxId, form.taxCountry)) problem('taxId', form.taxCountry === 'PL' ? 'customers:validation.nip' : 'customers:validation.taxId');
  if (form.country === 'PL' && form.postalCode && !/^\d{2}-\d{3}$/.test(form.postalCode)) problem('postalCode', 'customers:validation.postalCode');
  const isDateNeeded = form.ticketVisibility === 'since';
  if (isDateNeeded && (!form.visibleSince || !isValidSettingValue('tickets.visible_since', form.visibleSince))) problem('visibleSince', 'customers:validation.visibleSince');
}

const orNull = (value: string) => (value === '' ? null : value);
const inherited = <Value extends string>(value: Value | 'inherit') => (value === 'inherit' ? null : value);

function detailsOf(form: CustomerFields): CustomerDetails {
  return {
    name: form.name,
    taxCountry: form.taxCountry,
    taxId: orNull(normalizeTaxId(form.taxId, form.taxCountry)),
    street: orNull(form.street),
    postalCode: orNull(form.postalCode),
    city: orNull(form.city),
    country: form.country,
    email: orNull(form.email),
    phone: orNull(form.phone),
    caretakerId: form.caretakerId ? Number(form.caretakerId) : null,
    notes: orNull(form.notes),
    isActive: form.isActive,
    bankAccount: orNull(form.bankAccount === '' ? '' : normalizeBankAccount(form.bankAccount)),
    customerNumber: orNull(form.customerNumber),
  };
}

function settingsOf(form: CustomerFields): CustomerSettingOverrides {
  const visibility = inherited(form.ticketVisibility);
  return {
    portalAccess: inherited(form.portalAccess),
    ticketApproval: inherited(form.ticketApproval),
    ticketVisibility: visibility,
    visibleSince: visibility === 'since' ? form.visibleSince : null,
    reminders: inherited(form.reminders),
  };
}

/** views/admin/customers/new.ejs: the customer, and its first portal account (seed 002). */
export const customerCreateForm = z
  .object({
    ...customerFields,
    createAccount: checkbox,
    contactFirstName: optionalText(100),
    contactLastName: optionalText(100),
    submissionKey: z.uuid().optional().catch(undefined),
    sharedTaxIdConfirmed: sharedTaxIdConfirmation,
  })
  .superRefine(checkCountryRules)
  .transform((form) => ({
    details: detailsOf(form),
    settings: settingsOf(form),
    firstAccount: { isWanted: form.createAccount, firstName: orNull(form.contactFirstName), lastName: orNull(form.contactLastName) },
    submissionKey: form.submissionKey ?? null,
    isSharedTaxIdConfirmed: isTaxIdConfirmed(form),
  }));

/** views/admin/customers/edit.ejs (and the conflict page's form): `version` is the one the form was opened with. */
export const customerUpdateForm = z
  .object({ ...customerFields, version: z.string({ error: 'validation:required' }).regex(/^\d{1,9}$/, 'validation:invalid'), sharedTaxIdConfirmed: sharedTaxIdConfirmation })
  .superRefine(checkCountryRules)
  .transform((form) => ({ version: Number(form.version), details: detailsOf(form), settings: settingsOf(form), isSharedTaxIdConfirmed: isTaxIdConfirmed(form) }));

/** The names of the fields both forms show back after a refusal (text only; checkboxes are read apart). */
export const customerFormFields = [...Object.keys(customerFields), 'createAccount', 'contactFirstName', 'contactLastName', 'version', 'submissionKey', 'base', 'sharedTaxIdConfirmed'];

/** The list's query string (views/staff/customers/index.ejs): anything unexpected falls back to the default. */
export const customerListQuery = z
  .object({
    q: z.string().trim().catch('').default('').transform((value) => value.slice(0, 200)),
    caretaker: z.string().regex(/^(all|none|\d{1,10})$/).catch('all').default('all'),
    status: z.enum(['active', 'inactive', 'all']).catch('active').default('active'),
    portal: z.enum(['all', 'on', 'off', 'mixed']).catch('all').default('all'),
    sort: z.enum(customerSorts).catch('name-asc').default('name-asc'),
  })
  .transform((query): CustomerListQuery => ({
    search: query.q,
    caretaker: query.caretaker === 'all' || query.caretaker === 'none' ? query.caretaker : Number(query.caretaker),
    status: query.status,
    portal: query.portal,
    sort: query.sort,
  }));

/** views/admin/customer-deactivations/new.ejs: the confirmation page's button sends it; a POST without it deactivates nothing. */
export const customerDeactivationForm = z.object({
  confirmation: z.literal('yes', { error: 'customers:deactivation.confirmationRequired' }),
});
