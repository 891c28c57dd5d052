import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { findCustomerState, updateCustomer } from '../../models/customer-changes.js';
import { isFirstAccountOffered, registerCustomer } from '../../models/customer-registration.js';
import { customerCreateForm, customerUpdateForm } from '../../validators/customer.js';
import { fieldErrorsOf, parseForm } from '../../validators/form.js';
import { defaultValues, renderCustomerForm, submittedValues, valuesFrom, valuesOf } from './_customer-form-page.js';

const recordPath = (req: Request, customerId: number) => req.pathTo('staff.customers.show', { customerId });

/** GET /:tenant/admin/customers/new */
async function newCustomer(req: Request, res: Response): Promise<void> {
  await renderCustomerForm(req, res, { mode: 'new', values: defaultValues(await isFirstAccountOffered(scopeOf(req))) }, 200);
}
export { newCustomer as new };

/** POST /:tenant/admin/customers: registers the customer and, as the tenant wishes, its first portal account. */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(customerCreateForm, req.body);
  if (!form.ok) return renderCustomerForm(req, res, { mode: 'new', values: submittedValues(req), errors: form.errors }, 422);
  const result = await registerCustomer(scopeOf(req), form.data, { links: linksOf(req), bcryptCost: req.deps.config.bcryptCost }).catch(refusalOf);
  if (result instanceof ValidationError) return renderCustomerForm(req, res, { mode: 'new', values: submittedValues(req), errors: fieldErrorsOf(result) }, 422);
  setFlash(req, 'success', result.firstAccount ? 'customers:flash.createdWithAccount' : 'customers:flash.created');
  res.redirect(303, recordPath(req, result.customer.id));
}

/** GET /:tenant/admin/customers/:customerId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  const state = await findCustomerState(scopeOf(req), loaded(req, 'customer').id);
  await renderCustomerForm(req, res, { mode: 'edit', values: valuesOf(state), customer: state.customer }, 200);
}

/**
 * POST /:tenant/admin/customers/:customerId: saves the edit, unless someone saved since the form
 * was opened; then 409 with both versions side by side and the form holding the user's values.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const form = parseForm(customerUpdateForm, req.body);
  if (!form.ok) return renderCustomerForm(req, res, { mode: 'edit', values: submittedValues(req), errors: form.errors, customer }, 422);
  const outcome = await updateCustomer(scopeOf(req), customer.id, form.data).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderCustomerForm(req, res, { mode: 'edit', values: submittedValues(req), errors: fieldErrorsOf(outcome), customer }, 422);
  if (outcome.status === 'conflict') {
    const { current } = outcome;
    const values = valuesFrom(form.data.details, form.data.settings, current.customer.version);
    return renderCustomerForm(req, res, { mode: 'conflict', values, stored: valuesOf(current), customer: current.customer }, 409);
  }
  setFlash(req, 'success', outcome.changedFields.length ? 'customers:flash.updated' : 'customers:flash.unchanged');
  res.redirect(303, recordPath(req, customer.id));
}
