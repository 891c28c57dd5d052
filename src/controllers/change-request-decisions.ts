import type { Request, Response } from 'express';
import { actorOf, currentUserOf, idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { ForbiddenError } from '../lib/errors.js';
import { pageFrom, paginate } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import {
  customerDataOf,
  decideChangeRequest,
  differingFields,
  findChangeRequest,
  listChangeRequestsForStaff,
  listCustomerChangeRequests,
  type ChangeRequest,
  type Decision,
} from '../models/change-request.js';
import { findCustomer } from '../models/customer.js';
import { can } from '../policies/customer.js';
import { rejectionForm } from '../validators/change-request.js';
import { formValues, parseForm, type FieldError } from '../validators/form.js';
import { changedRows, fieldLabels, shownValue, statusLabels } from './company.js';

const perPage = 25;

/** GET /:tenant/staff/change-requests: pending requests (or ?status=decided), with how many of each. */
export async function index(req: Request, res: Response): Promise<void> {
  const filter = req.query.status === 'decided' ? 'decided' : 'pending';
  const page = pageFrom(req.query.page, perPage);
  const { requests, counts } = await listChangeRequestsForStaff(scopeOf(req), filter, page);
  renderPage(res, 'staff/change-requests/index', {
    title: res.locals.t('changes:staff.title'),
    filter,
    counts,
    requests: requests.map((request) => ({ ...request, fields: Object.keys(request.changes).map((field) => fieldLabels[field as keyof typeof fieldLabels]) })),
    pagination: paginate(page, counts[filter]),
    statusLabels,
    fromDatabaseTime,
  });
}

/** The request of the address, if the actor may decide it: another tenant's is 404, another caretaker's customer 403. */
async function decidableRequest(req: Request): Promise<ChangeRequest> {
  const id = idParameter(req, 'requestId');
  const request = await findChangeRequest(scopeOf(req), id);
  if (!can(actorOf(currentUserOf(req)), 'decideChanges', request.customer)) throw new ForbiddenError(`may not decide change request ${id}`);
  return request;
}

type Extra = { errors?: Record<string, FieldError>; values?: Record<string, string>; notice?: string };

async function renderRequest(req: Request, res: Response, request: ChangeRequest, status: number, extra: Extra = {}): Promise<void> {
  const customer = await findCustomer(scopeOf(req), request.customer.id);
  const current = customerDataOf(customer);
  const history = (await listCustomerChangeRequests(scopeOf(req), customer.id)).filter((other) => other.id !== request.id);
  renderPage(res, 'staff/change-requests/show', {
    title: res.locals.t('changes:staff.showTitle', { customer: customer.name }),
    request,
    customer,
    rows: changedRows(request, customer).map((row) => ({ ...row, current: shownValue(row.field, current[row.field], customer) })),
    changedSince: request.status === 'pending' ? differingFields(request.previous, current).map((field) => fieldLabels[field]) : [],
    history: history.map((other) => ({ ...other, rows: changedRows(other, customer) })),
    statusLabels,
    fromDatabaseTime,
    errors: extra.errors ?? {},
    values: extra.values ?? { reason: '' },
    notice: extra.notice,
  }, status);
}

/** GET /:tenant/staff/change-requests/:requestId: the values before and after, side by side. */
export async function show(req: Request, res: Response): Promise<void> {
  await renderRequest(req, res, await decidableRequest(req), 200);
}

async function decide(req: Request, res: Response, request: ChangeRequest, decision: Decision): Promise<void> {
  const outcome = await decideChangeRequest(scopeOf(req), request.id, decision, { baseUrl: req.deps.config.baseUrl });
  if (outcome === 'already-decided') {
    return renderRequest(req, res, await findChangeRequest(scopeOf(req), request.id), 409, { notice: 'changes:staff.alreadyDecided' });
  }
  setFlash(req, 'success', decision.approve ? 'changes:staff.approved' : 'changes:staff.rejected');
  res.redirect(303, tenantPath(req, `staff/change-requests/${request.id}`));
}

/** POST /:tenant/staff/change-requests/:requestId/approval */
export async function approve(req: Request, res: Response): Promise<void> {
  await decide(req, res, await decidableRequest(req), { approve: true });
}

/** POST /:tenant/staff/change-requests/:requestId/rejection: a reason is required, the client reads it. */
export async function reject(req: Request, res: Response): Promise<void> {
  const request = await decidableRequest(req);
  const form = parseForm(rejectionForm, req.body);
  if (!form.ok) return renderRequest(req, res, request, 422, { errors: form.errors, values: formValues(req.body, ['reason']) });
  await decide(req, res, request, { approve: false, reason: form.data.reason });
}
