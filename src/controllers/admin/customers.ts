import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { findCustomerState, updateCustomer } from '../../models/customer-changes.js';
import { isFirstAccountOffered, registerCustomer } from '../../models/customer-registration.js';
import { customerCreateForm, customerUpdateForm, taxIdConfirmationOf } from '../../validators/customer.js';
import { decodeBase, mergeEdit } from '../../validators/edit-merge.js';
import { parseForm } from '../../validators/form.js';
import { comparedFields, defaultValues, refusalPage, renderCustomerForm, submittedValues, valuesFrom, valuesOf } from './_customer-form-page.js';

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
  if (result instanceof ValidationError) return renderCustomerForm(req, res, { mode: 'new', values: submittedValues(req), ...refusalPage(result) }, 422);
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
 * was opened; then 409 with both versions side by side and the form starting from the stored
 * version with only this user's own changes applied (validators/edit-merge.ts): saving it as it
 * stands keeps both people's work, and a field both changed is the user's to choose.
 */
export async function update(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const form = parseForm(customerUpdateForm, req.body);
  if (!form.ok) return renderCustomerForm(req, res, { mode: 'edit', values: submittedValues(req), errors: form.errors, customer }, 422);
  const outcome = await updateCustomer(scopeOf(req), customer.id, form.data).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderCustomerForm(req, res, { mode: 'edit', values: submittedValues(req), customer, ...refusalPage(outcome) }, 422);
  if (outcome.status === 'conflict') {
    const stored = valuesOf(outcome.current);
    const mine = valuesFrom(form.data.details, form.data.settings, form.data.version);
    const opened = decodeBase(req.body?.base, comparedFields);
    const merge = mergeEdit(comparedFields, opened, mine, stored);
    const values = { ...merge.values, version: stored.version!, base: stored.base!, sharedTaxIdConfirmed: form.data.isSharedTaxIdConfirmed ? taxIdConfirmationOf(form.data.details.taxCountry, form.data.details.taxId ?? '') : '' };
    return renderCustomerForm(req, res, { mode: 'conflict', values, customer: outcome.current.customer, conflict: { stored, mine, merge, opened } }, 409);
  }
  setFlash(req, 'success', outcome.changedFields.length ? 'customers:flash.updated' : 'customers:flash.unchanged');
  res.redirect(303, recordPath(req, customer.id));
}
