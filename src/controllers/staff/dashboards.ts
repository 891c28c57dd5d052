import type { Request, Response } from 'express';
import { tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';

/** GET /:tenant/staff: the staff panel's start page. */
export function show(req: Request, res: Response): void {
  renderPage(res, 'staff/dashboards/show', { title: res.locals.t('dashboard:staff.title'), tenant: tenantOf(req) });
}
