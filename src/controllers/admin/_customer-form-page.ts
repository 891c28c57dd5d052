import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findCaretakerChoice, listCaretakerChoices, type Customer, type CustomerDetails } from '../../models/customer.js';
import type { CustomerState } from '../../models/customer-changes.js';
import { customerSettingNames, customerSettingFields, shownCustomerSettingFields, type CustomerSettingOverrides } from '../../models/customer-settings.js';
import { isFirstAccountOffered } from '../../models/customer-registration.js';
import { settingsInForce } from '../../models/settings.js';
import { formatBankAccount } from '../../lib/bank-account.js';
import type { ValidationError } from '../../lib/errors.js';
import { CustomerIdentifierError, type CustomerReference } from '../../models/customer-identifiers.js';
import { customerFieldLabels, inheritChoiceLabel, settingChoices, taxCountryChoices } from '../../presenters/customers.js';
import { customerFormFields, taxIdConfirmationOf } from '../../validators/customer.js';
import { encodeBase, type EditMerge } from '../../validators/edit-merge.js';
import { fieldErrorsOf, formValues, type FieldError } from '../../validators/form.js';

export type FormValues = Record<string, string>;
export type FormMode = 'new' | 'edit' | 'conflict';

/**
 * The fields the form shows and a conflict compares and merges, in the comparison's order: the
 * customer's details, and of its settings those of the parts of the product that exist.
 */
export const comparedFields: readonly string[] = Object.keys(customerFieldLabels).filter(
  (name) => !(customerSettingFields as readonly string[]).includes(name) || (shownCustomerSettingFields as readonly string[]).includes(name),
);

/** A new customer's form: Polish addresses, active, settings inherited, the first account wanted when offered. */
export function defaultValues(isAccountOffered: boolean): FormValues {
  const values = formValues({}, customerFormFields);
  return {
    ...values,
    taxCountry: 'PL',
    country: 'PL',
    isActive: 'on',
    createAccount: isAccountOffered ? 'on' : '',
    portalAccess: 'inherit',
    ticketApproval: 'inherit',
    ticketVisibility: 'inherit',
    reminders: 'inherit',
    // One key per opened form: sending it twice registers one customer.
    submissionKey: randomUUID(),
  };
}

/** Details and settings as form values, the way the form would send them back. */
export function valuesFrom(details: CustomerDetails, settings: CustomerSettingOverrides, version: number): FormValues {
  const text = (value: string | null) => value ?? '';
  return {
    name: details.name,
    taxCountry: details.taxCountry,
    taxId: text(details.taxId),
    street: text(details.street),
    postalCode: text(details.postalCode),
    city: text(details.city),
    country: details.country,
    email: text(details.email),
    phone: text(details.phone),
    caretakerId: details.caretakerId === null ? '' : String(details.caretakerId),
    notes: text(details.notes),
    isActive: details.isActive ? 'on' : '',
    bankAccount: details.bankAccount ? formatBankAccount(details.bankAccount) : '',
    customerNumber: text(details.customerNumber),
    portalAccess: settings.portalAccess ?? 'inherit',
    ticketApproval: settings.ticketApproval ?? 'inherit',
    ticketVisibility: settings.ticketVisibility ?? 'inherit',
    visibleSince: text(settings.visibleSince),
    reminders: settings.reminders ?? 'inherit',
    version: String(version),
  };
}

/** The stored customer as its edit form shows it, with the opened values (the base a conflict merges against). */
export function valuesOf(state: CustomerState): FormValues {
  const values = valuesFrom(state.customer, state.settings, state.customer.version);
  return { ...values, base: encodeBase(values, comparedFields) };
}

/** A refusal of the model as the form's messages; the customers a tax id or number clashes with come along. */
export function refusalPage(error: ValidationError): { errors: Record<string, FieldError>; sharingTaxId: CustomerReference[]; holdingNumber: CustomerReference | null } {
  const errors = fieldErrorsOf(error);
  if (!(error instanceof CustomerIdentifierError)) return { errors, sharingTaxId: [], holdingNumber: null };
  if (errors.taxId) errors.taxId = { key: errors.taxId.key, values: { count: error.sharingTaxId.length } };
  if (errors.customerNumber && error.holdingNumber) errors.customerNumber = { key: errors.customerNumber.key, values: { name: error.holdingNumber.name } };
  return { errors, sharingTaxId: error.sharingTaxId, holdingNumber: error.holdingNumber };
}

