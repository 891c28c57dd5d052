import type { Request, Response } from 'express';
import { ValidationError } from '../../lib/errors.js';
import { formatBankAccount } from '../../lib/bank-account.js';
import { formatTaxId } from '../../lib/nip.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { billingFields, findBillingDetails, isCurrencyLocked, updateBillingDetails, type BillingDetails, type BillingField } from '../../models/billing-details.js';
import { taxCountryChoices } from '../../presenters/customers.js';
import { billingCurrencies, billingDetailsFields, billingDetailsForm, maximumPaymentTermDays } from '../../validators/billing-details.js';
import { baseFieldName, decodeBase, encodeBase } from '../../validators/edit-merge.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';

/** The stored details as the form writes them: a NIP in its groups, an account in fours, the box as "on". */
function formValuesOf(details: BillingDetails): Record<string, string> {
  return {
    legalName: details.legalName ?? '',
    street: details.street ?? '',
    postalCode: details.postalCode ?? '',
    city: details.city ?? '',
    taxCountry: details.taxCountry,
    taxId: details.taxId ? formatTaxId(details.taxId, details.taxCountry) : '',
    bankAccount: details.bankAccount ? formatBankAccount(details.bankAccount) : '',
    currency: details.currency,
    paymentTermDays: String(details.paymentTermDays),
    hasVirtualAccounts: details.hasVirtualAccounts ? 'on' : '',
    virtualAccountPrefix: details.virtualAccountPrefix ?? '',
  };
}

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const scope = scopeOf(req);
  const [details, isLocked] = await Promise.all([findBillingDetails(scope), isCurrencyLocked(scope)]);
  const stored = formValuesOf(details);
  const values = submitted ?? stored;
  renderPage(
    res,
    'admin/billing-details/edit',
    {
      title: res.locals.t('billingDetails:title'),
      values,
      // A refused form keeps the base it was opened with: what the admin changed is still told apart.
      base: submitted ? String(req.body?.[baseFieldName] ?? '') : encodeBase(stored, billingDetailsFields),
      errors,
      isCurrencyLocked: isLocked,
      taxCountries: taxCountryChoices(req.locale, values.taxCountry || null),
      currencyOptions: billingCurrencies.map((currency) => ({ value: currency, label: { key: `billingDetails:currency.${currency}` } })),
      maximumPaymentTermDays,
    },
    status,
  );
}

/** GET /:tenant/admin/billing-details: who the customers pay (D7), as payment orders and statements print it. */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/**
 * POST /:tenant/admin/billing-details: saves the fields the admin changed on the form (those that
 * differ from the base it was opened with), so an admin who saved other fields meanwhile keeps
 * them. Bad input, or a currency change while amounts are kept in the old one, is 422.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, billingDetailsFields);
  const form = parseForm(billingDetailsForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, values, form.errors);
  const base = decodeBase(req.body?.[baseFieldName], billingDetailsFields);
  const changed = base ? billingFields.filter((field: BillingField) => values[field] !== base[field]) : billingFields;
  const outcome = await updateBillingDetails(scopeOf(req), form.data, changed).catch((error: unknown) => {
    if (error instanceof ValidationError) return error;
    throw error;
  });
  if (outcome instanceof ValidationError) return renderForm(req, res, 422, values, fieldErrorsOf(outcome));
  setFlash(req, 'success', 'billingDetails:saved');
  res.redirect(303, req.pathTo('admin.billingDetails.edit'));
}
