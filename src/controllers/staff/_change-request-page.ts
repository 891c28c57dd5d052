import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { customerDataOf, customersSharingRequestedTaxId, differingFields, listCustomerChangeRequests, type ChangeRequest } from '../../models/change-request.js';
import { findCustomer } from '../../models/customer.js';
import { changedRows, changeFieldLabels, changeRequestStatus, shownValue } from '../../presenters/change-requests.js';
import type { FieldError } from '../../validators/form.js';

type Extra = { errors?: Record<string, FieldError>; values?: Record<string, string>; notice?: string; approvalError?: FieldError };

/**
 * A change request's page (A13): the values before and after side by side, what changed on the
 * record since, and the customer's other requests. The decisions answer a refused form with it.
 */
export async function renderChangeRequest(req: Request, res: Response, request: ChangeRequest, status: number, extra: Extra = {}): Promise<void> {
  const scope = scopeOf(req);
  const [customer, others] = await Promise.all([findCustomer(scope, request.customer.id), listCustomerChangeRequests(scope, request.customer.id)]);
  const sharingTaxId = request.status === 'pending' ? await customersSharingRequestedTaxId(scope, request, customer) : [];
  const current = customerDataOf(customer);
  renderPage(res, 'staff/change-requests/show', {
    title: res.locals.t('changes:staff.showTitle', { customer: customer.name }),
    request,
    requestStatus: changeRequestStatus(request.status),
    customer,
    rows: changedRows(request, customer).map((row) => ({ ...row, current: shownValue(row.field, current[row.field], customer) })),
    changedSince: request.status === 'pending' ? differingFields(request.previous, current).map((field) => changeFieldLabels[field]) : [],
    history: others.filter((other) => other.id !== request.id).map((other) => ({ ...other, rows: changedRows(other, customer), statusBadge: changeRequestStatus(other.status) })),
    errors: extra.errors ?? {},
    values: extra.values ?? { reason: '' },
    notice: extra.notice,
    sharingTaxId,
    approvalError: extra.approvalError,
  }, status);
}