/** What the user sent, to show back (checkboxes that were not ticked are simply absent). */
export function submittedValues(req: Request): FormValues {
  const values = formValues(req.body, customerFormFields);
  // The select offers codes in capitals: 'sk' sent by hand must show as Slovakia, not fall back to the first choice.
  return { ...values, taxCountry: values.taxCountry!.trim().toUpperCase() };
}

/** What a page of the form shows besides the values: messages, and after a conflict the merge. */
export type CustomerFormPage = {
  mode: FormMode;
  values: FormValues;
  errors?: Record<string, FieldError>;
  customer?: Customer;
  /** After a conflict: the stored values, the user's own, and how they were merged (validators/edit-merge.ts). */
  conflict?: { stored: FormValues; mine: FormValues; merge: EditMerge; opened: FormValues | null };
  /** Other customers with the tax id typed (the form asks to confirm sharing it) or with the accounting number. */
  sharingTaxId?: CustomerReference[];
  holdingNumber?: CustomerReference | null;
};

/**
 * Renders the new, edit or conflict page (status 200, 409 or 422) with the choices the form needs:
 * the tenant's staff (and the customer's present caretaker, even if no longer active), the tax-id
 * countries and the tenant's values that "inherit" would give.
 */
export async function renderCustomerForm(req: Request, res: Response, page: CustomerFormPage, status: number): Promise<void> {
  const scope = scopeOf(req);
  const [caretakers, current, tenantSettings, isAccountOffered] = await Promise.all([
    listCaretakerChoices(scope),
    findCaretakerChoice(scope, page.customer?.caretakerId ?? null),
    settingsInForce(scope),
    isFirstAccountOffered(scope),
  ]);
  if (current && !caretakers.some((choice) => choice.id === current.id)) caretakers.push(current);
  // What "inherit" gives for the customer as a whole: the tenant's value (portal access may still differ per account's group).
  const inheritLabels = Object.fromEntries(customerSettingFields.map((field) => [field, inheritChoiceLabel(field, tenantSettings[customerSettingNames[field]])]));
  const titles = { new: res.locals.t('customers:form.newTitle'), edit: res.locals.t('customers:form.editTitle', { name: page.customer?.name ?? '' }), conflict: res.locals.t('customers:conflict.title') };
  const sharingTaxId = page.sharingTaxId ?? [];
  // The box confirms the tax id in the form, by its value: one ticked for another number is not kept.
  const taxIdConfirmation = taxIdConfirmationOf(page.values.taxCountry ?? '', page.values.taxId ?? '');
  const isSharingConfirmed = taxIdConfirmation !== '' && page.values.sharedTaxIdConfirmed === taxIdConfirmation;
  renderPage(res, `admin/customers/${page.mode === 'conflict' ? 'conflict' : page.mode}`, {
    title: titles[page.mode],
    mode: page.mode,
    errors: page.errors ?? {},
    values: page.values,
    conflict: page.conflict,
    stored: page.conflict?.stored,
    clashes: page.conflict?.merge.clashes ?? [],
    customer: page.customer,
    caretakers,
    inheritLabels,
    isAccountOffered,
    shownSettings: shownCustomerSettingFields,
    settingChoices,
    fieldLabels: customerFieldLabels,
    taxCountries: taxCountryChoices(res.locals.locale ?? 'pl', page.values.taxCountry ?? null),
    sharingTaxId,
    holdingNumber: page.holdingNumber ?? null,
    // The box is offered once a tax id was found shared, and kept while it is ticked for the tax id in the form.
    isSharingAsked: sharingTaxId.length > 0 || isSharingConfirmed,
    isSharingConfirmed,
    taxIdConfirmation,
    comparedFields,
  }, status);
}
