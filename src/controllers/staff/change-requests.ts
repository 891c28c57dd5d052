import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listChangeRequestsForStaff } from '../../models/change-request.js';
import { changeFieldLabels, changeRequestStatus } from '../../presenters/change-requests.js';
import { renderChangeRequest } from './_change-request-page.js';

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
    requests: requests.map((request) => ({
      ...request,
      fields: Object.keys(request.changes).map((field) => changeFieldLabels[field as keyof typeof changeFieldLabels]),
      statusBadge: changeRequestStatus(request.status),
    })),
    pagination: paginate(page, counts[filter]),
  });
}

/** GET /:tenant/staff/change-requests/:requestId: the values before and after, side by side. */
export async function show(req: Request, res: Response): Promise<void> {
  await renderChangeRequest(req, res, loaded(req, 'changeRequest'), 200);
}
