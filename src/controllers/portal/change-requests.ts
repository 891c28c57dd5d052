import type { Request, Response } from 'express';
import { clientCustomerOf, linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { refusalFrom } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { requestCustomerChange } from '../../models/change-request.js';
import type { Customer } from '../../models/customer.js';
import { changeFieldLabels, shownValue } from '../../presenters/change-requests.js';
import { taxCountryChoices } from '../../presenters/customers.js';
import { changeRequestFields, changeRequestForm } from '../../validators/change-request.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';

function renderForm(res: Response, customer: Customer, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): void {
  const taxCountries = taxCountryChoices(res.locals.locale ?? 'pl', customer.taxCountry);
  renderPage(res, 'portal/change-requests/new', { title: res.locals.t('changes:request.title'), customer, values, errors, fieldLabels: changeFieldLabels, taxCountries }, status);
}

/** GET /:tenant/portal/company/change-requests/new: the form, filled with the data as it is now. */
async function newRequest(req: Request, res: Response): Promise<void> {
  const customer = await clientCustomerOf(req);
  const current = Object.fromEntries(changeRequestFields.map((field) => [field, shownValue(field, customer[field], customer) ?? '']));
  renderForm(res, customer, 200, current);
}
export { newRequest as new };

/** POST /:tenant/portal/company/change-requests: keeps the fields that differ, for staff to decide (A13). */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = await clientCustomerOf(req);
  const form = parseForm(changeRequestForm(customer), req.body);
  const values = formValues(req.body, changeRequestFields);
  if (!form.ok) return renderForm(res, customer, 422, values, form.errors);
  const refusal = await refusalFrom(requestCustomerChange(scopeOf(req), customer.id, form.data, { links: linksOf(req) }));
  if (refusal) return renderForm(res, customer, 422, values, fieldErrorsOf(refusal));
  setFlash(req, 'success', 'changes:request.sent');
  res.redirect(303, req.pathTo('portal.companies.show'));
}
