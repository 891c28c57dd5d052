import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findStaffStartPage } from '../../models/staff-start-page.js';
import { changeFieldLabels } from '../../presenters/change-requests.js';

/** Rows each section shows; the rest is one link away. */
const rowsPerSection = 8;

/** GET /:tenant/staff: what waits for this member of staff (issue 14), through what they see. */
export async function show(req: Request, res: Response): Promise<void> {
  const page = await findStaffStartPage(scopeOf(req), rowsPerSection);
  const pendingRequests = {
    total: page.pendingRequests.total,
    rows: page.pendingRequests.rows.map((request) => ({ ...request, fields: Object.keys(request.changes).map((field) => changeFieldLabels[field as keyof typeof changeFieldLabels]) })),
  };
  renderPage(res, 'staff/dashboards/show', { title: res.locals.t('dashboard:staff.title'), ...page, pendingRequests });
}
